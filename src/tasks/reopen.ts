/**
 * A withdrawn task comes back rather than a new one being made. When a
 * person a full import marked absent returns (a file cut short, then the
 * whole file), the rules match them again; a new task would split the
 * work's history across two IDs and leave a caseworker's bookmark pointing
 * at a dead one. So a match that would be a new task first looks for the
 * task a run withdrew for the same person, task type and region, and
 * reopens it: RECOMMENDED again, one version on, with a RECOMMENDED event
 * naming this run, and the priority, date and facts version of the match, as
 * a new task would have had (docs/decisions/0001-task-lifecycle.md).
 *
 * Only when the person's data has not changed since the withdrawal: absence
 * and return change whether a person is present, never their data, so the
 * returning person qualifies; a person whose data has changed is a new
 * situation and gets a new task, as before. A withdrawn task was never
 * decided (only a RECOMMENDED task is withdrawn, and nobody decides a
 * withdrawn one), so no caseworker's decision is undone.
 */
import { sql, type Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { CellCount, RunWrites } from './reconcile.ts'
import { runEventsOf } from './task-events.ts'

/**
 * Reopens the withdrawn tasks of the run's NEW matches (in the temporary
 * rule_run_matches table) and marks those matches REOPENED, so that no new
 * task is inserted for them. Returns how many, per task type and region.
 */
export async function reopenWithdrawnTasks(trx: Transaction<Tables>, run: RunWrites): Promise<CellCount[]> {
  const result = await sql<CellCount>`
    -- The NEW matches first, apart: the temporary table holds every match, and a
    -- plan that rescans it once per withdrawn task (the planner's statistics of
    -- tasks are as old as the last large run) would read it hundreds of times.
    with fresh as materialized (
      select person_id, task_type, rom_region, priority, reporting_date, facts_version
      from rule_run_matches where outcome = 'NEW'
    ), latest as (
      select distinct on (t.person_id, t.task_type)
        t.id, n.person_id, n.task_type, n.priority, n.reporting_date, n.facts_version
      from fresh n
      join persons p on p.person_id = n.person_id
      join tasks t on t.person_id = n.person_id and t.task_type = n.task_type and t.rom_region = n.rom_region
      where t.status = 'WITHDRAWN' and t.status_changed_at >= p.data_changed_at
      order by t.person_id, t.task_type, t.status_changed_at desc, t.id desc
    ), reopened as (
      update tasks t
      set status = 'RECOMMENDED', version = t.version + 1, status_changed_at = ${run.now}::timestamptz,
        status_changed_by = null, priority = l.priority, reporting_date = l.reporting_date,
        facts_version = l.facts_version, evaluated_on = ${run.today}::date, explanation = null,
        rule_set_version = ${run.ruleSetVersion}::text
      from latest l
      where t.id = l.id and t.status = 'WITHDRAWN'
      returning t.id, t.version, t.person_id, t.task_type, t.rom_region
    ), recorded as (${runEventsOf('reopened', 'RECOMMENDED', run)}), marked as (
      update rule_run_matches m set outcome = 'REOPENED'
      from reopened r
      where m.person_id = r.person_id and m.task_type = r.task_type
    )
    select task_type, rom_region, count(*)::int as n from reopened group by task_type, rom_region
  `.execute(trx)
  return result.rows
}
