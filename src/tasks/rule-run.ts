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
 * Only a published rule-set version runs (src/rules/publication.ts): any
 * other is refused before anything is written.
 *
 * Every status change appends a task_events row naming the run and rule-set
 * version (task-events.ts). The work is a handful of set-based statements in
 * one transaction (reconcile.ts, reopen.ts): the rule set is evaluated once,
 * into a temporary table of the matches (keys, priority, date, facts version
 * and outcome) that everything else reads. No explanation is built: a task
 * stores the facts version and day it was evaluated on, from which
 * src/rules/stored-explanation.ts derives its explanation when asked
 * (docs/decisions/0026-explanations-on-demand.md).
 * A full run that finds no task at all writes every match in one statement
 * and builds the tasks' secondary indexes after the load (first-run.ts).
 * An advisory lock keeps two runs from interleaving (and holds back placing
 * a task on hold, see run-lock.ts).
 * Caseworkers' decisions always win: every UPDATE re-checks
 * `status = 'RECOMMENDED'` on the row as it is when it gets the row lock, so a
 * decision that committed first is left alone, and one that comes after a
 * withdrawal finds a new version and is refused as stale.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import { recordAuditEvent } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { Logger } from '../logger.ts'
import { type CompiledMatches, compileMatches, type RuleSetSource } from '../rules/compiled-matches.ts'
import type { RuleSet } from '../rules/model.ts'
import { isPublished, RuleSetNotPublishedError } from '../rules/publication.ts'
import type { OutcomeCounts, RunCount } from '../rules/run-counts.ts'
import { noTaskExists } from './first-run.ts'
import type { RunWrites } from './reconcile.ts'
import { lockForRuleRun } from './run-lock.ts'
import {
  chooseScope,
  personsToEvaluate,
  type RunScope,
  type RunScopeKind,
  SERVER_STARTED_AT,
  takeSnapshot,
} from './run-scope.ts'
import { tallyCounts, totalCounts } from './run-tally.ts'
import { firstRunWrites, phaseTimer, type RunPhase, reconcileWrites } from './run-writes.ts'

export type { RunPhase } from './run-writes.ts'

/** New and withdrawn tasks from which a run refreshes the planner's statistics of tasks. */
const RESTATISTICS_AFTER = 10_000

/** What started a run: a command, an import, the service starting, the schedule, or an API client (POST /api/v1/rule-runs). */
export type RunTrigger = 'manual' | 'import' | 'start' | 'schedule' | 'api'

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
  const compiled = compileMatches(input.ruleSet, input.clock.today())
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
  const runId = await recordRunStarted(db, { ruleSet, trigger, startedAt })
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
    const failedAt = clock.now()
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('rule_runs')
        .set({ status: 'FAILED', finished_at: failedAt, failure: String((error as Error)?.message ?? error) })
        .where('id', '=', runId)
        .execute()
      await auditRun(trx, { runId, ruleSetVersion: ruleSet.version, trigger, at: failedAt }, 'FAILED', null)
    })
    throw error
  }
}

/** A rule run is done by a command or the service itself, never a user of the pages: no user ID. */
function auditRun(
  trx: Transaction<Tables>,
  run: {
    readonly runId: number
    readonly ruleSetVersion: string
    readonly trigger: RunTrigger
    readonly at: Date
  },
  status: 'COMPLETED' | 'FAILED',
  personsEvaluated: number | null,
): Promise<void> {
  return recordAuditEvent(trx, { kind: 'rule-run', userId: null, ...run, status, personsEvaluated })
}

/**
 * Records the run (and its rule set, the first time) before the work
 * starts, in its own transaction, so that a run that fails still leaves a
 * FAILED row behind. Returns the run's ID.
 */
async function recordRunStarted(
  db: Kysely<Tables>,
  run: { readonly ruleSet: RuleSetSource; readonly trigger: RunTrigger; readonly startedAt: Date },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Only a published version runs: its impact was reported and someone answers for it (rules/publication.ts).
    if (!(await isPublished(trx, run.ruleSet.version)))
      throw new RuleSetNotPublishedError(run.ruleSet.version)
    // A run under another rule set than the last run's is the moment the change takes effect: audited.
    const last = await trx
      .selectFrom('rule_runs')
      .select('rule_set_version')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (last?.rule_set_version !== run.ruleSet.version) {
      await recordAuditEvent(trx, {
        kind: 'rule-set-changed',
        at: run.startedAt,
        userId: null,
        from: last?.rule_set_version ?? null,
        to: run.ruleSet.version,
      })
    }
    await trx
      .insertInto('rule_sets')
      .values({
        version: run.ruleSet.version,
        loaded_at: run.startedAt,
        files: JSON.stringify(run.ruleSet.files),
      })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute()
    const row = await trx
      .insertInto('rule_runs')
      .values({
        rule_set_version: run.ruleSet.version,
        trigger: run.trigger,
        started_at: run.startedAt,
        status: 'RUNNING',
        counts: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  })
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

/** The run's transaction: its lock, its scope, the reconciling statements in order, and its record. */
async function applyMatches(trx: Transaction<Tables>, input: ApplyInput): Promise<RunSummary> {
  const { runId, ruleSetVersion, compiled, clock } = input
  const today = clock.today()
  const run: RunWrites = { runId, ruleSetVersion, now: clock.now(), today }
  const { phases, lap } = phaseTimer()
  await lockForRuleRun(trx)
  // Hash joins over a national caseload want more than the 4 MB default.
  await sql`set local work_mem = '64MB'`.execute(trx)
  await withoutJit(trx)

  // Everyone, or only the persons written since the last run (run-scope.ts).
  const snapshot = await takeSnapshot(trx)
  const scope = await chooseScope(trx, {
    ruleSetVersion,
    today,
    canNarrow: compiled.forPersonsIn !== undefined,
    fullRequested: input.fullRequested,
  })
  const persons = await personsToEvaluate(trx, scope, compiled)
  lap('scope')
  const written =
    scope.kind === 'full' && (await noTaskExists(trx))
      ? await firstRunWrites(trx, run, persons.matches, lap)
      : await reconcileWrites(trx, run, persons, lap)
  const { outcomes, recommended, withdrawn, refreshed } = written

  const personsEvaluated = persons.present ?? (await countPresentPersons(trx))
  const counts = tallyCounts(outcomes, recommended, withdrawn)
  const totals = totalCounts(counts)
  if (totals.new + totals.withdrawn >= RESTATISTICS_AFTER) await refreshTaskStatistics(trx)
  const finishedAt = clock.now()
  await recordRunCompleted(trx, { runId, finishedAt, personsEvaluated, counts, today, snapshot, scope })
  await auditRun(
    trx,
    { runId, ruleSetVersion, trigger: input.trigger, at: finishedAt },
    'COMPLETED',
    personsEvaluated,
  )
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
    refreshed,
    scope: scope.kind,
    scopeReason: scope.reason,
    phases,
  }
}

async function countPresentPersons(trx: Transaction<Tables>): Promise<number> {
  const persons = await sql<{ n: number }>`select count(*)::int as n from persons where present`.execute(trx)
  return persons.rows[0]?.n ?? 0
}

/**
 * The next run's plans (and the review lists') depend on how many tasks are
 * open: with the counts of before a first run, the planner looks up a few
 * changed persons' tasks by scanning every open task of a type, once per
 * person. Autovacuum would catch up within minutes; the next run may come
 * sooner. Only the columns queries filter and join on: the explanations
 * would make it several times dearer.
 */
async function refreshTaskStatistics(trx: Transaction<Tables>): Promise<void> {
  await sql`analyze tasks (person_id, task_type, status, rom_region)`.execute(trx)
}

async function recordRunCompleted(
  trx: Transaction<Tables>,
  run: {
    readonly runId: number
    readonly finishedAt: Date
    readonly personsEvaluated: number
    readonly counts: readonly RunCount[]
    readonly today: IsoDate
    readonly snapshot: string
    readonly scope: RunScope
  },
): Promise<void> {
  await trx
    .updateTable('rule_runs')
    .set({
      status: 'COMPLETED',
      finished_at: run.finishedAt,
      persons_evaluated: run.personsEvaluated,
      counts: JSON.stringify(run.counts),
      evaluated_on: run.today,
      snapshot: run.snapshot,
      server_started_at: SERVER_STARTED_AT,
      scope: run.scope.kind,
      scope_reason: run.scope.reason,
    })
    .where('id', '=', run.runId)
    .execute()
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
