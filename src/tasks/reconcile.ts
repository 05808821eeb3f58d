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
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { MatchesQuery } from '../rules/compiled-matches.ts'
import type { OpenTask } from './run-scope.ts'
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
 * The difference between the matches and the open tasks, in one pass, into
 * the temporary table rule_run_matches: the rule set is evaluated in this one
 * statement, and each match is set beside its person's open task of the same
 * type (a full join, so an open task with no match is found in the same
 * pass). Each row says what the run will do:
 *
 *   - NEW: a match with no open task (SUPPRESSED once suppressionOfNew has
 *     looked at it, REOPENED once reopen.ts has);
 *   - UNCHANGED: a match whose open task stays as it is; REFRESH when it is
 *     RECOMMENDED and its priority or reporting date moved (task_id names it);
 *   - MOVED: a match whose RECOMMENDED task is in the region the person has
 *     left (region is a security boundary): that task (task_id) is withdrawn
 *     and a new one recommended here;
 *   - WITHDRAW: a RECOMMENDED task (task_id) with no match, its person no
 *     longer matching or no longer present.
 *
 * An ON_HOLD task with no match is left alone and not listed. Each match
 * keeps the version of the facts it was evaluated on, which a new or
 * re-prioritised task stores as its proof (no explanation is built: see
 * src/rules/stored-explanation.ts). The statements after this one read only
 * the rows that say to write something, each joined to its task by ID, so a
 * run writes only what changed. A RECOMMENDED task can only leave that status
 * while the run works (a caseworker's decision; nothing but a run makes or
 * reopens one: run-lock.ts), so the tasks listed here are the ones a later
 * statement would have found, and each statement re-checks the status.
 */
export async function classifyMatches(
  trx: Transaction<Tables>,
  matches: MatchesQuery,
  openTasks: RawBuilder<OpenTask>,
): Promise<CellOutcomes[]> {
  await sql`
    create temp table rule_run_matches on commit drop as
    select m.task_type, m.person_id, m.rom_region, m.reporting_date, m.priority,
      m.facts_version::bigint as facts_version, o.id as task_id,
      case
        when m.person_id is null then 'WITHDRAW'
        when o.id is null then 'NEW'
        when o.status = 'ON_HOLD' then 'UNCHANGED'
        when o.rom_region <> m.rom_region then 'MOVED'
        when (o.priority, o.reporting_date) is distinct from (m.priority, m.reporting_date) then 'REFRESH'
        else 'UNCHANGED'
      end as outcome
    from (${matches}) m
    full join (${openTasks}) o on o.person_id = m.person_id and o.task_type = m.task_type
    where m.person_id is not null or o.status = 'RECOMMENDED'
  `.execute(trx)
  // The statements after this one look up a few rows by outcome: tell the planner how few.
  await sql`analyze rule_run_matches`.execute(trx)
  await suppressionOfNew(trx)

  const outcomes = await sql<CellOutcomes>`
    select task_type, rom_region, count(*) filter (where outcome in ('NEW', 'MOVED'))::int as n,
      count(*) filter (where outcome in ('UNCHANGED', 'REFRESH'))::int as unchanged,
      count(*) filter (where outcome = 'SUPPRESSED')::int as suppressed
    from rule_run_matches
    where outcome <> 'WITHDRAW'
    group by task_type, rom_region
  `.execute(trx)
  return outcomes.rows
}

/**
 * A NEW match is suppressed when an ACCEPTED or REJECTED task of its person
 * and task type was decided at or after the person's data last changed
 * (docs/decisions/0001-task-lifecycle.md): a caseworker's decision stands
 * until the data it was made on changes. Only the NEW matches are looked at,
 * usually few; a match with an open task needs no such check.
 */
async function suppressionOfNew(trx: Transaction<Tables>): Promise<void> {
  await sql`
    update rule_run_matches n set outcome = 'SUPPRESSED'
    where n.outcome = 'NEW' and exists (
      select 1 from tasks d join persons p on p.person_id = d.person_id
      where d.person_id = n.person_id and d.task_type = n.task_type and d.status in ('ACCEPTED', 'REJECTED')
        and d.status_changed_at >= p.data_changed_at
    )
  `.execute(trx)
}

/**
 * Withdraws the RECOMMENDED tasks classified WITHDRAW (no match, including
 * those of persons no longer present) or MOVED (their person's match is in
 * another region). Run before the new tasks are recommended, so that a
 * person who moved region has no open task left in the old one.
 */
export async function withdrawUnmatched(trx: Transaction<Tables>, run: RunEventSource): Promise<CellCount[]> {
  const withdrawn = await sql<CellCount>`
    with withdrawn as (
      update tasks t
      set status = 'WITHDRAWN', version = t.version + 1, status_changed_at = ${run.now}::timestamptz, status_changed_by = null
      from rule_run_matches w
      where w.outcome in ('WITHDRAW', 'MOVED') and t.id = w.task_id and t.status = 'RECOMMENDED'
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
      where m.outcome = 'REFRESH' and t.id = m.task_id and t.status = 'RECOMMENDED'
      returning 1
    )
    select count(*)::int as n from refreshed
  `.execute(trx)
  return refreshed.rows[0]?.n ?? 0
}
