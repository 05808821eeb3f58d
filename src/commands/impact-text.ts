/**
 * An impact report for the terminal: what `ipic rules simulate` prints and
 * `ipic rules publish` prints before storing it. Text tables, a rate always
 * with the counts behind it.
 */
import type { ImpactCounts, ImpactReport } from '../rules/impact.ts'
import {
  apartWords,
  changeWords,
  DIMENSION_NAMES,
  equalityLines,
  flaggedByTaskType,
  type GroupLine,
  rateWords,
} from '../rules/impact-words.ts'
import { formatTable } from './text-table.ts'

export interface ReportPlace {
  /** Where the draft was read from. */
  readonly draftDir: string
}

const COUNT_COLUMNS = [
  { header: 'Live' },
  { header: 'Draft' },
  { header: 'Added' },
  { header: 'Withdrawn' },
  { header: 'Unchanged' },
] as const

const countCells = (c: ImpactCounts) => [c.live, c.draft, c.added, c.removed, c.unchanged]

export function formatImpactReport(report: ImpactReport, where: ReportPlace): string {
  const against =
    report.liveVersion === null
      ? 'against no rule set (no rule run has completed, so every match would be new)'
      : `against the live rule set ${report.liveVersion} (the one the last completed rule run used)`
  const heading = [
    `Draft rule set ${report.draftVersion} (${where.draftDir})`,
    `${against},`,
    `over the ${report.persons.toLocaleString('en-GB')} present persons on ${report.today}. Nothing has been written.`,
  ].join('\n')
  const same =
    report.draftVersion === report.liveVersion ? '\nThe draft is identical to the live rule set.' : ''
  if (report.taskTypes.length === 0) return `${heading}${same}\n\nNeither rule set matches anyone.`
  const byType = formatTable(
    [{ header: 'Task type' }, ...COUNT_COLUMNS],
    [
      ...report.taskTypes.map((row) => [row.taskType, ...countCells(row)]),
      ['Total', ...countCells(report.totals)],
    ],
  )
  const byRegion = formatTable(
    [{ header: 'Task type' }, { header: 'Region' }, ...COUNT_COLUMNS],
    report.regions.map((row) => [row.taskType, row.romRegion, ...countCells(row)]),
  )
  return [
    `${heading}${same}`,
    `Recommendations by task type\n\n${byType}`,
    `By task type and region\n\n${byRegion}`,
    'Live and Draft: persons each rule set would recommend for the task (before open tasks and\n' +
      'earlier decisions are taken into account). Added: by the draft only. Withdrawn: by the live\n' +
      'rule set only. Unchanged: by both.',
    formatEquality(report),
  ].join('\n\n')
}

function groupRow(line: GroupLine): string[] {
  const { group } = line
  return [
    group.group,
    rateWords(group.live, group.people),
    rateWords(group.draft, group.people),
    changeWords(group.changePoints),
    apartWords(line.apart),
    line.flags.join('; '),
  ]
}

const GROUP_COLUMNS = [
  { header: 'Group' },
  { header: 'Live' },
  { header: 'Draft' },
  { header: 'Change' },
  { header: "Against everyone's" },
  { header: 'Flags' },
] as const

function formatEquality(report: ImpactReport): string {
  const intro =
    'Recommendation rates by equality group (nationality, gender and age band are read for monitoring\n' +
    `only, never by a rule). A group is flagged when its rate would change by more than ${report.marginPoints} points,\n` +
    `or when its change would differ from everyone's by more than ${report.marginPoints} points; one of fewer than\n` +
    `${report.smallGroup} persons is marked small, as one person moves its rate a lot.`
  const tables = report.equality
    .filter((table) => table.taskType === null)
    .map((table) => {
      const rows = equalityLines(report, table).map(groupRow)
      return `${DIMENSION_NAMES[table.dimension]}, recommended for any task type\n\n${formatTable(GROUP_COLUMNS, rows)}`
    })
  return [intro, ...tables, formatFlaggedByTaskType(report)].join('\n\n')
}

function formatFlaggedByTaskType(report: ImpactReport): string {
  const flagged = flaggedByTaskType(report).map(({ taskType, table, line }) => [
    taskType,
    DIMENSION_NAMES[table.dimension],
    ...groupRow(line),
  ])
  if (flagged.length === 0) {
    return `By task type: no group is flagged for any one task type.`
  }
  return `Flagged groups by task type\n\n${formatTable(
    [{ header: 'Task type' }, { header: 'Dimension' }, ...GROUP_COLUMNS],
    flagged,
  )}`
}
