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
 * until the transaction ends. False while a run is working.
 */
export async function tryLockForRuleRun<T>(trx: Transaction<T>): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(${sql.lit(RULE_RUN_LOCK_KEY)}) as locked`.execute(trx)
  return result.rows[0]?.locked === true
}

/** Whether any session is queued for the run lock: a run that has recorded itself and is about to work. */
export async function ruleRunWaiting<T>(trx: Transaction<T>): Promise<boolean> {
  // A single-number advisory lock shows in pg_locks as classid (high half), objid (low half), objsubid 1.
  // Advisory locks belong to one database, and pg_locks lists every database's.
  const result = await sql<{ waiting: boolean }>`
    select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and not granted and objsubid = 1
        and database = (select oid from pg_database where datname = current_database())
        and classid = ${sql.lit(Math.floor(RULE_RUN_LOCK_KEY / 2 ** 32))}
        and objid = ${sql.lit(RULE_RUN_LOCK_KEY % 2 ** 32)}
    ) as waiting`.execute(trx)
  return result.rows[0]?.waiting === true
}
