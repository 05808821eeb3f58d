/**
 * When a task is due (migration 0021): within its task type's working days
 * of the day it was recommended (a London day), and, for a task that acts
 * at the person's next reporting event, by the working day before that
 * reporting date, whichever comes first. A day outside the working-days
 * calendar gives no date ("Not known") rather than a wrong one.
 *
 * "Due soon" is today or the next DUE_SOON_WORKING_DAYS working days;
 * "overdue" is any day before today. Only open tasks (recommended or on
 * hold) are due: a decided task shows no tag.
 */
import type { IsoDate } from '../dates.ts'

export { DUE_DATE, DUE_SOON_WORKING_DAYS, dueSoonUntil } from '../db/working-days.ts'

export type DueState = 'overdue' | 'soon' | null

/** Whether a due date is past or close, on `today`. */
export function dueState(due: IsoDate | null, today: IsoDate, soonUntil: IsoDate | null): DueState {
  if (due === null) return null
  if (due < today) return 'overdue'
  if (soonUntil !== null && due <= soonUntil) return 'soon'
  return null
}
