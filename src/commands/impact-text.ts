/**
 * An impact report for the terminal: what `ipic rules simulate` prints and
 * `ipic rules publish` prints before storing it. Text tables, a rate always
 * with the counts behind it.
 */
import type { EqualityImpact, GroupImpact, ImpactCounts, ImpactReport } from '../rules/impact.ts'
import { changeWords, DIMENSION_NAMES, groupFlags, rateWords } from '../rules/impact-words.ts'
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

function groupRow(group: GroupImpact, marginPoints: number): string[] {
  return [
    group.group,
    rateWords(group.live, group.people),
    rateWords(group.draft, group.people),
    changeWords(group.changePoints),
    groupFlags(group, marginPoints).join('; '),
  ]
}

const GROUP_COLUMNS = [
  { header: 'Group' },
  { header: 'Live' },
  { header: 'Draft' },
  { header: 'Change' },
  { header: 'Flags' },
] as const

function formatEquality(report: ImpactReport): string {
  const intro =
    'Recommendation rates by equality group (nationality, gender and age band are read for monitoring\n' +
    `only, never by a rule). A group is flagged when its rate would change by more than ${report.marginPoints} points;\n` +
    `one of fewer than ${report.smallGroup} persons is marked small, as one person moves its rate a lot.`
  const anyType = report.equality.filter((table) => table.taskType === null)
  const everyone = report.everyone.find((row) => row.taskType === null)
  const tables = anyType.map((table) => {
    const rows = [...(everyone ? [everyone] : []), ...table.groups].map((g) =>
      groupRow(g, report.marginPoints),
    )
    return `${DIMENSION_NAMES[table.dimension]}, recommended for any task type\n\n${formatTable(GROUP_COLUMNS, rows)}`
  })
  return [intro, ...tables, formatFlaggedByTaskType(report)].join('\n\n')
}

function formatFlaggedByTaskType(report: ImpactReport): string {
  const flagged = report.equality
    .filter((table): table is EqualityImpact & { taskType: string } => table.taskType !== null)
    .flatMap((table) =>
      table.groups
        .filter((group) => group.flagged)
        .map((group) => [
          table.taskType,
          DIMENSION_NAMES[table.dimension],
          ...groupRow(group, report.marginPoints),
        ]),
    )
  if (flagged.length === 0) {
    return `By task type: no group's rate for any one task type would change by more than ${report.marginPoints} points.`
  }
  return `Flagged groups by task type\n\n${formatTable(
    [{ header: 'Task type' }, { header: 'Dimension' }, ...GROUP_COLUMNS],
    flagged,
  )}`
}
