/**
 * The rules page: every task type with its rule in plain English (safeguards
 * first, then the conditions, priority and reporting date), the rule-set
 * version in force, and what the last run did, per task type and region.
 */

import { formatLongDate } from '../../dates.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { describeRule, type ExplanationLine } from '../../rules/explanation.ts'
import type { RuleSetProblem } from '../../rules/load.ts'
import type { RuleRunRecord, RulesOverview } from '../../rules/overview.ts'
import type { OutcomeCounts, RunCount } from '../../rules/run-counts.ts'
import type { RunTrigger } from '../../tasks/rule-run.ts'

/** A line of plain English with the lines that belong under it. */
export interface LineTree {
  readonly text: string
  readonly children: readonly LineTree[]
}

type Cell = { readonly text: string; readonly format?: 'numeric' }

export interface RuleSection {
  /** The HTML id of the section, for the contents list's links. */
  readonly id: string
  readonly code: string
  readonly name: string
  /** The task type's own description (reference data). */
  readonly description: string
  /** Null when the rule set has no rule for this task type. */
  readonly rule: {
    readonly description: string
    readonly owner: string
    readonly safeguards: readonly LineTree[]
    readonly eligibility: readonly LineTree[]
    readonly priority: readonly LineTree[]
    readonly reportingDate: string
    readonly parameters: readonly (readonly Cell[])[]
    readonly references: readonly { readonly text: string; readonly href: string }[]
    readonly changes: readonly string[]
  } | null
  /** The last completed run's counts for this task type, one row per region and a total; empty if none. */
  readonly lastRunRows: readonly (readonly Cell[])[]
}

export interface RulesPage {
  readonly version: string | null
  readonly problems: readonly string[]
  readonly lastRun:
    | readonly { readonly key: { readonly text: string }; readonly value: { readonly text: string } }[]
    | null
  /** A later run that has not completed: still running, or failed. */
  readonly warning: string | null
  readonly contents: readonly { readonly text: string; readonly href: string }[]
  readonly sections: readonly RuleSection[]
}

export type RulesPageInput = RulesOverview

const TRIGGERS: Readonly<Record<RunTrigger, string>> = {
  manual: 'Run by hand',
  import: 'After an import',
  start: 'At start-up',
  schedule: 'On schedule',
  api: 'Through the API',
}

const number = new Intl.NumberFormat('en-GB')

/** Turns lines with depths (0, 1, 1, 2, 0 …) into nested lists. */
export function nestLines(lines: readonly ExplanationLine[]): LineTree[] {
  const root: { text: string; children: LineTree[] }[] = []
  const stack: { depth: number; children: LineTree[] }[] = [{ depth: -1, children: root }]
  for (const line of lines) {
    while (stack.length > 1 && (stack.at(-1)?.depth ?? -1) >= line.depth) stack.pop()
    const node = { text: line.text, children: [] as LineTree[] }
    stack.at(-1)?.children.push(node)
    stack.push({ depth: line.depth, children: node.children })
  }
  return root
}

export function sectionId(code: string): string {
  return `rule-${code.toLowerCase().replaceAll('_', '-')}`
}

function countRows(counts: readonly RunCount[], regions: RulesPageInput['regions']): (readonly Cell[])[] {
  if (counts.length === 0) return []
  const order = new Map(regions.map((r, i) => [r.code, i]))
  const sorted = [...counts].sort(
    (a, b) => (order.get(a.romRegion) ?? regions.length) - (order.get(b.romRegion) ?? regions.length),
  )
  const total: OutcomeCounts = { new: 0, unchanged: 0, withdrawn: 0, suppressed: 0 }
  const row = (label: string, c: OutcomeCounts): Cell[] => [
    { text: label },
    { text: number.format(c.new), format: 'numeric' },
    { text: number.format(c.unchanged), format: 'numeric' },
    { text: number.format(c.withdrawn), format: 'numeric' },
    { text: number.format(c.suppressed), format: 'numeric' },
  ]
  const rows = sorted.map((c) => {
    total.new += c.new
    total.unchanged += c.unchanged
    total.withdrawn += c.withdrawn
    total.suppressed += c.suppressed
    return row(regions.find((r) => r.code === c.romRegion)?.name ?? c.romRegion, c)
  })
  return [...rows, row('All regions', total)]
}

function lastRunSummary(run: RuleRunRecord, liveVersion: string | null): RulesPage['lastRun'] {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } })
  const version =
    liveVersion === null || run.ruleSetVersion === liveVersion
      ? run.ruleSetVersion
      : `${run.ruleSetVersion} (an earlier version than the one in force)`
  return [
    row('Started', formatTimeOnDate(run.startedAt)),
    row('Finished', run.finishedAt ? formatTimeOnDate(run.finishedAt) : 'Not finished'),
    row(
      'Why it ran',
      Object.hasOwn(TRIGGERS, run.trigger) ? TRIGGERS[run.trigger as RunTrigger] : run.trigger,
    ),
    row('Rule set version', version),
    row(
      'Persons evaluated',
      run.personsEvaluated === null ? 'Not known' : number.format(run.personsEvaluated),
    ),
  ]
}

function laterRunWarning(run: RuleRunRecord | undefined): string | null {
  if (!run) return null
  if (run.status === 'RUNNING')
    return `A rule run started at ${formatTimeOnDate(run.startedAt)} has not finished yet.`
  return `The latest rule run, started at ${formatTimeOnDate(run.startedAt)}, failed${
    run.failure ? `: ${run.failure.replace(/\.?$/, '.')}` : '.'
  } Its changes were not kept; the figures below are from the last run that completed.`
}

function problemText(problem: RuleSetProblem): string {
  return problem.path === ''
    ? `${problem.file}: ${problem.message}`
    : `${problem.file}: ${problem.path}: ${problem.message}`
}

export function rulesPage(input: RulesPageInput): RulesPage {
  const ruleSet = input.live.kind === 'loaded' ? input.live.ruleSet : undefined
  const completed = input.runs.completed
  const sections = input.taskTypes.map((taskType): RuleSection => {
    const rule = ruleSet?.rules.find((r) => r.code === taskType.code)
    const described = rule ? describeRule(rule) : undefined
    return {
      id: sectionId(taskType.code),
      code: taskType.code,
      name: taskType.name,
      description: taskType.description,
      rule: described
        ? {
            description: described.description,
            owner: described.owner,
            safeguards: nestLines(described.safeguards),
            eligibility: nestLines(described.eligibility),
            priority: nestLines(described.priority),
            reportingDate: described.reportingDate,
            parameters: described.parameters.map((p) => [
              { text: p.name },
              { text: p.value },
              { text: p.description },
            ]),
            references: described.policyReferences.map((r) => ({ text: r.title, href: r.url })),
            changes: described.changes.map((c) => `${formatLongDate(c.date)}, ${c.author}: ${c.note}`),
          }
        : null,
      lastRunRows: countRows(
        (completed?.counts ?? []).filter((c) => c.taskType === taskType.code),
        input.regions,
      ),
    }
  })
  return {
    version: ruleSet?.version ?? null,
    problems: input.live.kind === 'invalid' ? input.live.problems.map(problemText) : [],
    lastRun: completed ? lastRunSummary(completed, ruleSet?.version ?? null) : null,
    warning: laterRunWarning(input.runs.later),
    contents: sections.map((s) => ({ text: s.name, href: `#${s.id}` })),
    sections,
  }
}
