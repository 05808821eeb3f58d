/**
 * The writer of contest_events (migration 0028): a contest recorded, and its
 * outcome, as decision events for other systems, in the transaction that
 * writes them. The caller has locked the task's row, as every writer of a
 * task's events does, so that the event's ID follows the task's earlier
 * events and precedes its later ones (docs/decisions/0022-decision-events.md).
 */
import { sql, type Transaction } from 'kysely'
import type { ContestEventRow, Tables } from '../db/tables.ts'

export async function recordContestEvent(
  trx: Transaction<Tables>,
  event: {
    readonly contestId: number
    readonly change: ContestEventRow['change']
    readonly occurredAt: Date
    readonly userId: string
  },
): Promise<void> {
  // The task's version and status as they stand, read under the lock the caller holds.
  const { numAffectedRows } = await sql`
    insert into contest_events (task_id, contest_id, change, task_version, task_status, occurred_at, user_id)
    select t.id, c.id, ${event.change}, t.version, t.status, ${event.occurredAt}::timestamptz, ${event.userId}
    from contests c join tasks t on t.id = c.task_id
    where c.id = ${event.contestId}`.execute(trx)
  if (numAffectedRows !== 1n) throw new Error(`contest ${event.contestId} has no task to record its event on`)
}
