/**
 * Rule runs whose process died mid-way. A run records itself as RUNNING,
 * then does its work in a transaction holding the run lock; if the process
 * stops, the transaction rolls back and the lock frees itself with the
 * session, but the RUNNING row stays. So a RUNNING row while nobody holds
 * the lock, and nobody is queued for it, belongs to a run that can never
 * finish: it is recorded as FAILED with the reason.
 *
 * Called as the service or a command starts, and before each run. One gap
 * remains: a run that has recorded itself but not yet asked for the lock
 * (the moment between its two transactions) looks interrupted. If it is
 * marked then, it still completes: its row ends COMPLETED, keeping the
 * failure text as a trace of the mix-up.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { tryLockForRuleRun } from './run-lock.ts'

export const INTERRUPTED_RUN_FAILURE = 'interrupted: the process stopped before the run finished'

/** Marks the runs that can no longer finish as FAILED; returns their IDs. */
export async function markInterruptedRuns(db: Kysely<Tables>, clock: Clock): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    // A run at work holds the lock; one queued for it is live too, and its
    // row cannot be told apart: in either case the lock is not to be had.
    if (!(await tryLockForRuleRun(trx))) return []
    const marked = await trx
      .updateTable('rule_runs')
      .set({ status: 'FAILED', finished_at: clock.now(), failure: INTERRUPTED_RUN_FAILURE })
      .where('status', '=', 'RUNNING')
      .returning('id')
      .execute()
    return marked.map((row) => row.id).sort((a, b) => a - b)
  })
}
