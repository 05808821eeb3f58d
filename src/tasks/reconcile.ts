/**
 * The statements with which a rule run brings the tasks in line with its
 * matches, in the order rule-run.ts runs them: classify the matches, withdraw
 * what no longer matches, recommend the new, refresh the open. The matches
 * are evaluated once, by the first, into a temporary table that the others
 * read (reopen.ts reads it too, between withdrawing and recommending).
 *
 * Caseworkers' decisions always win: every UPDATE here re-checks
 * `status = 'RECOMMENDED'` on the row as it is when it gets the row lock, so
 * a decision that committed first is left alone, and one that comes after a
 * withdrawal finds a new version and is refused as stale.
 */
import { sql, type Transaction } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { MatchesQuery } from '../rules/compiled-matches.ts'
import type { PersonsInScope } from './run-scope.ts'
import { type RunEventSource, runEventsOf } from './task-events.ts'

/** A run as the statements that write tasks see it: its events' source, and the day its matches were evaluated on. */
export interface RunWrites extends RunEventSource {
  readonly today: IsoDate
}

/** Tasks one statement changed, for one task type and region. */
export interface CellCount {
  task_type: string
  rom_region: string
  n: number
}

/** The matches of one task type and region by outcome; `n` counts those to become new tasks. */
export interface CellOutcomes extends CellCount {
  unchanged: number
  suppressed: number
}

/**
 * Each match, once, with what the run will do with it, into the temporary
 * table rule_run_matches: the rule set is evaluated in this one pass. Each
 * match keeps the version of the facts it was evaluated on, which a new or
 * re-prioritised task stores as its proof (no explanation is built: see
 * src/rules/stored-explanation.ts). A task stays in the region it was
 * recommended in (region is a security boundary), so a recommended task
 * whose person has moved region is replaced rather than carried over. A
 * match is suppressed when the latest ACCEPTED or REJECTED task of its
 * person and task type was decided at or after the person's data last
 * changed (docs/decisions/0001-task-lifecycle.md).
 */
export async function classifyMatches(
  trx: Transaction<Tables>,
  matches: MatchesQuery,
  inScope: PersonsInScope,
): Promise<CellOutcomes[]> {
  await sql`
    create temp table rule_run_matches on commit drop as
    select task_type, person_id, rom_region, reporting_date, priority, facts_version::bigint as facts_version, outcome
    from (
      select
        m.task_type, m.person_id, m.rom_region, m.reporting_date, m.priority, m.facts_version,
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

  const outcomes = await sql<CellOutcomes>`
    select task_type, rom_region, count(*) filter (where outcome in ('NEW', 'MOVED'))::int as n,
      count(*) filter (where outcome = 'UNCHANGED')::int as unchanged,
      count(*) filter (where outcome = 'SUPPRESSED')::int as suppressed
    from rule_run_matches
    group by task_type, rom_region
  `.execute(trx)
  return outcomes.rows
}

/**
 * Withdraws the RECOMMENDED tasks with no match in their region, including
 * those of persons no longer present (of the persons evaluated: anyone
 * else's tasks are as the last run left them). Run before the new tasks are
 * recommended, so that a person who moved region has no open task left in
 * the old one.
 */
export async function withdrawUnmatched(
  trx: Transaction<Tables>,
  run: RunEventSource,
  inScope: PersonsInScope,
): Promise<CellCount[]> {
  const withdrawn = await sql<CellCount>`
    with withdrawn as (
      update tasks t
      set status = 'WITHDRAWN', version = t.version + 1, status_changed_at = ${run.now}::timestamptz, status_changed_by = null
      where t.status = 'RECOMMENDED'${inScope('t.person_id')}
        and not exists (
          select 1 from rule_run_matches m
          where m.person_id = t.person_id and m.task_type = t.task_type and m.rom_region = t.rom_region
        )
      returning t.id, t.version, t.task_type, t.rom_region
    ), recorded as (${runEventsOf('withdrawn', 'WITHDRAWN', run)})
    select task_type, rom_region, count(*)::int as n from withdrawn group by task_type, rom_region
  `.execute(trx)
  return withdrawn.rows
}

/**
 * New RECOMMENDED tasks, each with its match's facts version and the run's
 * day (what its explanation is derived from), for the matches classed NEW (and not reopened) or MOVED. No task of these can
 * have opened since the matches were taken: the run's lock keeps
 * placing-on-hold out (run-lock.ts).
 */
export async function recommendNew(trx: Transaction<Tables>, run: RunWrites): Promise<CellCount[]> {
  const inserted = await sql<CellCount>`
    with inserted as (
      insert into tasks (
        person_id, task_type, rom_region, reporting_date, priority, status, version,
        rule_code, rule_set_version, facts_version, evaluated_on, created_at, created_by_run, status_changed_at,
        status_changed_by
      )
      select
        n.person_id, n.task_type, n.rom_region, n.reporting_date, n.priority, 'RECOMMENDED', 1,
        n.task_type, ${run.ruleSetVersion}::text, n.facts_version, ${run.today}::date, ${run.now}::timestamptz, ${run.runId}::bigint,
        ${run.now}::timestamptz, null
      from rule_run_matches n
      where n.outcome = 'NEW'
        -- A moved person's old task that a caseworker decided while this run
        -- worked (so it was not withdrawn) is not recommended again.
        or (n.outcome = 'MOVED' and (n.person_id, n.task_type) not in (
          select x.person_id, x.task_type from tasks x
          where x.status in ('ACCEPTED', 'REJECTED') and x.status_changed_at >= ${run.now}::timestamptz
        ))
      returning id, version, task_type, rom_region
    ), recorded as (${runEventsOf('inserted', 'RECOMMENDED', run)})
    select task_type, rom_region, count(*)::int as n from inserted group by task_type, rom_region
  `.execute(trx)
  return inserted.rows
}

/**
 * The open tasks still RECOMMENDED take their match's priority and
 * reporting date, so the review lists' order and date search stay right,
 * and with them the facts version and day they now follow from, so the
 * explanation shows the priority the task has.
 * Not a status change, so no event and no new version: a caseworker's
 * decision on the task stays valid. Returns how many moved.
 */
export async function refreshOpen(trx: Transaction<Tables>, run: RunWrites): Promise<number> {
  const refreshed = await sql<{ n: number }>`
    with refreshed as (
      update tasks t
      set priority = m.priority, reporting_date = m.reporting_date, facts_version = m.facts_version,
        evaluated_on = ${run.today}::date, explanation = null
      from rule_run_matches m
      where m.outcome = 'UNCHANGED'
        and t.person_id = m.person_id and t.task_type = m.task_type and t.status = 'RECOMMENDED'
        and (t.priority, t.reporting_date) is distinct from (m.priority, m.reporting_date)
      returning 1
    )
    select count(*)::int as n from refreshed
  `.execute(trx)
  return refreshed.rows[0]?.n ?? 0
}
