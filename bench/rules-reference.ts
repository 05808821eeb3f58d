/**
 * The rule set in rules/, written out by hand twice, as the benchmark's two
 * references (bench/rules.ts):
 *
 *   (a) one plain SQL query over the same tables, selecting the matches
 *       without explanations, priorities or writes: the floor for evaluating
 *       inside the database;
 *   (b) the same conditions in TypeScript, over person rows already loaded
 *       into memory with their lists.
 *
 * Both must select exactly what the compiled rule set selects; the benchmark
 * checks the counts per task type and says so loudly when they differ (which
 * means a rule file changed and these references need the same change).
 * Thresholds are the rule files' parameters as they stand.
 */
import { type RawBuilder, sql } from 'kysely'
import { addDays, type IsoDate, isoDateFromParts } from '../src/dates.ts'

export const TEAM_DECIDED_BARRIERS = [
  'ASYLUM_CLAIM',
  'HUMAN_RIGHTS_CLAIM',
  'FURTHER_SUBMISSIONS',
  'OUTSTANDING_APPLICATION',
  'TRAFFICKING_REFERRAL_PENDING',
]
export const TRAFFICKING_DECISIONS = ['PENDING', 'POSITIVE_REASONABLE_GROUNDS', 'POSITIVE_CONCLUSIVE_GROUNDS']

/**
 * The cut-off for "under 18" on `date`: born after it means under 18. From
 * 29 February, 18 years back lands on 28 February, as PostgreSQL's age() counts.
 */
function yearsBefore(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return isoDateFromParts(y - years, m, d) ?? (isoDateFromParts(y - years, 2, 28) as IsoDate)
}

/** (a) One plain query: per-person list counts joined once, nine conditions, one row per match. */
export function referenceSql(today: IsoDate): RawBuilder<{ task_type: string; person_id: string }> {
  const t = sql`${today}::date`
  const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)))
  return sql`
    with x as materialized (
      select
        p.person_id,
        not (
          p.adult_at_risk_level >= 2 or p.pregnant or p.age_disputed
          or date_part('year', age(${t}, p.date_of_birth)) < 18
          or p.nrm_status in (${list(TRAFFICKING_DECISIONS)})
          or coalesce(b.open_suspensive, 0) > 0
        ) as safe,
        coalesce(b.old_team_decided, 0) > 0 as old_barrier,
        coalesce(b.open_any, 0) > 0 as open_barrier,
        coalesce(b.open_asylum, 0) > 0 as open_asylum,
        o.person_id is not null as has_offence,
        c.person_id is not null as has_child,
        v.person_id is not null as unanswered_indicator,
        p.next_reporting_date is not null as has_next_date,
        p.travel_document, p.travel_document_expiry, p.etd_status, p.identified_for_removal, p.whereabouts,
        p.family_case, p.immigration_status, p.em_contraindicated, p.deportation_order, p.electronic_monitoring,
        p.em_last_reviewed, p.consecutive_missed, p.foreign_national_offender, p.harm_level, p.ever_out_of_contact,
        p.reporting_type, p.compliance, p.missed_events_90_days, p.reporting_frequency, p.voluntary_return_declined_on
      from persons p
      left join (
        select person_id,
          count(*) filter (where resolved_on is null and suspensive) as open_suspensive,
          count(*) filter (where resolved_on is null) as open_any,
          count(*) filter (where resolved_on is null and type = 'ASYLUM_CLAIM') as open_asylum,
          count(*) filter (
            where resolved_on is null and type in (${list(TEAM_DECIDED_BARRIERS)}) and ${t} - raised_on > 180
          ) as old_team_decided
        from barriers group by person_id
      ) b on b.person_id = p.person_id
      left join (select distinct person_id from offences) o on o.person_id = p.person_id
      left join (select distinct person_id from children) c on c.person_id = p.person_id
      left join (
        select distinct person_id from vulnerability_indicators where not response_recorded
      ) v on v.person_id = p.person_id
      where p.present
    )
    select 'BARRIER_PROGRESSION' as task_type, person_id from x where old_barrier
    union all
    select 'DETENTION_REVIEW', person_id from x
    where safe and not (has_child or family_case) and not open_barrier
      and ((travel_document = 'VALID_PASSPORT' and coalesce(travel_document_expiry > ${t}, false))
        or (travel_document = 'EMERGENCY_TRAVEL_DOCUMENT' and etd_status = 'ISSUED'))
      and identified_for_removal and whereabouts = 'KNOWN' and has_next_date
    union all
    select 'DOCUMENTATION_INTERVIEW', person_id from x
    where safe and not open_asylum and immigration_status = 'APPEAL_RIGHTS_EXHAUSTED'
      and (travel_document in ('NONE', 'EXPIRED_PASSPORT')
        or (travel_document = 'VALID_PASSPORT' and coalesce(travel_document_expiry < ${t}, false)))
      and etd_status not in ('INTERVIEW_PENDING', 'AGREED', 'ISSUED') and has_next_date
    union all
    select 'EM_REVIEW', person_id from x
    where safe and not em_contraindicated
      and ((deportation_order and electronic_monitoring = 'NONE')
        or (electronic_monitoring in ('TAG', 'NON_FITTED_DEVICE')
          and (em_last_reviewed is null or em_last_reviewed < ${t} - 90)))
      and has_next_date
    union all
    select 'FAILED_TO_REPORT', person_id from x
    where safe and whereabouts not in ('HOSPITAL', 'CUSTODY', 'LEFT_UK') and consecutive_missed >= 1
    union all
    select 'REMOTE_REPORTING', person_id from x
    where safe and not (foreign_national_offender or has_offence) and harm_level <> 'HIGH'
      and not identified_for_removal and not ever_out_of_contact
      and reporting_type = 'IN_PERSON' and compliance = 'COMPLIANT' and missed_events_90_days <= 0 and has_next_date
    union all
    select 'REPORTING_REVIEW', person_id from x
    where safe and has_next_date
      and ((compliance = 'COMPLIANT' and missed_events_90_days <= 0 and not ever_out_of_contact
          and reporting_frequency in ('TWICE_WEEKLY', 'WEEKLY', 'FORTNIGHTLY')
          and not identified_for_removal and travel_document in ('NONE', 'EXPIRED_PASSPORT')
          and etd_status not in ('AGREED', 'ISSUED') and not (foreign_national_offender and harm_level = 'HIGH'))
        or missed_events_90_days >= 2)
    union all
    select 'SAFEGUARDING', person_id from x where unanswered_indicator
    union all
    select 'VOLUNTARY_RETURN', person_id from x
    where safe and not coalesce(voluntary_return_declined_on between ${t} - 90 and ${t}, false)
      and immigration_status = 'APPEAL_RIGHTS_EXHAUSTED' and whereabouts = 'KNOWN' and has_next_date
  `
}

/** A person as reference (b) sees them: the columns the rules read, and their lists. */
export interface PersonInMemory {
  readonly person_id: string
  readonly date_of_birth: string
  readonly age_disputed: boolean
  readonly adult_at_risk_level: number
  readonly pregnant: boolean
  readonly nrm_status: string
  readonly next_reporting_date: string | null
  readonly travel_document: string
  readonly travel_document_expiry: string | null
  readonly etd_status: string
  readonly identified_for_removal: boolean
  readonly whereabouts: string
  readonly family_case: boolean
  readonly immigration_status: string
  readonly em_contraindicated: boolean
  readonly deportation_order: boolean
  readonly electronic_monitoring: string
  readonly em_last_reviewed: string | null
  readonly consecutive_missed: number
  readonly foreign_national_offender: boolean
  readonly harm_level: string
  readonly ever_out_of_contact: boolean
  readonly reporting_type: string
  readonly compliance: string
  readonly missed_events_90_days: number
  readonly reporting_frequency: string
  readonly voluntary_return_declined_on: string | null
  readonly barriers: readonly {
    type: string
    suspensive: boolean
    raised_on: string
    resolved_on: string | null
  }[]
  readonly offences: number
  readonly children: number
  readonly indicators: readonly { response_recorded: boolean }[]
}

/** Loads every present person with their lists, in one query (not timed by the benchmark). */
export const personsInMemorySql = sql<PersonInMemory>`
  select p.person_id, p.date_of_birth, p.age_disputed, p.adult_at_risk_level, p.pregnant, p.nrm_status,
    p.next_reporting_date, p.travel_document, p.travel_document_expiry, p.etd_status, p.identified_for_removal,
    p.whereabouts, p.family_case, p.immigration_status, p.em_contraindicated, p.deportation_order,
    p.electronic_monitoring, p.em_last_reviewed, p.consecutive_missed, p.foreign_national_offender, p.harm_level,
    p.ever_out_of_contact, p.reporting_type, p.compliance, p.missed_events_90_days, p.reporting_frequency,
    p.voluntary_return_declined_on,
    coalesce(b.items, '[]') as barriers, coalesce(o.n, 0)::int as offences, coalesce(c.n, 0)::int as children,
    coalesce(v.items, '[]') as indicators
  from persons p
  left join (
    select person_id, json_agg(json_build_object(
      'type', type, 'suspensive', suspensive, 'raised_on', raised_on, 'resolved_on', resolved_on)) as items
    from barriers group by person_id
  ) b on b.person_id = p.person_id
  left join (select person_id, count(*) as n from offences group by person_id) o on o.person_id = p.person_id
  left join (select person_id, count(*) as n from children group by person_id) c on c.person_id = p.person_id
  left join (
    select person_id, json_agg(json_build_object('response_recorded', response_recorded)) as items
    from vulnerability_indicators group by person_id
  ) v on v.person_id = p.person_id
  where p.present
`

const TEAM_DECIDED = new Set(TEAM_DECIDED_BARRIERS)
const TRAFFICKING = new Set(TRAFFICKING_DECISIONS)

/**
 * (b) The rules over persons in memory: the matches per task type. Dates are
 * ISO strings, so comparing them as strings compares them as dates.
 */
export function evaluateInMemory(persons: readonly PersonInMemory[], today: IsoDate): Map<string, number> {
  const adultBornOnOrBefore = yearsBefore(today, 18)
  const barrierRaisedBefore = addDays(today, -180)
  const reviewedBefore = addDays(today, -90)
  const declinedSince = addDays(today, -90)
  const counts = new Map<string, number>()
  const match = (taskType: string) => counts.set(taskType, (counts.get(taskType) ?? 0) + 1)
  for (const p of persons) {
    let openSuspensive = false
    let openAny = false
    let openAsylum = false
    let oldTeamDecided = false
    for (const b of p.barriers) {
      if (b.resolved_on !== null) continue
      openAny = true
      if (b.suspensive) openSuspensive = true
      if (b.type === 'ASYLUM_CLAIM') openAsylum = true
      if (TEAM_DECIDED.has(b.type) && b.raised_on < barrierRaisedBefore) oldTeamDecided = true
    }
    const safe = !(
      p.adult_at_risk_level >= 2 ||
      p.pregnant ||
      p.age_disputed ||
      p.date_of_birth > adultBornOnOrBefore ||
      TRAFFICKING.has(p.nrm_status) ||
      openSuspensive
    )
    const hasNextDate = p.next_reporting_date !== null

    if (oldTeamDecided) match('BARRIER_PROGRESSION')
    if (p.indicators.some((i) => !i.response_recorded)) match('SAFEGUARDING')
    if (!safe) continue

    if (
      !(p.children > 0 || p.family_case) &&
      !openAny &&
      ((p.travel_document === 'VALID_PASSPORT' &&
        p.travel_document_expiry !== null &&
        p.travel_document_expiry > today) ||
        (p.travel_document === 'EMERGENCY_TRAVEL_DOCUMENT' && p.etd_status === 'ISSUED')) &&
      p.identified_for_removal &&
      p.whereabouts === 'KNOWN' &&
      hasNextDate
    ) {
      match('DETENTION_REVIEW')
    }
    if (
      !openAsylum &&
      p.immigration_status === 'APPEAL_RIGHTS_EXHAUSTED' &&
      (p.travel_document === 'NONE' ||
        p.travel_document === 'EXPIRED_PASSPORT' ||
        (p.travel_document === 'VALID_PASSPORT' &&
          p.travel_document_expiry !== null &&
          p.travel_document_expiry < today)) &&
      p.etd_status !== 'INTERVIEW_PENDING' &&
      p.etd_status !== 'AGREED' &&
      p.etd_status !== 'ISSUED' &&
      hasNextDate
    ) {
      match('DOCUMENTATION_INTERVIEW')
    }
    if (
      !p.em_contraindicated &&
      ((p.deportation_order && p.electronic_monitoring === 'NONE') ||
        ((p.electronic_monitoring === 'TAG' || p.electronic_monitoring === 'NON_FITTED_DEVICE') &&
          (p.em_last_reviewed === null || p.em_last_reviewed < reviewedBefore))) &&
      hasNextDate
    ) {
      match('EM_REVIEW')
    }
    if (
      p.whereabouts !== 'HOSPITAL' &&
      p.whereabouts !== 'CUSTODY' &&
      p.whereabouts !== 'LEFT_UK' &&
      p.consecutive_missed >= 1
    ) {
      match('FAILED_TO_REPORT')
    }
    if (
      !(p.foreign_national_offender || p.offences > 0) &&
      p.harm_level !== 'HIGH' &&
      !p.identified_for_removal &&
      !p.ever_out_of_contact &&
      p.reporting_type === 'IN_PERSON' &&
      p.compliance === 'COMPLIANT' &&
      p.missed_events_90_days <= 0 &&
      hasNextDate
    ) {
      match('REMOTE_REPORTING')
    }
    if (
      hasNextDate &&
      ((p.compliance === 'COMPLIANT' &&
        p.missed_events_90_days <= 0 &&
        !p.ever_out_of_contact &&
        (p.reporting_frequency === 'TWICE_WEEKLY' ||
          p.reporting_frequency === 'WEEKLY' ||
          p.reporting_frequency === 'FORTNIGHTLY') &&
        !p.identified_for_removal &&
        (p.travel_document === 'NONE' || p.travel_document === 'EXPIRED_PASSPORT') &&
        p.etd_status !== 'AGREED' &&
        p.etd_status !== 'ISSUED' &&
        !(p.foreign_national_offender && p.harm_level === 'HIGH')) ||
        p.missed_events_90_days >= 2)
    ) {
      match('REPORTING_REVIEW')
    }
    const declinedRecently =
      p.voluntary_return_declined_on !== null &&
      p.voluntary_return_declined_on >= declinedSince &&
      p.voluntary_return_declined_on <= today
    if (
      !declinedRecently &&
      p.immigration_status === 'APPEAL_RIGHTS_EXHAUSTED' &&
      p.whereabouts === 'KNOWN' &&
      hasNextDate
    ) {
      match('VOLUNTARY_RETURN')
    }
  }
  return counts
}
