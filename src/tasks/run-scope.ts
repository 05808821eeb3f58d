/**
 * Whether a rule run must evaluate every present person, or only those
 * changed since the last completed run (docs/decisions/0010-incremental-rule-runs.md).
 *
 * A run's outcome for a person depends on the rule set, the day ("today"),
 * the person's data, lists and presence, and the person's tasks. When the
 * rule set and the day are those of the last completed run, a person whose
 * data, lists and presence have not been written since that run is left
 * exactly as a full run would leave them: that run brought their tasks in
 * line, and a caseworker's decision since then only closes a task (which
 * stays suppressed, being decided after the data it was recommended on) or
 * reopens one (which stays open). So only the changed persons are evaluated.
 *
 * "Changed since that run" is decided by PostgreSQL's own bookkeeping, not
 * by clocks: each person row carries the transaction that last wrote it
 * (persons.rules_changed, migration 0008), and each run records the
 * snapshot it took, after its lock and before it read anyone. A person
 * written by a transaction that snapshot does not see, committed later or
 * still running then, is evaluated again by the next run. Transaction IDs
 * only mean something within one server's history, so the snapshot is used
 * only on the server (and server start) that took it; after a restart or a
 * restore the first run is full.
 */
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { CompiledMatches, MatchesQuery } from '../rules/compiled-matches.ts'

/**
 * Full or incremental, and why, in words for the log and the run's record.
 * An incremental run carries on from the run whose snapshot is `since`.
 */
export type RunScope =
  | { readonly kind: 'full'; readonly reason: string }
  | { readonly kind: 'incremental'; readonly reason: string; readonly since: string }

export type RunScopeKind = RunScope['kind']

/** What rule_runs.server_started_at is set to. */
export const SERVER_STARTED_AT = sql<Date>`pg_postmaster_start_time()`

/** The table an incremental run lists its persons in: what compile.ts's personsIn reads. */
export const SCOPE_TABLE = 'rule_run_persons'

/**
 * The snapshot a run records (pg_snapshot as text), with its day, so that
 * the next run can tell whether its results carry over. Call once the run
 * holds its lock, before it reads any person. The server's start time is
 * recorded with them, in SQL (SERVER_STARTED_AT), so that it keeps its
 * microseconds.
 */
export async function takeSnapshot(trx: Transaction<Tables>): Promise<string> {
  const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(
    trx,
  )
  const row = rows[0]
  if (!row) throw new Error('the database returned no snapshot')
  return row.snapshot
}

export interface ScopeQuestion {
  readonly ruleSetVersion: string
  /** The day the run evaluates as of. */
  readonly today: IsoDate
  /** False when the compiled matches cannot be narrowed to some persons. */
  readonly canNarrow: boolean
  readonly fullRequested: boolean
}

/** Full or incremental, compared with the last completed run on this server. */
export async function chooseScope(trx: Transaction<Tables>, question: ScopeQuestion): Promise<RunScope> {
  if (question.fullRequested) return { kind: 'full', reason: 'a full run was asked for' }
  if (!question.canNarrow) {
    return { kind: 'full', reason: 'the compiled rule set cannot be narrowed to some persons' }
  }
  // Runs take their snapshots under the run lock, one after another, so the
  // latest snapshot is the last run to complete (ids are taken before the
  // lock and may be out of that order).
  const { rows } = await sql<{
    id: number
    rule_set_version: string
    evaluated_on: string
    snapshot: string
  }>`
    select id, rule_set_version, evaluated_on::text as evaluated_on, snapshot::text as snapshot
    from rule_runs
    where status = 'COMPLETED' and snapshot is not null and server_started_at = pg_postmaster_start_time()
    order by pg_snapshot_xmax(snapshot) desc
    limit 1
  `.execute(trx)
  const last = rows[0]
  if (!last) return { kind: 'full', reason: 'no run has completed since the database server started' }
  if (last.rule_set_version !== question.ruleSetVersion) {
    return {
      kind: 'full',
      reason: `the rule set is not that of run ${last.id} (${last.rule_set_version} then, ${question.ruleSetVersion} now)`,
    }
  }
  if (last.evaluated_on !== question.today) {
    return {
      kind: 'full',
      reason: `a new day since run ${last.id} (${last.evaluated_on} then, ${question.today} now)`,
    }
  }
  return {
    kind: 'incremental',
    reason: `same rule set and day as run ${last.id}: only persons changed since it are evaluated`,
    since: last.snapshot,
  }
}

/**
 * Lists the persons written since the snapshot in SCOPE_TABLE (present or
 * not: one no longer present has tasks to withdraw). Returns how many it
 * listed, and how many of them are present.
 *
 * The persons to list are those whose writer the snapshot does not see.
 * Every transaction older than the snapshot's xmin had ended when it was
 * taken, so it sees their writes: the persons to list are all at or above
 * xmin, a range the index persons_changed_since (migration 0032) reads
 * without visiting anyone written before it. The exact test is applied to
 * that range. The xmin is bound as a value, not left to SQL, so that the
 * planner estimates the range from the column's statistics (usually a
 * handful of persons, so an index scan) rather than guessing a third of
 * the table.
 */
export async function listChangedPersons(
  trx: Transaction<Tables>,
  since: string,
): Promise<{ listed: number; present: number }> {
  const { rows: bounds } = await sql<{ xmin: string }>`
    select pg_snapshot_xmin(${since}::pg_snapshot)::text as xmin`.execute(trx)
  const xmin = bounds[0]?.xmin
  if (xmin === undefined) throw new Error(`the database returned no xmin for snapshot ${since}`)
  await sql`
    create temp table ${sql.table(SCOPE_TABLE)} on commit drop as
    ${changedPersonsQuery(since, xmin)}
  `.execute(trx)
  // The planner would otherwise guess its size; usually it is small.
  await sql`analyze ${sql.table(SCOPE_TABLE)}`.execute(trx)
  const { rows } = await sql<{ listed: number; present: number }>`
    select count(*)::int as listed, count(*) filter (where present)::int as present
    from ${sql.table(SCOPE_TABLE)}`.execute(trx)
  return { listed: rows[0]?.listed ?? 0, present: rows[0]?.present ?? 0 }
}

/** The persons written by a transaction that `since` does not see, `xmin` being its xmin (see listChangedPersons). */
export function changedPersonsQuery(
  since: string,
  xmin: string,
): RawBuilder<{ person_id: string; present: boolean }> {
  return sql`
    select person_id, present from persons
    where rules_changed >= ${xmin}::xid8 and not pg_visible_in_snapshot(rules_changed, ${since}::pg_snapshot)`
}

/** What the diff compares of an open task (src/tasks/reconcile.ts). */
export interface OpenTask {
  id: number
  person_id: string
  task_type: string
  rom_region: string
  status: 'RECOMMENDED' | 'ON_HOLD'
  priority: string | null
  reporting_date: string | null
}

const OPEN_TASK = sql`t.id, t.person_id, t.task_type, t.rom_region, t.status, t.priority, t.reporting_date`

/**
 * Up to this many persons listed, their open tasks are looked up person by
 * person through the unique index tasks_one_open; beyond it, they are found
 * by reading the open tasks once, as a full run does. Left to itself, the
 * planner reads every open task even for a few thousand persons, its costs
 * taking each lookup for a read from disk: at 1,000,000 persons with 10,000
 * changed, 0.11 s through 185,000 open tasks against 0.05 s by person (and
 * five times the tasks at stress). A lookup costs several task reads, so a
 * mass change is better served by the pass; past this limit the lookups
 * would cost more than the pass, by at most about half a second, in a run
 * that evaluates that many persons anyway.
 */
const LOOKUP_LIMIT = 100_000

/** The open tasks of every person: a full run's side of the diff. */
const EVERY_OPEN_TASK: RawBuilder<OpenTask> = sql`
  select ${OPEN_TASK} from tasks t where t.status in ('RECOMMENDED', 'ON_HOLD')`

/** The open tasks of the persons listed in SCOPE_TABLE, `listed` of them. */
export function openTasksOfListed(listed: number, lookupLimit = LOOKUP_LIMIT): RawBuilder<OpenTask> {
  if (listed > lookupLimit) {
    return sql`${EVERY_OPEN_TASK} and t.person_id in (select person_id from ${sql.table(SCOPE_TABLE)})`
  }
  // offset 0 keeps the subquery apart, so it is run per person, by index.
  return sql`
    select o.* from ${sql.table(SCOPE_TABLE)} s cross join lateral (
      select ${OPEN_TASK} from tasks t
      where t.person_id = s.person_id and t.status in ('RECOMMENDED', 'ON_HOLD') offset 0
    ) o`
}

/** What a run evaluates, once its scope is chosen. */
export interface EvaluatedPersons {
  readonly matches: MatchesQuery
  /** The open tasks of the persons evaluated, with which the matches are compared. */
  readonly openTasks: RawBuilder<OpenTask>
  /** How many present persons an incremental run evaluates; a full run counts them once it is done. */
  readonly present: number | undefined
}

/** The matches to take and the persons to bring in line: everyone, or those listed by listChangedPersons. */
export async function personsToEvaluate(
  trx: Transaction<Tables>,
  scope: RunScope,
  compiled: CompiledMatches,
): Promise<EvaluatedPersons> {
  if (scope.kind === 'incremental' && compiled.forPersonsIn) {
    const { listed, present } = await listChangedPersons(trx, scope.since)
    return { matches: compiled.forPersonsIn(SCOPE_TABLE), openTasks: openTasksOfListed(listed), present }
  }
  return { matches: compiled.matches, openTasks: EVERY_OPEN_TASK, present: undefined }
}
