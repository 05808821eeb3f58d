/**
 * How a run writes what it evaluated, timed by phase: reconciled against the
 * tasks there are (reconcile.ts, reopen.ts), or loaded whole into an empty
 * task table (first-run.ts).
 */
import type { Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { MatchesQuery } from '../rules/compiled-matches.ts'
import { loadFirstRun } from './first-run.ts'
import {
  type CellCount,
  type CellOutcomes,
  classifyMatches,
  type RunWrites,
  recommendNew,
  refreshOpen,
  withdrawUnmatched,
} from './reconcile.ts'
import { reopenWithdrawnTasks } from './reopen.ts'
import type { EvaluatedPersons } from './run-scope.ts'

/**
 * `scope`: the run's lock, choosing full or incremental and listing the
 * changed persons (run-scope.ts); `index`: building the tasks' secondary
 * indexes after a first run's load (first-run.ts), nothing otherwise.
 */
export type RunPhase = 'scope' | 'match' | 'recommend' | 'withdraw' | 'refresh' | 'index' | 'record'

/** Seconds spent per phase: each lap adds the time since the last to a phase. */
export function phaseTimer(): { phases: Record<RunPhase, number>; lap: (phase: RunPhase) => void } {
  const phases: Record<RunPhase, number> = {
    scope: 0,
    match: 0,
    recommend: 0,
    withdraw: 0,
    refresh: 0,
    index: 0,
    record: 0,
  }
  let mark = performance.now()
  const lap = (phase: RunPhase) => {
    const at = performance.now()
    phases[phase] += (at - mark) / 1000
    mark = at
  }
  return { phases, lap }
}

/** What a run's statements wrote, per task type and region, and how many open tasks were re-prioritised. */
export interface RunWritten {
  readonly outcomes: readonly CellOutcomes[]
  /** New tasks, and withdrawn ones reopened. */
  readonly recommended: readonly CellCount[]
  readonly withdrawn: readonly CellCount[]
  readonly refreshed: number
}

/** Classify the matches against the tasks there are, then withdraw, reopen, recommend and refresh (reconcile.ts). */
export async function reconcileWrites(
  trx: Transaction<Tables>,
  run: RunWrites,
  persons: EvaluatedPersons,
  lap: (phase: RunPhase) => void,
): Promise<RunWritten> {
  const outcomes = await classifyMatches(trx, persons.matches, persons.openTasks)
  lap('match')
  const withdrawn = await withdrawUnmatched(trx, run)
  lap('withdraw')
  // A returning person's withdrawn task is reopened rather than replaced (reopen.ts).
  const anyNew = outcomes.some((row) => row.n > 0)
  const reopened = anyNew ? await reopenWithdrawnTasks(trx, run) : []
  const recommended = anyNew ? await recommendNew(trx, run) : []
  lap('recommend')
  const refreshed = await refreshOpen(trx, run)
  lap('refresh')
  return { outcomes, recommended: [...recommended, ...reopened], withdrawn, refreshed }
}

/**
 * No task exists: every match is new, loaded in one statement from the
 * evaluation, with the secondary indexes built after the load (first-run.ts).
 * Evaluation and load are one statement, timed as `recommend`; `match` is
 * then only the look for a task.
 */
export async function firstRunWrites(
  trx: Transaction<Tables>,
  run: RunWrites,
  matches: MatchesQuery,
  lap: (phase: RunPhase) => void,
): Promise<RunWritten> {
  lap('match')
  const recommended = await loadFirstRun(trx, run, matches, { loaded: () => lap('recommend') })
  lap('index')
  const outcomes = recommended.map((cell) => ({ ...cell, unchanged: 0, suppressed: 0 }))
  return { outcomes, recommended, withdrawn: [], refreshed: 0 }
}
