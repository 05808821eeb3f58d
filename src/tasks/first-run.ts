/**
 * A run into an empty task table: every match becomes a new RECOMMENDED task,
 * written by one INSERT … SELECT straight from the evaluation, and the tasks'
 * secondary indexes are built once the rows are in (deferred-indexes.ts).
 *
 * Why nothing needs classifying: with no task at all there is no open task
 * to keep, move or refresh, no decided one to suppress a match, no withdrawn
 * one to reopen and nothing to withdraw, so every match is NEW. No task can
 * appear while the run works: only a run makes tasks, and the run lock keeps
 * runs apart (run-lock.ts); once the indexes are dropped the run holds the
 * table's exclusive lock too, so pages reading tasks wait for the run to
 * commit (on a first run they have nothing to show anyway).
 */
import { sql, type Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { MatchesQuery } from '../rules/compiled-matches.ts'
import { loadThenIndex } from './deferred-indexes.ts'
import type { CellCount, RunWrites } from './reconcile.ts'
import { runEventsOf } from './task-events.ts'

/** Whether the task table holds no task at all: the condition for loading it as a first run. */
export async function noTaskExists(trx: Transaction<Tables>): Promise<boolean> {
  const { rows } = await sql<{ empty: boolean }>`select not exists (select 1 from tasks) as empty`.execute(
    trx,
  )
  return rows[0]?.empty === true
}

/**
 * Writes every match as a new task with its RECOMMENDED event, the tasks'
 * secondary indexes dropped during the load and built after it. Returns the
 * new tasks per task type and region; calls `loaded` between the load and
 * the index builds, so the run can time them apart.
 */
export async function loadFirstRun(
  trx: Transaction<Tables>,
  run: RunWrites,
  matches: MatchesQuery,
  timing: { readonly loaded: () => void },
): Promise<CellCount[]> {
  return loadThenIndex(
    trx,
    'tasks',
    async () => {
      const inserted = await sql<CellCount>`
        with inserted as (
          insert into tasks (
            person_id, task_type, rom_region, reporting_date, priority, status, version,
            rule_code, rule_set_version, facts_version, evaluated_on, created_at, created_by_run,
            status_changed_at, status_changed_by
          )
          select
            m.person_id, m.task_type, m.rom_region, m.reporting_date, m.priority, 'RECOMMENDED', 1,
            m.task_type, ${run.ruleSetVersion}::text, m.facts_version::bigint, ${run.today}::date,
            ${run.now}::timestamptz, ${run.runId}::bigint, ${run.now}::timestamptz, null
          from (${matches}) m
          returning id, version, task_type, rom_region
        ), recorded as (${runEventsOf('inserted', 'RECOMMENDED', run)})
        select task_type, rom_region, count(*)::int as n from inserted group by task_type, rom_region
      `.execute(trx)
      return inserted.rows
    },
    timing,
  )
}
