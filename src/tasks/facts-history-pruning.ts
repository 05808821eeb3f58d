/**
 * Pruning person_facts_history (docs/decisions/0030-facts-history-pruning.md):
 * removing the versions of a person's facts that no task names and that are
 * not the person's current version. Only a task's explanation ever asks for
 * a version (src/rules/stored-explanation.ts: "re-run the decision"), and
 * only a rule run makes a task name one, so such a version can never be
 * asked for again.
 *
 * Why a rule run can never find its version pruned. A run reads each
 * person's current version from person_facts and stores it in the tasks it
 * writes, all in one transaction that takes the run lock before it reads
 * anything (rule-run.ts, run-lock.ts); that transaction is READ COMMITTED,
 * so every statement after the lock sees what committed before the lock was
 * granted. Between its read and its commit an import may make a newer
 * version current, so for a while the run's version is neither current nor
 * named by any committed task: exactly what the prune removes. So each batch
 * here holds the run lock (shared: runs are the only exclusive holders, and
 * a caseworker putting a task on hold, who also takes it shared, is not kept
 * waiting) and decides what to delete in a statement that starts after the
 * lock is granted:
 *   - a run under way holds the lock: the batch waits until it commits, and
 *     its statement then sees the run's tasks, which name what it read;
 *   - a run that starts later waits for the batch to commit, then reads
 *     current versions only, and a current version is never deleted.
 * An import needs no lock: it only makes new versions current (and appends
 * them), and the prune never deletes a version current in its statement's
 * snapshot; an import's uncommitted change leaves the old version current in
 * that snapshot, so the old version is kept until the next prune. A rebuild
 * is the same (it is the import's upsert over everyone).
 *
 * A version is "current" when it is its person's person_facts.facts_version:
 * versions come from one sequence, each made for one person's row and kept
 * in history with that person's ID, so the check probes person_facts by its
 * primary key rather than scanning it. Tasks have no index on facts_version
 * (one would slow every run's writes for a nightly job), so each batch scans
 * tasks once, hashing only the versions in its range.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { waitForRuleRun } from './run-lock.ts'

/** History rows looked at per batch (one short transaction each). */
export const DEFAULT_PRUNE_BATCH = 50_000

/** How long each batch waits for a rule run under way to finish before the prune stops. */
export const DEFAULT_RUN_WAIT_SECONDS = 120

export interface PruneOptions {
  /** History rows looked at per transaction. */
  readonly batchSize?: number
  /** Seconds a batch waits for a rule run holding its lock; the prune then stops with RuleRunUnderWayError. */
  readonly runWaitSeconds?: number
}

export interface PruneResult {
  /** Versions removed: no task named them and none was its person's current one. */
  readonly removed: number
  /** Versions looked at and kept: current ones and those a task names. */
  readonly kept: number
  readonly batches: number
}

/**
 * A batch waited `runWaitSeconds` for a rule run and gave up. What the
 * batches before it removed stays removed (each committed on its own).
 */
export class RuleRunUnderWayError extends Error {
  readonly sofar: PruneResult
  constructor(sofar: PruneResult, waitedSeconds: number) {
    super(
      `A rule run has been working for more than ${waitedSeconds} s, so the facts history was not pruned further ` +
        `(${sofar.removed.toLocaleString('en-GB')} versions removed before it started): a version it is about to ` +
        'store could look unused. Prune again once the run has finished',
    )
    this.sofar = sofar
  }
}

/** The largest facts version: the upper end of the last batch, so versions made during the prune are looked at too. */
const LAST_VERSION = '9223372036854775807'

/**
 * Removes every facts version no task names and no person holds as current,
 * in batches of consecutive versions, each in its own transaction holding
 * the run lock. Safe alongside imports, rebuilds and rule runs (see above).
 */
export async function pruneFactsHistory(
  db: Kysely<Tables>,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const batchSize = options.batchSize ?? DEFAULT_PRUNE_BATCH
  const waitSeconds = options.runWaitSeconds ?? DEFAULT_RUN_WAIT_SECONDS
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size ${batchSize}`)
  let totals: PruneResult = { removed: 0, kept: 0, batches: 0 }
  let after = '0'
  for (;;) {
    const batch = await db
      .transaction()
      .execute((trx) => pruneBatch(trx, { after, batchSize, waitSeconds }))
      .catch((error: unknown) => {
        throw isLockTimeout(error) ? new RuleRunUnderWayError(totals, waitSeconds) : error
      })
    totals = {
      removed: totals.removed + batch.removed,
      kept: totals.kept + batch.kept,
      batches: totals.batches + 1,
    }
    if (batch.through === LAST_VERSION) return totals
    after = batch.through
  }
}

interface Batch {
  readonly removed: number
  readonly kept: number
  /** The last version of the batch's range. */
  readonly through: string
}

async function pruneBatch(
  trx: Transaction<Tables>,
  input: { readonly after: string; readonly batchSize: number; readonly waitSeconds: number },
): Promise<Batch> {
  await holdOffRuleRuns(trx, input.waitSeconds)
  // The range's end: the batchSize-th version after the last batch's, by the history's primary key.
  const end = await sql<{ through: string }>`
    select facts_version::text as through from person_facts_history
    where facts_version > ${input.after}::bigint
    order by facts_version offset ${input.batchSize - 1} limit 1`.execute(trx)
  const through = end.rows[0]?.through ?? LAST_VERSION
  const inRange = (column: string) =>
    sql`${sql.ref(column)} > ${input.after}::bigint and ${sql.ref(column)} <= ${through}::bigint`
  // The count is of the rows as they were before the delete: a statement's parts share one snapshot.
  const counted = await sql<{ removed: number; looked_at: number }>`
    with removed as (
      delete from person_facts_history h
      where ${inRange('h.facts_version')}
        and not exists (
          select 1 from person_facts f where f.person_id = h.person_id and f.facts_version = h.facts_version)
        and not exists (
          select 1 from tasks t where t.facts_version = h.facts_version and ${inRange('t.facts_version')})
      returning 1
    )
    select (select count(*)::int from removed) as removed,
      (select count(*)::int from person_facts_history h where ${inRange('h.facts_version')}) as looked_at`.execute(
    trx,
  )
  const row = counted.rows[0]
  const removed = row?.removed ?? 0
  return { removed, kept: (row?.looked_at ?? 0) - removed, through }
}

/**
 * Takes the run lock shared for the transaction, waiting at most `seconds`
 * for a run that holds it; the wait's limit is lifted again once it is
 * granted, so the batch's own statements wait for rows as usual.
 */
async function holdOffRuleRuns(trx: Transaction<Tables>, seconds: number): Promise<void> {
  await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(seconds * 1000))}ms`}, true)`.execute(
    trx,
  )
  await waitForRuleRun(trx)
  await sql`select set_config('lock_timeout', '0', true)`.execute(trx)
}

/** PostgreSQL's lock_not_available: a lock wait reached lock_timeout. */
function isLockTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '55P03'
}
