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

/** Any fixed number, used for nothing else. */
const RULE_RUN_LOCK_KEY = 41_207_311

export async function lockForRuleRun<T>(trx: Transaction<T>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(RULE_RUN_LOCK_KEY)})`.execute(trx)
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
