/**
 * A rule run: evaluate the rule set over every current person inside the
 * database, and bring the tasks in line with the result. When the rule set
 * and the day are those of the last run, only the persons written since it
 * are evaluated: the rest are already in line (run-scope.ts).
 *
 *   - a match with no open task (RECOMMENDED or ON_HOLD) for its person and
 *     task type becomes a RECOMMENDED task, unless it is suppressed; the task
 *     a run withdrew is reopened instead when the person's data has not
 *     changed since (a person back after a full import left them out);
 *   - suppressed: the latest ACCEPTED or REJECTED task of that person and task
 *     type was decided at or after the person's data last changed (see
 *     docs/decisions/0001-task-lifecycle.md);
 *   - a RECOMMENDED task whose person no longer matches (or is no longer
 *     present) is WITHDRAWN; so is one whose person has moved to another
 *     region, and a new task is recommended in the new region;
 *   - a match that already has an open task keeps it; a RECOMMENDED one takes
 *     the new priority and reporting date so the review lists stay in order;
 *   - ON_HOLD, ACCEPTED, REJECTED and WITHDRAWN tasks are never changed.
 *
 * Every status change appends a task_events row naming the run and rule-set
 * version. The work is a handful of set-based statements in one transaction:
 * the rule set is evaluated once, into a temporary table of the matches (keys,
 * priority, date and outcome) that everything else reads; explanations are
 * built in that pass only for the matches that become new tasks, and stored
 * in the compact form (explanation.ts), which stored-explanation.ts expands
 * for the case view.
 * An advisory lock keeps two runs from interleaving (and holds back placing
 * a task on hold, see run-lock.ts).
 * Caseworkers' decisions always win: every UPDATE here re-checks
 * `status = 'RECOMMENDED'` on the row as it is when it gets the row lock, so a
 * decision that committed first is left alone, and one that comes after a
 * withdrawal finds a new version and is refused as stale.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import type { RuleSetFile, Tables } from '../db/tables.ts'
import type { Logger } from '../logger.ts'
import { type CompactRuleMatch, compileRuleSet, type RuleMatch } from './compile.ts'
import type { RuleSet } from './model.ts'
import { reopenWithdrawnTasks } from './reopen.ts'
import { lockForRuleRun } from './run-lock.ts'
import {
  chooseScope,
  listChangedPersons,
  type RunScopeKind,
  SCOPE_TABLE,
  SERVER_STARTED_AT,
  takeSnapshot,
} from './run-scope.ts'

/** What a run records of a rule set: its version (a content hash) and its files (src/rules/load.ts). */
export interface RuleSetSource {
  readonly version: string
  readonly files: readonly RuleSetFile[]
}

/** A SELECT of matches; its explanation column is what each new task stores. */
export type MatchesQuery = RawBuilder<RuleMatch> | RawBuilder<CompactRuleMatch>

/** A rule set compiled to SQL: a SELECT of every match over the present persons (see compile.ts). */
export interface CompiledMatches {
  readonly version: string
  /** runRules gives the compact matches: a full explanation costs several times more to build and write. */
  readonly matches: MatchesQuery
  /**
   * The same matches over only the persons listed in a table (its person_id
   * column). Without it every run is full (see run-scope.ts).
   */
  readonly forPersonsIn?: (table: string) => MatchesQuery
}

/** New and withdrawn tasks from which a run refreshes the planner's statistics of tasks. */
const RESTATISTICS_AFTER = 10_000

export type RunTrigger = 'manual' | 'import' | 'start' | 'schedule'

export interface OutcomeCounts {
  /** Matches that became RECOMMENDED tasks. */
  new: number
  /** Matches that already had an open task (RECOMMENDED or ON_HOLD). */
  unchanged: number
  /** RECOMMENDED tasks whose person no longer matches. */
  withdrawn: number
  /** Matches not recommended because the last decision came after the person's data last changed. */
  suppressed: number
}

export interface RunCount extends OutcomeCounts {
  readonly taskType: string
  readonly romRegion: string
}

export interface RunSummary {
  readonly runId: number
  readonly ruleSetVersion: string
  readonly trigger: RunTrigger
  readonly startedAt: Date
  readonly finishedAt: Date
  readonly personsEvaluated: number
  /** One entry per task type and region with anything to count, ordered by task type then region. */
  readonly counts: readonly RunCount[]
  readonly totals: OutcomeCounts
  /** Unchanged RECOMMENDED tasks whose priority or reporting date moved. */
  readonly refreshed: number
  /** Every present person evaluated, or only those changed since the last run (see run-scope.ts). */
  readonly scope: RunScopeKind
  /** Why the run was full or incremental. */
  readonly scopeReason: string
  /** Where the time went, in seconds: for the log and the benchmark. */
  readonly phases: Readonly<Record<RunPhase, number>>
}

export type RunPhase = 'match' | 'recommend' | 'withdraw' | 'refresh' | 'record'

export interface RunCompiledRulesInput {
  readonly ruleSet: RuleSetSource
  readonly compiled: CompiledMatches
  readonly clock: Clock
  readonly trigger: RunTrigger
  readonly logger?: Pick<Logger, 'info'> | undefined
  /** Evaluate every present person even when the last run's results could carry over. */
  readonly full?: boolean | undefined
}

export class RuleRunError extends Error {}

export interface RunRulesInput {
  readonly ruleSet: RuleSet
  readonly clock: Clock
  readonly trigger: RunTrigger
  readonly logger?: Pick<Logger, 'info'> | undefined
  readonly full?: boolean | undefined
}

/** Evaluates the rule set over every present person, as of the clock's today, and updates the tasks. */
export async function runRules(db: Kysely<Tables>, input: RunRulesInput): Promise<RunSummary> {
  const today = input.clock.today()
  const compiled: CompiledMatches = {
    version: input.ruleSet.version,
    matches: compileRuleSet(input.ruleSet, { today }).compactMatches,
    forPersonsIn: (table) => compileRuleSet(input.ruleSet, { today, personsIn: table }).compactMatches,
  }
  return runCompiledRules(db, { ...input, compiled })
}

/**
 * Runs an already compiled rule set. `runRules` compiles and calls this;
 * tests also call it with hand-written matches, so the task lifecycle is
 * tested apart from the rule language.
 */
export async function runCompiledRules(
  db: Kysely<Tables>,
  input: RunCompiledRulesInput,
): Promise<RunSummary> {
  const { ruleSet, compiled, clock, trigger } = input
  if (compiled.version !== ruleSet.version) {
    throw new RuleRunError(`compiled rule set ${compiled.version} is not rule set ${ruleSet.version}`)
  }
  const startedAt = clock.now()
  // Recorded before the work starts, in its own transaction, so that a run
  // that fails still leaves a FAILED row behind.
  const runId = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rule_sets')
      .values({ version: ruleSet.version, loaded_at: startedAt, files: JSON.stringify(ruleSet.files) })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute()
    const run = await trx
      .insertInto('rule_runs')
      .values({
        rule_set_version: ruleSet.version,
        trigger,
        started_at: startedAt,
        status: 'RUNNING',
        counts: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return run.id
  })

  try {
    const summary = await db.transaction().execute((trx) =>
      applyMatches(trx, {
        runId,
        ruleSetVersion: ruleSet.version,
        compiled,
        clock,
        trigger,
        startedAt,
        fullRequested: input.full === true,
      }),
    )
    input.logger?.info(
      {
        runId,
        ruleSetVersion: ruleSet.version,
        trigger,
        scope: summary.scope,
        scopeReason: summary.scopeReason,
        personsEvaluated: summary.personsEvaluated,
        ...summary.totals,
        refreshed: summary.refreshed,
        phases: summary.phases,
        seconds: (summary.finishedAt.getTime() - startedAt.getTime()) / 1000,
      },
      'rule run completed',
    )
    return summary
  } catch (error) {
    await db
      .updateTable('rule_runs')
      .set({
        status: 'FAILED',
        finished_at: clock.now(),
        failure: String((error as Error)?.message ?? error),
      })
      .where('id', '=', runId)
      .execute()
    throw error
  }
}

interface ApplyInput {
  readonly runId: number
  readonly ruleSetVersion: string
  readonly compiled: CompiledMatches
  readonly clock: Clock
  readonly trigger: RunTrigger
  readonly startedAt: Date
  readonly fullRequested: boolean
}

interface CellCount {
  task_type: string
  rom_region: string
  n: number
}

async function applyMatches(trx: Transaction<Tables>, input: ApplyInput): Promise<RunSummary> {
  const { runId, ruleSetVersion, compiled, clock } = input
  const now = clock.now()
  const phases: Record<RunPhase, number> = { match: 0, recommend: 0, withdraw: 0, refresh: 0, record: 0 }
  let mark = performance.now()
  const lap = (phase: RunPhase) => {
    const at = performance.now()
    phases[phase] += (at - mark) / 1000
    mark = at
  }
  await lockForRuleRun(trx)
  // Hash joins over a national caseload want more than the 4 MB default.
  await sql`set local work_mem = '64MB'`.execute(trx)
  await withoutJit(trx)

  // Everyone, or only the persons written since the last run (run-scope.ts).
  const today = clock.today()
  const snapshot = await takeSnapshot(trx)
  const scope = await chooseScope(trx, {
    ruleSetVersion,
    today,
    canNarrow: compiled.forPersonsIn !== undefined,
    fullRequested: input.fullRequested,
  })
  let matches = compiled.matches
  let inScope = (_column: string) => sql``
  let personsEvaluated: number | undefined
  if (scope.kind === 'incremental' && compiled.forPersonsIn) {
    personsEvaluated = await listChangedPersons(trx, scope.since)
    matches = compiled.forPersonsIn(SCOPE_TABLE)
    inScope = (column) => sql` and ${sql.ref(column)} in (select person_id from ${sql.table(SCOPE_TABLE)})`
  }

  // Each match, once, with what the run will do with it: the rule set is
  // evaluated in this one pass. The explanation is kept only for a match
  // that becomes a new task: an unchanged or suppressed one never needs it,
  // and where the compiled query lets the planner see that (the CASE below
  // over its columns), it is not even built. A task stays in the region it
  // was recommended in (region is a security boundary), so a recommended
  // task whose person has moved region is replaced rather than carried over.
  await sql`
    create temp table rule_run_matches on commit drop as
    select task_type, person_id, rom_region, reporting_date, priority, outcome,
      case when outcome in ('NEW', 'MOVED') then explanation end as explanation
    from (
      select
        m.task_type, m.person_id, m.rom_region, m.reporting_date, m.priority, m.explanation,
        case
          when o.person_id is not null and (o.status = 'ON_HOLD' or o.rom_region = m.rom_region) then 'UNCHANGED'
          -- Recommended in the region the person has left: withdrawn there, recommended afresh here.
          when o.person_id is not null then 'MOVED'
          when s.person_id is not null then 'SUPPRESSED'
          else 'NEW'
        end as outcome
      from (${matches}) m
      left join tasks o
        on o.person_id = m.person_id and o.task_type = m.task_type and o.status in ('RECOMMENDED', 'ON_HOLD')
      left join (
        select d.person_id, d.task_type
        from tasks d
        join persons p on p.person_id = d.person_id
        where d.status in ('ACCEPTED', 'REJECTED')${inScope('d.person_id')}
        group by d.person_id, d.task_type, p.data_changed_at
        having max(d.status_changed_at) >= p.data_changed_at
      ) s on s.person_id = m.person_id and s.task_type = m.task_type
    ) classified
  `.execute(trx)

  const outcomes = await sql<CellCount & { unchanged: number; suppressed: number }>`
    select task_type, rom_region, count(*) filter (where outcome in ('NEW', 'MOVED'))::int as n,
      count(*) filter (where outcome = 'UNCHANGED')::int as unchanged,
      count(*) filter (where outcome = 'SUPPRESSED')::int as suppressed
    from rule_run_matches
    group by task_type, rom_region
  `.execute(trx)
  lap('match')

  // Withdrawals: RECOMMENDED tasks with no match in their region, including
  // persons no longer present (of the persons evaluated: anyone else's
  // tasks are as the last run left them). Before the new tasks, so that a
  // person who moved region has no open task left in the old one.
  const withdrawn = await sql<CellCount>`
    with withdrawn as (
      update tasks t
      set status = 'WITHDRAWN', version = t.version + 1, status_changed_at = ${now}::timestamptz, status_changed_by = null
      where t.status = 'RECOMMENDED'${inScope('t.person_id')}
        and not exists (
          select 1 from rule_run_matches m
          where m.person_id = t.person_id and m.task_type = t.task_type and m.rom_region = t.rom_region
        )
      returning t.id, t.version, t.task_type, t.rom_region
    ), recorded as (
      insert into task_events (task_id, task_version, status, occurred_at, run_id, rule_set_version)
      select id, version, 'WITHDRAWN', ${now}::timestamptz, ${runId}::bigint, ${ruleSetVersion}::text from withdrawn
    )
    select task_type, rom_region, count(*)::int as n from withdrawn group by task_type, rom_region
  `.execute(trx)
  lap('withdraw')

  // A returning person's withdrawn task is reopened rather than replaced (reopen.ts).
  const anyNew = outcomes.rows.some((row) => row.n > 0)
  const reopened = anyNew ? await reopenWithdrawnTasks(trx, { runId, ruleSetVersion, now }) : []

  // New tasks with the explanations kept with their matches, and their
  // RECOMMENDED events. No task of these can have opened since the matches
  // were taken: the run's lock keeps placing-on-hold out.
  const inserted = anyNew
    ? await sql<CellCount>`
        with inserted as (
          insert into tasks (
            person_id, task_type, rom_region, reporting_date, priority, status, version,
            rule_code, rule_set_version, explanation, created_at, created_by_run, status_changed_at, status_changed_by
          )
          select
            n.person_id, n.task_type, n.rom_region, n.reporting_date, n.priority, 'RECOMMENDED', 1,
            n.task_type, ${ruleSetVersion}::text, n.explanation, ${now}::timestamptz, ${runId}::bigint,
            ${now}::timestamptz, null
          from rule_run_matches n
          where n.outcome = 'NEW'
            -- A moved person's old task that a caseworker decided while this run
            -- worked (so it was not withdrawn) is not recommended again.
            or (n.outcome = 'MOVED' and (n.person_id, n.task_type) not in (
              select x.person_id, x.task_type from tasks x
              where x.status in ('ACCEPTED', 'REJECTED') and x.status_changed_at >= ${now}::timestamptz
            ))
          returning id, task_type, rom_region
        ), recorded as (
          insert into task_events (task_id, task_version, status, occurred_at, run_id, rule_set_version)
          select id, 1, 'RECOMMENDED', ${now}::timestamptz, ${runId}::bigint, ${ruleSetVersion}::text from inserted
        )
        select task_type, rom_region, count(*)::int as n from inserted group by task_type, rom_region
      `.execute(trx)
    : { rows: [] }
  lap('recommend')

  // Still recommended: keep the review lists' order and date search right.
  // Not a status change, so no event and no new version: a caseworker's
  // decision on the task stays valid.
  const refreshed = await sql<{ n: number }>`
    with refreshed as (
      update tasks t
      set priority = m.priority, reporting_date = m.reporting_date
      from rule_run_matches m
      where m.outcome = 'UNCHANGED'
        and t.person_id = m.person_id and t.task_type = m.task_type and t.status = 'RECOMMENDED'
        and (t.priority, t.reporting_date) is distinct from (m.priority, m.reporting_date)
      returning 1
    )
    select count(*)::int as n from refreshed
  `.execute(trx)
  lap('refresh')

  if (personsEvaluated === undefined) {
    const persons = await sql<{ n: number }>`select count(*)::int as n from persons where present`.execute(
      trx,
    )
    personsEvaluated = persons.rows[0]?.n ?? 0
  }

  const counts = tallyCounts(outcomes.rows, [...inserted.rows, ...reopened], withdrawn.rows)
  const totals = totalCounts(counts)
  if (totals.new + totals.withdrawn >= RESTATISTICS_AFTER) {
    // The next run's plans (and the review lists') depend on how many tasks
    // are open: with the counts of before a first run, the planner looks up
    // a few changed persons' tasks by scanning every open task of a type,
    // once per person. Autovacuum would catch up within minutes; the next
    // run may come sooner. Only the columns queries filter and join on: the
    // explanations would make it several times dearer.
    await sql`analyze tasks (person_id, task_type, status, rom_region)`.execute(trx)
  }
  const finishedAt = clock.now()
  await trx
    .updateTable('rule_runs')
    .set({
      status: 'COMPLETED',
      finished_at: finishedAt,
      persons_evaluated: personsEvaluated,
      counts: JSON.stringify(counts),
      evaluated_on: today,
      snapshot,
      server_started_at: SERVER_STARTED_AT,
      scope: scope.kind,
      scope_reason: scope.reason,
    })
    .where('id', '=', runId)
    .execute()
  lap('record')

  return {
    runId,
    ruleSetVersion,
    trigger: input.trigger,
    startedAt: input.startedAt,
    finishedAt,
    personsEvaluated,
    counts,
    totals,
    refreshed: refreshed.rows[0]?.n ?? 0,
    scope: scope.kind,
    scopeReason: scope.reason,
    phases,
  }
}

/**
 * The run's statements are large (a CASE per rule, a condition per column)
 * and run once: JIT-compiling them costs PostgreSQL more than it saves, and
 * its cost estimate over a national caseload always asks for it. A server
 * built without JIT (PGlite) has no such setting, so it is set only where
 * it exists; set_config(…, true) is `set local`, ending with the run's
 * transaction.
 */
async function withoutJit(trx: Transaction<Tables>): Promise<void> {
  await sql`select set_config('jit', 'off', true) from pg_settings where name = 'jit'`.execute(trx)
}

/**
 * Combines the per-cell figures. A match classed NEW or MOVED that the insert
 * did not create (a moved person's old task was decided while the run worked)
 * counts as unchanged, so the four counts always add up to the matches plus
 * the withdrawals.
 */
export function tallyCounts(
  outcomes: readonly (CellCount & { unchanged: number; suppressed: number })[],
  inserted: readonly CellCount[],
  withdrawn: readonly CellCount[],
): RunCount[] {
  const cells = new Map<string, RunCount>()
  const cell = (taskType: string, romRegion: string): RunCount => {
    const key = `${taskType}\u0000${romRegion}`
    let found = cells.get(key)
    if (!found) {
      found = { taskType, romRegion, new: 0, unchanged: 0, withdrawn: 0, suppressed: 0 }
      cells.set(key, found)
    }
    return found
  }
  for (const row of outcomes) {
    const c = cell(row.task_type, row.rom_region)
    c.unchanged += row.unchanged + row.n
    c.suppressed += row.suppressed
  }
  for (const row of inserted) {
    const c = cell(row.task_type, row.rom_region)
    c.new += row.n
    c.unchanged -= row.n
  }
  for (const row of withdrawn) cell(row.task_type, row.rom_region).withdrawn += row.n
  return [...cells.values()].sort(
    (a, b) => a.taskType.localeCompare(b.taskType) || a.romRegion.localeCompare(b.romRegion),
  )
}

export function totalCounts(counts: readonly OutcomeCounts[]): OutcomeCounts {
  const total: OutcomeCounts = { new: 0, unchanged: 0, withdrawn: 0, suppressed: 0 }
  for (const c of counts) {
    total.new += c.new
    total.unchanged += c.unchanged
    total.withdrawn += c.withdrawn
    total.suppressed += c.suppressed
  }
  return total
}
