/**
 * How long a decided task stays on its review tab. Accepted and rejected
 * tasks leave their tab once the period is over; a task on hold stays until
 * someone changes it. Only the tab forgets: task_events keeps every decision
 * for the MI report.
 *
 * The period counts whole days in Europe/London from the day of the
 * decision, inclusively: with 5 days, a task accepted on 1 March is still
 * listed on 6 March (5 days later) and gone on 7 March.
 */
import { addDays, type IsoDate } from '../dates.ts'
import type { TaskStatus } from '../db/tables.ts'

export interface RetentionDays {
  readonly acceptedDays: number
  readonly rejectedDays: number
}

/**
 * The first London day whose decisions are still listed today, or null when
 * the status is listed without a time limit.
 */
export function retentionStart(status: TaskStatus, today: IsoDate, retention: RetentionDays): IsoDate | null {
  if (status === 'ACCEPTED') return addDays(today, -retention.acceptedDays)
  if (status === 'REJECTED') return addDays(today, -retention.rejectedDays)
  return null
}
