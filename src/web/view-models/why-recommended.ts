/**
 * The case view's "Why recommended" section: the rule's explanation in
 * words, with the facts of the recommendation, or the stored values as they
 * are when a task has no full explanation.
 */
import type { TaskView } from '../../review/task-view.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { describeExplanation, type ExplanationSection } from '../../rules/explanation.ts'
import {
  type ExplanationUnavailable,
  isFullExplanation,
  isUnavailable,
  type TaskExplanation,
} from '../../rules/stored-explanation.ts'
import { NOT_RECORDED, row, type SummaryRow, yesNo } from './case-values.ts'

export interface WhyRecommended {
  readonly sections: readonly ExplanationSection[]
  /** Set when the stored explanation is not in the full form (an older or hand-made task), or cannot be given. */
  readonly fallbackNotice: string | undefined
  readonly facts: readonly SummaryRow[]
}

function plainValue(value: unknown): string {
  if (value === null || value === undefined) return NOT_RECORDED
  if (typeof value === 'boolean') return yesNo(value)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Why an explanation cannot be given, in words: never a wrong one in its place. */
export function unavailableExplanationMessage(e: ExplanationUnavailable): string {
  const cannot = 'The explanation of this recommendation cannot be shown:'
  switch (e.unavailable) {
    case 'rule-set-missing':
      return `${cannot} rule set version ${e.ruleSetVersion}, which made it, is no longer stored, so it cannot be worked out again.`
    case 'rule-missing':
      return `${cannot} rule set version ${e.ruleSetVersion} has no rule ${e.ruleCode}.`
    case 'facts-missing':
      return `${cannot} the person's data it was recommended on is no longer kept.`
    case 'not-matched':
      return `${cannot} rule ${e.ruleCode} of rule set version ${e.ruleSetVersion} does not recommend this task from the person's data it was recommended on, which has been changed by hand since.`
  }
}

/**
 * `explanation` is the task's explanation in full (explanationForTask in
 * src/rules/stored-explanation.ts, which derives it, or expands the stored
 * compact form), or why it cannot be given; without one, the stored value is
 * shown as it is.
 */
export function whyRecommended(
  task: TaskView,
  found: TaskExplanation = isFullExplanation(task.explanation) ? task.explanation : undefined,
): WhyRecommended {
  const explanation = isUnavailable(found) ? undefined : found
  const facts = [
    // The rule's name, as the rules page heads it; its code only when no explanation names it.
    row('Rule', explanation?.rule.name ?? task.ruleCode),
    row('Rule set version', task.ruleSetVersion),
    row('Recommended on', formatTimeOnDate(task.createdAt)),
    row("Person's data last changed", formatTimeOnDate(task.personDataChangedAt)),
  ]
  if (explanation) return { sections: describeExplanation(explanation), fallbackNotice: undefined, facts }
  if (isUnavailable(found))
    return { sections: [], fallbackNotice: unavailableExplanationMessage(found), facts }
  const entries =
    typeof task.explanation === 'object' && task.explanation !== null && !Array.isArray(task.explanation)
      ? Object.entries(task.explanation as Record<string, unknown>)
      : [['explanation', task.explanation] as const]
  return {
    sections: [
      {
        heading: 'Values recorded when the task was recommended',
        lines: entries.map(([name, value]) => ({ text: `${name}: ${plainValue(value)}`, depth: 0 })),
      },
    ],
    fallbackNotice:
      'This recommendation was stored without a full explanation: these are the values it recorded.',
    facts,
  }
}
