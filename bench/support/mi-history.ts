/**
 * The MI benchmark's data: a national history of persons, tasks and status
 * updates written with set-based SQL, so that a million rows take seconds
 * rather than a run of the importer and the rules.
 */
import type pg from 'pg'
import type { CaseloadProfileName } from './profiles.ts'

/**
 * Tasks per person over the year of history. Stress: two, as this history
 * always had. Realistic: about one person in six has a task at a time
 * (docs/decisions/0025-realistic-caseload.md); over a year of decisions and
 * new recommendations, about one task for every two persons.
 */
const TASKS_PER_PERSON: Readonly<Record<CaseloadProfileName, number>> = { realistic: 0.5, stress: 2 }

/**
 * A plausible national history: one task per two updates (a recommendation,
 * then a decision, hold or withdrawal), shared by as many persons as the
 * profile says, spread over the year with rejection reasons and
 * explanations on the rejections. Returns the number of persons.
 */
export async function generateMiHistory(
  pool: pg.Pool,
  rows: number,
  profile: CaseloadProfileName,
): Promise<number> {
  const tasks = Math.ceil(rows / 2)
  const persons = Math.max(1, Math.ceil(tasks / TASKS_PER_PERSON[profile]))
  const client = await pool.connect()
  try {
    await client.query(`
      insert into users (id, name, roles, regions)
      select 'cw' || g, 'Caseworker ' || g, array['CASEWORKER'], array[(array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + g % 6]]
      from generate_series(1, 60) g`)
    await client.query(
      `
      with places as (select array_agg(code order by code) as codes from reporting_locations),
      nations as (select array_agg(code order by code) as codes from countries)
      insert into persons (person_id, home_office_reference, family_name, given_names, date_of_birth, age_disputed,
        gender, nationality, rom_region, ice_region, red_notice, case_type, immigration_status, identified_for_removal,
        travel_document, etd_status, identity_status, reporting_location, reporting_type, reporting_frequency,
        next_reporting_date, next_reporting_date_2, next_reporting_date_3, missed_events_90_days, consecutive_missed,
        compliance, ever_out_of_contact, whereabouts, residence_condition, electronic_monitoring, curfew,
        foreign_national_offender, harm_level, deportation_order, on_licence, relationship, primary_carer, family_case,
        adult_at_risk_level, nrm_status, self_harm_risk, care_leaver, pregnant, em_contraindicated,
        content_hash, first_imported_at, data_changed_at)
      select 'P' || lpad(g::text, 8, '0'), 'HO/' || g, 'Family' || (g % 9973), 'Given' || (g % 4999),
        date '1960-01-01' + (g * 7919) % 20000, false, (array['M','F','X','U'])[1 + g % 4],
        nations.codes[1 + g % cardinality(nations.codes)], (array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + g % 6],
        (array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + g % 6], 'NONE', 'NON_ASYLUM', 'OVERSTAYER', false,
        'NONE', 'NOT_STARTED', 'VERIFIED', places.codes[1 + g % cardinality(places.codes)], 'IN_PERSON',
        (array['WEEKLY','MONTHLY','TWICE_WEEKLY'])[1 + g % 3], date '2027-01-04' + g % 60, date '2027-02-04' + g % 60,
        null, g % 3, g % 2, 'COMPLIANT', false, 'KNOWN', true, 'NONE', false, false, 'LOW', false, false,
        'SINGLE', false, false, 0, 'NONE', false, false, false, false,
        md5(g::text), timestamptz '2026-01-01', timestamptz '2026-01-01'
      from generate_series(1, $1::int) g, places, nations`,
      [persons],
    )
    await client.query(
      `insert into referrals (person_id, position, business_area, referred_on)
       select 'P' || lpad(g::text, 8, '0'), 1, 'RETURNS_PREPARATION', date '2025-12-01' + g % 30
       from generate_series(1, $1::int, 5) g`,
      [persons],
    )
    await client.query(
      `
      insert into tasks (person_id, task_type, rom_region, priority, status, version, rule_code, rule_set_version,
        explanation, created_at, status_changed_at)
      select 'P' || lpad((1 + g % $2::int)::text, 8, '0'),
        (array['FAILED_TO_REPORT','SAFEGUARDING','REPORTING_REVIEW','EM_REVIEW'])[1 + g % 4],
        (array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + (g % $2::int) % 6], g % 100, 'ACCEPTED', 2,
        (array['FAILED_TO_REPORT','SAFEGUARDING','REPORTING_REVIEW','EM_REVIEW'])[1 + g % 4], 'bench-v1', '{}'::jsonb,
        timestamptz '2026-01-01 08:00Z' + (g::float8 / $1::int) * interval '360 days',
        timestamptz '2026-01-01 08:00Z' + (g::float8 / $1::int) * interval '360 days' + interval '2 hours'
      from generate_series(1, $1::int) g`,
      [tasks, persons],
    )
    // Both updates of every task, the second a decision, a hold or a withdrawal; trimmed to exactly --rows.
    await client.query(
      `
      insert into task_events (task_id, task_version, status, occurred_at, user_id, run_id, rule_set_version, reasons,
        details, checks_confirmed)
      select t.id, v.version, v.status, t.created_at + (v.version - 1) * interval '2 hours',
        case when v.version = 2 and v.status <> 'WITHDRAWN' then 'cw' || (1 + t.id % 60) end,
        case when v.version = 1 or v.status = 'WITHDRAWN' then 1 end, 'bench-v1',
        case when v.status = 'REJECTED' then array['MEDICAL', 'SOURCE_DATA_INCORRECT'] end,
        case when v.status = 'REJECTED' then 'Explanation for task ' || t.id || ', with a comma' end,
        case when v.status in ('ACCEPTED', 'REJECTED') then true end
      from tasks t
        cross join lateral (values
          (1, 'RECOMMENDED'),
          (2, (array['ACCEPTED','REJECTED','ON_HOLD','WITHDRAWN'])[1 + t.id % 4])
        ) as v(version, status)
      where t.id * 2 - 2 + v.version <= $1::int`,
      [rows],
    )
    await client.query('analyze')
    return persons
  } finally {
    client.release()
  }
}
