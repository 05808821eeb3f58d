/**
 * Reference (f), the evaluation floor (bench/rules.ts): the rule set in
 * rules/ written out by hand as one SELECT over `person_facts`, returning
 * every match with its priority, the same work the compiled evaluation does
 * when a run asks for matches and priorities. The benchmark checks that the
 * matches and the priority sums per task type agree with the compiled rule
 * set's; thresholds and weights are the rule files' as they stand.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { IsoDate } from '../src/dates.ts'
import type { Tables } from '../src/db/tables.ts'
import { TEAM_DECIDED_BARRIERS, TRAFFICKING_DECISIONS } from './rules-reference.ts'

/** A condition's points: its weight when it holds. */
const when = (condition: RawBuilder<unknown>, weight: number) =>
  sql`(case when ${condition} then ${sql.lit(weight)} else 0 end)`

/** A scale's points, rounded as the rules round them; none for a missing value. */
function scale(value: RawBuilder<unknown>, upTo: number, weight: number, direction: 'higher' | 'lower') {
  const capped = sql`least(greatest(${value}, 0), ${sql.lit(upTo)})`
  const share = direction === 'higher' ? capped : sql`(${sql.lit(upTo)} - ${capped})`
  return sql`(case when ${value} is null then 0 else round(${sql.lit(weight)}::numeric * ${share} / ${sql.lit(upTo)}, 2) end)`
}

/**
 * (f) Every match with its priority: one pass over person_facts, one row per
 * person and rule matched. With `personsIn`, a table of person IDs, only
 * those persons' rows are read (by the primary key), as an incremental run
 * evaluates only the changed persons.
 */
export function factsFloorSql(
  today: IsoDate,
  personsIn?: string,
): RawBuilder<{ task_type: string; person_id: string; priority: string }> {
  const t = sql`${today}::date`
  const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)))
  const harm = (high: number, medium: number) =>
    sql`${when(sql`harm_level = 'HIGH'`, high)} + ${when(sql`harm_level = 'MEDIUM'`, medium)}`
  const soon = (weight: number) => scale(sql`(next_reporting_date - ${t})`, 28, weight, 'lower')
  const sinceLastAttended = (weight: number) => scale(sql`(${t} - last_attended)`, 90, weight, 'higher')
  const rules: { code: string; matched: RawBuilder<unknown>; priority: RawBuilder<unknown> }[] = [
    {
      code: 'BARRIER_PROGRESSION',
      matched: sql`old_barriers > 0`,
      priority: sql`${when(sql`old_suspensive_barrier`, 40)} + ${when(sql`old_barriers >= 2`, 20)} + ${soon(20)}`,
    },
    {
      code: 'DETENTION_REVIEW',
      matched: sql`safe and not (children_count > 0 or family_case) and not open_barrier
        and ((travel_document = 'VALID_PASSPORT' and coalesce(travel_document_expiry > ${t}, false))
          or (travel_document = 'EMERGENCY_TRAVEL_DOCUMENT' and etd_status = 'ISSUED'))
        and identified_for_removal and whereabouts = 'KNOWN' and next_reporting_date is not null`,
      priority: sql`${soon(30)} + ${harm(40, 20)} + ${scale(sql`longest_sentence_months`, 48, 20, 'higher')}
        + ${when(sql`ever_out_of_contact`, 10)}`,
    },
    {
      code: 'DOCUMENTATION_INTERVIEW',
      matched: sql`safe and not open_asylum and immigration_status = 'APPEAL_RIGHTS_EXHAUSTED'
        and (travel_document in ('NONE', 'EXPIRED_PASSPORT')
          or (travel_document = 'VALID_PASSPORT' and coalesce(travel_document_expiry < ${t}, false)))
        and etd_status not in ('INTERVIEW_PENDING', 'AGREED', 'ISSUED') and next_reporting_date is not null`,
      priority: sql`${soon(40)} + ${harm(30, 15)} + ${when(sql`deportation_order`, 20)}`,
    },
    {
      code: 'EM_REVIEW',
      matched: sql`safe and not em_contraindicated
        and ((deportation_order and electronic_monitoring = 'NONE')
          or (electronic_monitoring in ('TAG', 'NON_FITTED_DEVICE')
            and (em_last_reviewed is null or em_last_reviewed < ${t} - 90)))
        and next_reporting_date is not null`,
      priority: sql`${soon(30)} + ${harm(30, 15)} + ${scale(sql`(${t} - em_last_reviewed)`, 180, 20, 'higher')}`,
    },
    {
      code: 'FAILED_TO_REPORT',
      matched: sql`safe and whereabouts not in ('HOSPITAL', 'CUSTODY', 'LEFT_UK') and consecutive_missed >= 1`,
      priority: sql`${scale(sql`consecutive_missed`, 4, 30, 'higher')} + ${sinceLastAttended(25)} + ${harm(30, 15)}`,
    },
    {
      code: 'REMOTE_REPORTING',
      matched: sql`safe and not (foreign_national_offender or offences_count > 0) and harm_level <> 'HIGH'
        and not identified_for_removal and not ever_out_of_contact and reporting_type = 'IN_PERSON'
        and compliance = 'COMPLIANT' and missed_events_90_days <= 0 and next_reporting_date is not null`,
      priority: sql`${soon(30)} + ${when(sql`reporting_frequency in ('TWICE_WEEKLY', 'WEEKLY')`, 30)}
        + ${when(sql`adult_at_risk_level >= 1`, 20)} + ${when(sql`primary_carer`, 20)}`,
    },
    {
      code: 'REPORTING_REVIEW',
      matched: sql`safe and next_reporting_date is not null
        and ((compliance = 'COMPLIANT' and missed_events_90_days <= 0 and not ever_out_of_contact
            and reporting_frequency in ('TWICE_WEEKLY', 'WEEKLY', 'FORTNIGHTLY')
            and not identified_for_removal and travel_document in ('NONE', 'EXPIRED_PASSPORT')
            and etd_status not in ('AGREED', 'ISSUED') and not (foreign_national_offender and harm_level = 'HIGH'))
          or missed_events_90_days >= 2)`,
      priority: sql`${when(sql`missed_events_90_days >= 2`, 40)} + ${soon(30)} + ${sinceLastAttended(10)} + ${harm(20, 10)}`,
    },
    {
      code: 'SAFEGUARDING',
      matched: sql`unanswered > 0`,
      priority: sql`${when(sql`self_harm_risk`, 40)} + ${scale(sql`adult_at_risk_level`, 3, 30, 'higher')}
        + ${when(sql`(under_18 or age_disputed)`, 20)}
        + ${when(sql`nrm_status in (${list(TRAFFICKING_DECISIONS)})`, 20)} + ${when(sql`unanswered >= 2`, 10)}`,
    },
    {
      code: 'VOLUNTARY_RETURN',
      matched: sql`safe and not coalesce(voluntary_return_declined_on between ${t} - 90 and ${t}, false)
        and immigration_status = 'APPEAL_RIGHTS_EXHAUSTED' and whereabouts = 'KNOWN' and next_reporting_date is not null`,
      priority: sql`${soon(40)} + ${when(sql`travel_document in ('VALID_PASSPORT', 'EMERGENCY_TRAVEL_DOCUMENT')`, 30)}
        + ${when(sql`voluntary_return_declined_on is null`, 10)}`,
    },
  ]
  // One row per person (fenced, so each column is computed once), then one row per rule it matched.
  return sql`
    select r.task_type, x.person_id,
      case r.task_type ${sql.join(
        rules.map((rule) => sql`when ${sql.lit(rule.code)} then ${rule.priority}`),
        sql` `,
      )} end as priority
    from (
      select p.person_id, p.under_18, p.age_disputed, p.nrm_status, p.harm_level, p.next_reporting_date,
        p.last_attended, p.longest_sentence_months, p.ever_out_of_contact, p.children_count, p.family_case,
        p.travel_document, p.travel_document_expiry, p.etd_status, p.identified_for_removal, p.whereabouts,
        p.immigration_status, p.deportation_order, p.em_contraindicated, p.electronic_monitoring, p.em_last_reviewed,
        p.consecutive_missed, p.reporting_frequency, p.adult_at_risk_level, p.primary_carer,
        p.foreign_national_offender, p.offences_count, p.reporting_type, p.compliance, p.missed_events_90_days,
        p.self_harm_risk, p.voluntary_return_declined_on,
        not (
          p.adult_at_risk_level >= 2 or p.pregnant or p.age_disputed or p.under_18
          or p.nrm_status in (${list(TRAFFICKING_DECISIONS)}) or coalesce(b.open_suspensive, 0) > 0
        ) as safe,
        coalesce(b.old_team_decided, 0) as old_barriers,
        coalesce(b.old_team_decided_suspensive, 0) > 0 as old_suspensive_barrier,
        coalesce(b.open_any, 0) > 0 as open_barrier,
        coalesce(b.open_asylum, 0) > 0 as open_asylum,
        coalesce(v.unanswered, 0) as unanswered
      from (
        select f.*, date_part('year', age(${t}, f.date_of_birth)) < 18 as under_18
        from person_facts f where f.present${
          personsIn === undefined
            ? sql``
            : sql` and f.person_id in (select person_id from ${sql.table(personsIn)})`
        }
      ) p
      left join lateral (
        select
          count(*) filter (where i.resolved_on is null and i.suspensive) as open_suspensive,
          count(*) filter (where i.resolved_on is null) as open_any,
          count(*) filter (where i.resolved_on is null and i.type = 'ASYLUM_CLAIM') as open_asylum,
          count(*) filter (
            where i.resolved_on is null and i.type in (${list(TEAM_DECIDED_BARRIERS)}) and ${t} - i.raised_on > 180
          ) as old_team_decided,
          count(*) filter (
            where i.resolved_on is null and i.suspensive and i.type in (${list(TEAM_DECIDED_BARRIERS)})
              and ${t} - i.raised_on > 180
          ) as old_team_decided_suspensive
        from unnest(p.barriers_type, p.barriers_suspensive, p.barriers_raised_on, p.barriers_resolved_on)
          as i(type, suspensive, raised_on, resolved_on)
        where p.barriers_count > 0
      ) b on true
      left join lateral (
        select count(*) filter (where not r.recorded) as unanswered
        from unnest(p.vulnerability_indicators_response_recorded) as r(recorded)
        where p.vulnerability_indicators_count > 0
      ) v on true
      offset 0
    ) x
    cross join lateral unnest(array_remove(array[${sql.join(
      rules.map((rule) => sql`case when ${rule.matched} then ${sql.lit(rule.code)} end`),
    )}], null)) as r(task_type)
  `
}

/**
 * (f1): (f) over the given persons alone, the evaluation floor of an
 * incremental run that evaluates them: their IDs in a temporary table, as
 * the run lists its own, and one SELECT reading their facts rows. Times the
 * SELECT only; returns how many matches it found.
 */
export async function changedPersonsFloor(
  db: Kysely<Tables>,
  today: IsoDate,
  personIds: readonly string[],
): Promise<{ seconds: number; matches: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx)
    await sql`create temp table bench_changed_persons on commit drop as
      select unnest(${[...personIds]}::text[]) as person_id`.execute(trx)
    await sql`analyze bench_changed_persons`.execute(trx)
    const started = performance.now()
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n, sum(priority) as points
      from (${factsFloorSql(today, 'bench_changed_persons')}) m`.execute(trx)
    return { seconds: (performance.now() - started) / 1000, matches: rows[0]?.n ?? 0 }
  })
}
