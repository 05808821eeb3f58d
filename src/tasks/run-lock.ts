/**
 * The advisory lock that keeps a rule run apart from the few writes that
 * could collide with it. A run holds it exclusively for its whole
 * transaction. A caseworker placing a task on hold holds it shared: that is
 * the one decision that can reopen a task, and a run inserts new tasks on the
 * understanding that no task of theirs opens while it works. Both locks end
 * with their transaction. PGlite supports them too (trivially: it has one
 * connection).
 */
import { sql, type Transaction } from 'kysely'
import { FACTS_REBUILD_LOCK_KEY } from '../db/facts-lock.ts'
import { IMPORT_LOCK_KEY } from '../db/import-lock.ts'

/** Any fixed number, used for nothing else. */
const RULE_RUN_LOCK_KEY = 41_207_311

/** A run was asked for while an import is writing: it did not start. */
export class ImportRunningError extends Error {}

/** A run was asked for while the person facts are being rebuilt: it did not start (callers treat it as the import's refusal). */
export class FactsRebuildingError extends ImportRunningError {}

/**
 * Takes the run lock, after making sure that no import is half way: a run
 * then would recommend from a caseload part old and part new, and (after a
 * full extract) before anyone missing from it is marked absent. The import
 * runs the rules itself when it finishes, unless told not to, so the run is
 * refused rather than queued behind a wait of many minutes. The import's
 * lock is only probed, not held: an import that starts once the run is
 * under way is safe, as its batches are outside the run's snapshot and the
 * next run evaluates them (docs/decisions/0010-incremental-rule-runs.md).
 */
export async function lockForRuleRun<T>(trx: Transaction<T>): Promise<void> {
  if (!(await lockIsFree(trx, IMPORT_LOCK_KEY))) {
    throw new ImportRunningError(
      'An import is running: the rules were not run on a caseload half imported. The import runs them when it ' +
        'finishes (unless it was started with --no-rules); otherwise run them again once it has finished',
    )
  }
  if (!(await lockIsFree(trx, FACTS_REBUILD_LOCK_KEY))) {
    throw new FactsRebuildingError(
      'The person facts are being rebuilt (ipic rules facts --rebuild): the rules were not run on a facts table ' +
        'half filled. Run them again once the rebuild has finished',
    )
  }
  await sql`select pg_advisory_xact_lock(${sql.lit(RULE_RUN_LOCK_KEY)})`.execute(trx)
}

/** Whether no one holds the lock: taken and given back in one statement, so the probe can never leave it held. */
async function lockIsFree<T>(trx: Transaction<T>, key: string): Promise<boolean> {
  const probe = await sql<{ free: boolean }>`
    select case when pg_try_advisory_lock_shared(${sql.raw(key)})
      then pg_advisory_unlock_shared(${sql.raw(key)}) else false end as free`.execute(trx)
  return probe.rows[0]?.free === true
}

export async function waitForRuleRun<T>(trx: Transaction<T>): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${sql.lit(RULE_RUN_LOCK_KEY)})`.execute(trx)
}

/**
 * Takes the run lock if it is free, without waiting; held, like the others,
 * until the transaction ends. False while a run is working, and while one is
 * queued for it: PostgreSQL refuses a lock that conflicts with a waiter's,
 * and hands a freed lock straight to the first in the queue.
 */
export async function tryLockForRuleRun<T>(trx: Transaction<T>): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(${sql.lit(RULE_RUN_LOCK_KEY)}) as locked`.execute(trx)
  return result.rows[0]?.locked === true
}
