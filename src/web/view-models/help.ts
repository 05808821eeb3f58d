/**
 * The Help page: what each task type means, what each tab of the review
 * tasks holds and for how long, how priority is worked out and whom to ask.
 * Every part that can be is generated from what is in force: the task types
 * and their descriptions from the reference data, the tabs' retention from
 * the configuration, each task type's priority factors from the rule set.
 */
import type { ReviewTab } from '../../review/lists.ts'
import { REVIEW_TABS } from '../../review/lists.ts'
import type { RetentionDays } from '../../review/retention.ts'
import { describeRule } from '../../rules/explanation.ts'
import type { RuleSet } from '../../rules/model.ts'
import type { TaskTypeEntry } from '../../rules/overview.ts'
import { paths } from '../paths.ts'
import { TAB_LABELS, tabStay } from './review.ts'

export interface HelpTaskType {
  readonly name: string
  readonly description: string
  /** How the rule in force scores it, one line a factor; empty when no rule recommends it. */
  readonly priority: readonly string[]
  readonly enforcement: boolean
}

export interface HelpPage {
  readonly taskTypes: readonly HelpTaskType[]
  readonly tabs: readonly { readonly label: string; readonly holds: string }[]
  readonly rulesHref: string
  readonly reviewHref: string
  readonly ruleSetVersion: string | undefined
}

/** What a tab holds, before how long: the sentence tabStay gives says the latter. */
const TAB_HOLDS: Readonly<Record<ReviewTab, string>> = {
  recommended: 'Tasks the rules have recommended that nobody has decided yet, highest priority first.',
  accepted: 'Tasks someone accepted: the action is to go ahead, recorded in the case management system.',
  rejected: 'Tasks someone rejected, with the reasons they gave.',
  'on-hold': 'Tasks someone placed on hold while something is checked, with their note.',
}

export function helpPage(input: {
  readonly taskTypes: readonly TaskTypeEntry[]
  /** The rule set in force; undefined while it has problems (the page then says so rather than guessing). */
  readonly ruleSet: RuleSet | undefined
  readonly retention: RetentionDays
}): HelpPage {
  return {
    taskTypes: input.taskTypes.map((type) => {
      const rule = input.ruleSet?.rules.find((one) => one.code === type.code)
      return {
        name: type.name,
        description: type.description,
        priority: rule ? describeRule(rule).priority.map((line) => line.text) : [],
        enforcement: type.enforcement,
      }
    }),
    tabs: REVIEW_TABS.map((tab) => ({
      label: TAB_LABELS[tab],
      holds: `${TAB_HOLDS[tab]} ${tabStay(tab, input.retention)}`,
    })),
    rulesHref: paths.rules(),
    reviewHref: paths.reviewTasks(),
    ruleSetVersion: input.ruleSet?.version,
  }
}
