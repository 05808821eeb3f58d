/**
 * The dashboard's contests (src/mi/contest-stats.ts) as a section of the
 * page: the totals, then a row per task type and rule version, with the
 * counts behind each share.
 */
import type { ContestFigures, ContestStats } from '../../mi/contest-stats.ts'
import type { DashboardSection, DashboardTable } from './dashboard-parts.ts'
import { shareWithCounts } from './rubber-stamp.ts'

const days = (value: number | null) =>
  value === null ? 'None decided' : `${value} ${value === 1 ? 'day' : 'days'}`

const HEADS: DashboardTable['head'] = [
  { text: 'Recorded', format: 'numeric' },
  { text: 'Open', format: 'numeric' },
  { text: 'Upheld', format: 'numeric' },
  { text: 'Changed', format: 'numeric' },
  { text: 'Median time to outcome', format: 'numeric' },
  { text: 'Longest', format: 'numeric' },
]

function cells(figures: ContestFigures): DashboardTable['rows'][number] {
  const decided = figures.upheld + figures.changed
  return [
    { text: String(figures.recorded), format: 'numeric' },
    { text: String(figures.open), format: 'numeric' },
    { text: shareWithCounts(figures.upheld, decided), format: 'numeric' },
    { text: shareWithCounts(figures.changed, decided), format: 'numeric' },
    { text: days(figures.medianDaysToOutcome), format: 'numeric' },
    { text: days(figures.longestDaysToOutcome), format: 'numeric' },
  ]
}

export function contestSection(stats: ContestStats): DashboardSection {
  return {
    id: 'contests',
    heading: 'Contests',
    text:
      'Representations and contests recorded in the period, their outcomes (a share of those decided) and the ' +
      'days from receiving them to the outcome, by task type and the rule version of the task contested.',
    svg: undefined,
    tables: [
      {
        caption: 'Contests, all task types',
        head: [{ text: 'Contests' }, ...HEADS],
        rows: stats.total.recorded === 0 ? [] : [[{ text: 'All' }, ...cells(stats.total)]],
      },
      {
        caption: 'Contests, by task type and rule version',
        head: [{ text: 'Task type' }, { text: 'Rule version' }, ...HEADS],
        rows: stats.groups.map((group) => [
          { text: group.taskTypeName },
          { text: group.ruleSetVersion },
          ...cells(group),
        ]),
      },
    ],
  }
}
