/**
 * The dashboard's overdue work (src/mi/overdue.ts) as a section of the
 * page: a row per task type and region with open tasks, how many are past
 * their due date and the share that is.
 */
import type { OverdueCount } from '../../mi/overdue.ts'
import type { DashboardSection } from './dashboard-parts.ts'
import { shareWithCounts } from './rubber-stamp.ts'

export function overdueSection(counts: readonly OverdueCount[]): DashboardSection {
  const overdue = counts.reduce((sum, count) => sum + count.overdue, 0)
  const open = counts.reduce((sum, count) => sum + count.open, 0)
  return {
    id: 'overdue',
    heading: 'Overdue tasks',
    text:
      `Today, ${overdue} of ${open} open ${open === 1 ? 'task is' : 'tasks are'} past the date they were due to be decided by. ` +
      'Open tasks are those recommended or on hold, whatever the dates above; each task type’s target time to a decision is in its reference data.',
    svg: undefined,
    tables: [
      {
        caption: 'Overdue tasks, by task type and region',
        head: [
          { text: 'Task type' },
          { text: 'Region' },
          { text: 'Overdue', format: 'numeric' },
          { text: 'Open', format: 'numeric' },
          { text: 'Share overdue', format: 'numeric' },
        ],
        rows: counts.map((count) => [
          { text: count.taskType },
          { text: count.region },
          { text: String(count.overdue), format: 'numeric' },
          { text: String(count.open), format: 'numeric' },
          { text: shareWithCounts(count.overdue, count.open), format: 'numeric' },
        ]),
      },
    ],
  }
}
