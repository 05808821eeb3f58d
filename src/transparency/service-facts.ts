/**
 * What the service knows about its own use, for the transparency record:
 * how many recommendations and decisions there were each month, how often
 * people accepted, rejected or held each rule version's recommendations,
 * when the rule set changed, and how much data it holds. Counts only: no
 * person, user or case is named, so the record can be public.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'

/** How far back the monthly figures go: a year, and the month so far. */
export const MONTHS_SHOWN = 12

export interface MonthVolume {
  /** YYYY-MM, in London. */
  readonly month: string
  readonly recommended: number
  readonly accepted: number
  readonly rejected: number
  readonly onHold: number
  readonly withdrawn: number
}

/** People's decisions on one rule's recommendations made by one version of the rule set. */
export interface DecisionRate {
  readonly taskType: string
  readonly ruleSetVersion: string
  readonly accepted: number
  readonly rejected: number
  readonly onHold: number
}

/** Representations and contests about one rule's decisions made on one rule-set version's recommendations. */
export interface ContestCount {
  readonly taskType: string
  readonly ruleSetVersion: string
  readonly received: number
  readonly open: number
  readonly upheld: number
  readonly changed: number
  /** Days from receipt to outcome, the middle value; null while none has an outcome. */
  readonly medianDaysToOutcome: number | null
}

export interface RuleSetChange {
  readonly version: string
  /** When a rule run first used it. */
  readonly firstUsed: Date
}

export interface ServiceFacts {
  readonly months: readonly MonthVolume[]
  readonly rates: readonly DecisionRate[]
  readonly contests: readonly ContestCount[]
  readonly ruleSets: readonly RuleSetChange[]
  readonly personsHeld: number
  readonly openRecommendations: number
  readonly ruleRunsLast30Days: number
  readonly importsLast30Days: {
    readonly recordsRead: number
    readonly rejected: number
    readonly imports: number
  }
}

export async function serviceFacts(db: Kysely<Tables>, now: Date): Promise<ServiceFacts> {
  const [months, rates, contests, ruleSets, holdings, runs, imports] = await Promise.all([
    monthlyVolumes(db, now),
    decisionRates(db),
    contestCounts(db),
    ruleSetChanges(db),
    sql<{ persons: number; open: number }>`
      select (select count(*) from persons where present)::int as persons,
             (select count(*) from tasks where status = 'RECOMMENDED')::int as open`.execute(db),
    sql<{ runs: number }>`
      select count(*)::int as runs from rule_runs
      where status = 'COMPLETED' and started_at >= ${now}::timestamptz - interval '30 days'`.execute(db),
    sql<{ imports: number; read: number; rejected: number }>`
      select count(*)::int as imports, coalesce(sum(records_read), 0)::int as read,
             coalesce(sum(rejected), 0)::int as rejected
      from imports where status = 'COMPLETED' and started_at >= ${now}::timestamptz - interval '30 days'`.execute(
      db,
    ),
  ])
  const holding = holdings.rows[0]
  const imported = imports.rows[0]
  return {
    months,
    rates,
    contests,
    ruleSets,
    personsHeld: holding?.persons ?? 0,
    openRecommendations: holding?.open ?? 0,
    ruleRunsLast30Days: runs.rows[0]?.runs ?? 0,
    importsLast30Days: {
      imports: imported?.imports ?? 0,
      recordsRead: imported?.read ?? 0,
      rejected: imported?.rejected ?? 0,
    },
  }
}

/**
 * Status changes per London month: recommendations (by a rule run) and
 * people's decisions. A decision changed later counts in each month it was
 * made: this is how much work people did, not where tasks ended up.
 */
async function monthlyVolumes(db: Kysely<Tables>, now: Date): Promise<MonthVolume[]> {
  const result = await sql<MonthVolume>`
    with bounds as (
      select date_trunc('month', ${now}::timestamptz at time zone 'Europe/London')
               - make_interval(months => ${MONTHS_SHOWN}) as first_month
    )
    select to_char(e.occurred_at at time zone 'Europe/London', 'YYYY-MM') as month,
      (count(*) filter (where e.status = 'RECOMMENDED'))::int as recommended,
      (count(*) filter (where e.status = 'ACCEPTED'))::int as accepted,
      (count(*) filter (where e.status = 'REJECTED'))::int as rejected,
      (count(*) filter (where e.status = 'ON_HOLD'))::int as "onHold",
      (count(*) filter (where e.status = 'WITHDRAWN'))::int as withdrawn
    from task_events e, bounds
    where e.occurred_at >= (bounds.first_month at time zone 'Europe/London')
    group by 1 order by 1`.execute(db)
  return result.rows
}

/** Decisions people made, by the rule and rule-set version that made the recommendation. */
async function decisionRates(db: Kysely<Tables>): Promise<DecisionRate[]> {
  const result = await sql<DecisionRate>`
    select t.task_type as "taskType", t.rule_set_version as "ruleSetVersion",
      (count(*) filter (where e.status = 'ACCEPTED'))::int as accepted,
      (count(*) filter (where e.status = 'REJECTED'))::int as rejected,
      (count(*) filter (where e.status = 'ON_HOLD'))::int as "onHold"
    from task_events e join tasks t on t.id = e.task_id
    where e.user_id is not null and e.status in ('ACCEPTED', 'REJECTED', 'ON_HOLD')
    group by 1, 2 order by 1, min(e.occurred_at)`.execute(db)
  return result.rows
}

async function contestCounts(db: Kysely<Tables>): Promise<ContestCount[]> {
  const result = await sql<ContestCount>`
    select t.task_type as "taskType", t.rule_set_version as "ruleSetVersion",
      count(*)::int as received,
      (count(*) filter (where c.outcome is null))::int as open,
      (count(*) filter (where c.outcome = 'UPHELD'))::int as upheld,
      (count(*) filter (where c.outcome = 'CHANGED'))::int as changed,
      (percentile_disc(0.5) within group (
        order by (c.decided_at at time zone 'Europe/London')::date - c.received_on)
        filter (where c.outcome is not null))::int as "medianDaysToOutcome"
    from contests c join tasks t on t.id = c.task_id
    group by 1, 2 order by 1, 2`.execute(db)
  return result.rows
}

async function ruleSetChanges(db: Kysely<Tables>): Promise<RuleSetChange[]> {
  const result = await sql<RuleSetChange>`
    select version, loaded_at as "firstUsed" from rule_sets order by loaded_at desc limit 20`.execute(db)
  return result.rows.map((row) => ({ version: row.version, firstUsed: new Date(row.firstUsed) }))
}
