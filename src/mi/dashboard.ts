/**
 * The MI dashboard's figures, each one aggregate SQL over the event log for
 * a range of London days, the user's regions and optionally one task type.
 *
 * "Decisions" are the last accept or reject of each task within the range,
 * so a decision changed later counts once, as it ended up. Rates are
 * accepted ÷ (accepted + rejected).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import {
  DIMENSION_COLUMNS,
  EQUALITY_DIMENSIONS,
  type EqualityDimension,
  monitoredPeople,
} from './equality-groups.ts'
import { londonDayRange, type MiReportCriteria, regionCondition } from './report-query.ts'

export interface DashboardCriteria extends MiReportCriteria {
  /** A task type code; undefined for all. */
  readonly taskType: string | undefined
}

/** The thresholds the dashboard flags against, in one place so they can be explained on the page. */
export const THRESHOLDS = {
  /** A user whose acceptance rate is above this… */
  rubberStampRate: 0.95,
  /** …with a median time from opening the case to accepting below this many seconds. */
  rubberStampSeconds: 60,
  /** A group whose rate is below four-fifths of the overall rate… */
  disparityLow: 0.8,
  /** …or above five-fourths of it. */
  disparityHigh: 1.25,
} as const

export interface WeekCount {
  /** Monday of the week, London. */
  readonly weekStart: string
  readonly recommended: number
  readonly decided: number
}

export interface TypeStatusCount {
  readonly taskType: string
  readonly recommended: number
  readonly accepted: number
  readonly rejected: number
  readonly onHold: number
  readonly withdrawn: number
}

export interface ReasonCount {
  readonly taskType: string
  readonly reason: string
  readonly count: number
}

export interface DecisionTime {
  readonly taskType: string
  readonly decisions: number
  readonly medianSeconds: number
}

export interface RuleAcceptance {
  readonly ruleVersion: string
  readonly ruleCode: string
  readonly accepted: number
  readonly rejected: number
  readonly rate: number
}

export interface UserAcceptance {
  readonly userId: string
  readonly name: string | null
  readonly accepted: number
  readonly rejected: number
  readonly rate: number
  /** Median seconds from the user's last opening of the case to accepting it; null with no openings on record. */
  readonly medianSecondsToAccept: number | null
  readonly flagged: boolean
}

/** A group large enough to show: its figures and how its rate compares with the overall rate. */
export interface ShownGroupRate {
  readonly group: string
  readonly suppressed: false
  /** People in the group (recommendation rate) or decisions on their tasks (acceptance rate). */
  readonly base: number
  readonly count: number
  readonly rate: number | null
  /** 'low' below four-fifths of the overall rate, 'high' above five-fourths. */
  readonly flag: 'low' | 'high' | undefined
}

/**
 * A group smaller than the minimum size: named, but with no figures, as a
 * rate over a handful of people says little and may point to someone.
 */
export interface SuppressedGroupRate {
  readonly group: string
  readonly suppressed: true
}

export type GroupRate = ShownGroupRate | SuppressedGroupRate

/** How the equality tables treat small groups (IPIC_EQUALITY_MINIMUM_GROUP). */
export interface EqualityOptions {
  /** A group with fewer people (or decisions) than this is shown without its figures. */
  readonly minimumGroupSize: number
}

export interface EqualityTable {
  readonly dimension: EqualityDimension
  /**
   * Over everyone, small groups included; null with nobody to count, or when
   * everyone together is fewer than the minimum size (overallSuppressed), as
   * the overall rate of so few would tell each small group's.
   */
  readonly overallRate: number | null
  readonly overallSuppressed: boolean
  /** The minimum group size the table was drawn with, to say so beside it. */
  readonly minimumGroupSize: number
  readonly groups: readonly GroupRate[]
}

export interface Dashboard {
  readonly weeks: readonly WeekCount[]
  readonly statusByType: readonly TypeStatusCount[]
  readonly reasonsByType: readonly ReasonCount[]
  readonly decisionTimes: readonly DecisionTime[]
  readonly overallMedianSeconds: number | null
  readonly rules: readonly RuleAcceptance[]
  readonly users: readonly UserAcceptance[]
  readonly recommendationRates: readonly EqualityTable[]
  readonly acceptanceRates: readonly EqualityTable[]
  readonly equalityOptions: EqualityOptions
}

function taskTypeCondition(criteria: DashboardCriteria): RawBuilder<boolean> {
  return criteria.taskType ? sql<boolean>`t.task_type = ${criteria.taskType}` : sql<boolean>`true`
}

/** Tasks in scope (region, task type). */
function taskFilter(criteria: DashboardCriteria): RawBuilder<boolean> {
  return sql<boolean>`${regionCondition(sql.ref('t.rom_region'), criteria.scope)} and ${taskTypeCondition(criteria)}`
}

/** The last accept or reject of each task in the range. */
function decisions(criteria: DashboardCriteria): RawBuilder<unknown> {
  return sql`
    select distinct on (e.task_id) e.task_id, e.status, e.occurred_at, e.user_id
    from task_events e join tasks t on t.id = e.task_id
    where e.status in ('ACCEPTED', 'REJECTED')
      and ${londonDayRange(sql.ref('e.occurred_at'), criteria.from, criteria.to)}
      and ${taskFilter(criteria)}
    order by e.task_id, e.occurred_at desc, e.id desc`
}

/** Every week the range touches, a quiet one with its zeros: a chart that skipped it would hide the gap. */
async function weeks(db: Kysely<Tables>, c: DashboardCriteria): Promise<WeekCount[]> {
  const result = await sql<WeekCount>`
    with counts as (
      select
        (date_trunc('week', e.occurred_at at time zone 'Europe/London'))::date as week,
        (count(*) filter (where e.status = 'RECOMMENDED'))::int as recommended,
        (count(*) filter (where e.status in ('ACCEPTED', 'REJECTED')))::int as decided
      from task_events e join tasks t on t.id = e.task_id
      where ${londonDayRange(sql.ref('e.occurred_at'), c.from, c.to)} and ${taskFilter(c)}
      group by 1
    )
    select w.week::date::text as "weekStart",
      coalesce(counts.recommended, 0)::int as recommended, coalesce(counts.decided, 0)::int as decided
    from generate_series(date_trunc('week', ${c.from}::timestamp), ${c.to}::timestamp, interval '1 week') as w(week)
      left join counts on counts.week = w.week::date
    order by 1`.execute(db)
  return result.rows
}

async function statusByType(db: Kysely<Tables>, c: DashboardCriteria): Promise<TypeStatusCount[]> {
  // Tasks recommended in the range, by where they stand now.
  const result = await sql<TypeStatusCount>`
    select tt.name as "taskType",
      (count(*) filter (where t.status = 'RECOMMENDED'))::int as recommended,
      (count(*) filter (where t.status = 'ACCEPTED'))::int as accepted,
      (count(*) filter (where t.status = 'REJECTED'))::int as rejected,
      (count(*) filter (where t.status = 'ON_HOLD'))::int as "onHold",
      (count(*) filter (where t.status = 'WITHDRAWN'))::int as withdrawn
    from tasks t join task_types tt on tt.code = t.task_type
    where ${londonDayRange(sql.ref('t.created_at'), c.from, c.to)} and ${taskFilter(c)}
    group by tt.name, tt.position order by tt.position`.execute(db)
  return result.rows
}

async function reasonsByType(db: Kysely<Tables>, c: DashboardCriteria): Promise<ReasonCount[]> {
  const result = await sql<ReasonCount>`
    select tt.name as "taskType", r.label as reason, count(*)::int as count
    from task_events e
      join tasks t on t.id = e.task_id
      join task_types tt on tt.code = t.task_type
      cross join lateral unnest(e.reasons) as ticked(code)
      join rejection_reasons r on r.code = ticked.code
    where e.status = 'REJECTED'
      and ${londonDayRange(sql.ref('e.occurred_at'), c.from, c.to)} and ${taskFilter(c)}
    group by tt.name, tt.position, r.label, r.position
    order by tt.position, r.position`.execute(db)
  return result.rows
}

async function decisionTimes(
  db: Kysely<Tables>,
  c: DashboardCriteria,
): Promise<{ byType: DecisionTime[]; overall: number | null }> {
  const result = await sql<DecisionTime & { overall: boolean }>`
    with d as (${decisions(c)})
    select coalesce(tt.name, 'All task types') as "taskType", grouping(tt.name) = 1 as overall,
      count(*)::int as decisions,
      percentile_cont(0.5) within group (order by extract(epoch from d.occurred_at - t.created_at))::float8
        as "medianSeconds"
    from d join tasks t on t.id = d.task_id join task_types tt on tt.code = t.task_type
    group by rollup (tt.name)
    order by grouping(tt.name), tt.name`.execute(db)
  const overall = result.rows.find((row) => row.overall)
  return {
    byType: result.rows.filter((row) => !row.overall).map(({ overall: _, ...row }) => row),
    overall: overall ? overall.medianSeconds : null,
  }
}

async function ruleAcceptance(db: Kysely<Tables>, c: DashboardCriteria): Promise<RuleAcceptance[]> {
  const result = await sql<RuleAcceptance>`
    with d as (${decisions(c)})
    select t.rule_set_version as "ruleVersion", t.rule_code as "ruleCode",
      (count(*) filter (where d.status = 'ACCEPTED'))::int as accepted,
      (count(*) filter (where d.status = 'REJECTED'))::int as rejected,
      (count(*) filter (where d.status = 'ACCEPTED'))::float8 / count(*) as rate
    from d join tasks t on t.id = d.task_id
    group by 1, 2 order by rate, 1, 2`.execute(db)
  return result.rows
}

async function userAcceptance(db: Kysely<Tables>, c: DashboardCriteria): Promise<UserAcceptance[]> {
  const result = await sql<Omit<UserAcceptance, 'flagged'>>`
    with d as (${decisions(c)}),
    accept_times as (
      -- From the accepting user's last opening of the case before accepting it.
      select d.user_id, extract(epoch from d.occurred_at - (
        select max(o.opened_at) from case_openings o
        where o.task_id = d.task_id and o.user_id = d.user_id and o.opened_at <= d.occurred_at
      ))::float8 as seconds
      from d where d.status = 'ACCEPTED'
    )
    select d.user_id as "userId", u.name,
      (count(*) filter (where d.status = 'ACCEPTED'))::int as accepted,
      (count(*) filter (where d.status = 'REJECTED'))::int as rejected,
      (count(*) filter (where d.status = 'ACCEPTED'))::float8 / count(*) as rate,
      (select percentile_cont(0.5) within group (order by a.seconds) from accept_times a
        where a.user_id = d.user_id and a.seconds is not null)::float8 as "medianSecondsToAccept"
    from d left join users u on u.id = d.user_id
    where d.user_id is not null
    group by d.user_id, u.name order by d.user_id`.execute(db)
  return result.rows.map((row) => ({
    ...row,
    flagged:
      row.rate > THRESHOLDS.rubberStampRate &&
      row.medianSecondsToAccept !== null &&
      row.medianSecondsToAccept < THRESHOLDS.rubberStampSeconds,
  }))
}

/** The four-fifths test: a group well below (or above) the overall rate is flagged. */
export function disparityFlag(rate: number | null, overall: number | null): 'low' | 'high' | undefined {
  if (rate === null || overall === null || overall === 0) return undefined
  if (rate < THRESHOLDS.disparityLow * overall) return 'low'
  if (rate > THRESHOLDS.disparityHigh * overall) return 'high'
  return undefined
}

export function withFlags(
  dimension: EqualityTable['dimension'],
  rows: readonly { group: string; base: number; count: number }[],
  options: EqualityOptions,
): EqualityTable {
  const base = rows.reduce((sum, row) => sum + row.base, 0)
  const count = rows.reduce((sum, row) => sum + row.count, 0)
  const overallRate = base > 0 ? count / base : null
  const overallSuppressed = base > 0 && base < options.minimumGroupSize
  return {
    dimension,
    overallRate: overallSuppressed ? null : overallRate,
    overallSuppressed,
    minimumGroupSize: options.minimumGroupSize,
    groups: rows.map((row): GroupRate => {
      if (row.base < options.minimumGroupSize) return { group: row.group, suppressed: true }
      const rate = row.base > 0 ? row.count / row.base : null
      return { ...row, suppressed: false, rate, flag: disparityFlag(rate, overallRate) }
    }),
  }
}

/**
 * Recommendation rate: of the people in the user's regions, the share with a
 * task recommended in the range. Acceptance rate: of the decisions on their
 * tasks, the share accepted. Age is the person's age at the end of the range.
 */
async function equality(
  db: Kysely<Tables>,
  c: DashboardCriteria,
  options: EqualityOptions,
): Promise<{ recommendation: EqualityTable[]; acceptance: EqualityTable[] }> {
  const people = monitoredPeople(c.to, regionCondition(sql.ref('p.rom_region'), c.scope))
  const recommendation: EqualityTable[] = []
  const acceptance: EqualityTable[] = []
  for (const dimension of EQUALITY_DIMENSIONS) {
    const column = DIMENSION_COLUMNS[dimension]
    const recommended = await sql<{ group: string; base: number; count: number }>`
      with people as (${people}),
      recommended as (
        select distinct t.person_id from tasks t
        where ${londonDayRange(sql.ref('t.created_at'), c.from, c.to)} and ${taskFilter(c)}
      )
      select ${column} as "group", count(*)::int as base, count(r.person_id)::int as count
      from people left join recommended r on r.person_id = people.person_id
      group by 1 order by 1`.execute(db)
    recommendation.push(withFlags(dimension, recommended.rows, options))
    const accepted = await sql<{ group: string; base: number; count: number }>`
      with people as (${people}), d as (${decisions(c)})
      select ${column} as "group", count(*)::int as base,
        (count(*) filter (where d.status = 'ACCEPTED'))::int as count
      from d join tasks t on t.id = d.task_id join people on people.person_id = t.person_id
      group by 1 order by 1`.execute(db)
    acceptance.push(withFlags(dimension, accepted.rows, options))
  }
  return { recommendation, acceptance }
}

export async function miDashboard(
  db: Kysely<Tables>,
  criteria: DashboardCriteria,
  equalityOptions: EqualityOptions,
): Promise<Dashboard> {
  const times = await decisionTimes(db, criteria)
  const fairness = await equality(db, criteria, equalityOptions)
  return {
    weeks: await weeks(db, criteria),
    statusByType: await statusByType(db, criteria),
    reasonsByType: await reasonsByType(db, criteria),
    decisionTimes: times.byType,
    overallMedianSeconds: times.overall,
    rules: await ruleAcceptance(db, criteria),
    users: await userAcceptance(db, criteria),
    recommendationRates: fairness.recommendation,
    acceptanceRates: fairness.acceptance,
    equalityOptions,
  }
}

/** Task types for the filter. */
export async function taskTypeOptions(db: Kysely<Tables>): Promise<{ code: string; name: string }[]> {
  return db.selectFrom('task_types').select(['code', 'name']).orderBy('position').execute()
}
