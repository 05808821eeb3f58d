/**
 * The MI report's rows: one per status update (task_events row) in a date
 * range, with the task, the person and the reference data's names joined in.
 * One SQL statement, streamed from a cursor (or, for the CSV on PostgreSQL,
 * wrapped in a COPY: report-copy.ts), so a year of national history never
 * has to fit in memory.
 */
import { type CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import { readAhead } from '../db/read-ahead.ts'
import type { Tables } from '../db/tables.ts'
import type { MiRejectionReason, MiReportRow } from './report-columns.ts'

export interface MiReportCriteria {
  /** First and last London calendar days of the range, both included. */
  readonly from: IsoDate
  readonly to: IsoDate
  readonly scope: RegionScope
}

/** Who a status change made by a rule run (a recommendation or withdrawal) is attributed to. */
export const RULES_USER_LABEL = 'IPIC rules'

/** A WHERE condition on a ROM region column for a raw query; an empty scope matches nothing. */
export function regionCondition(column: RawBuilder<unknown>, scope: RegionScope): RawBuilder<boolean> {
  if (scope.all) return sql<boolean>`true`
  if (scope.codes.length === 0) return sql<boolean>`false`
  return sql<boolean>`${column} = any(${[...scope.codes]}::text[])`
}

/** A timestamp column as London wall-clock text ("YYYY-MM-DD HH24:MI:SS"), as the worksheets show it. */
export function londonTimeText(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI:SS')`
}

/** A query's rows in chunks from a cursor, the next chunk read while this one is written. */
export async function* streamedRows<Row>(
  db: Kysely<Tables>,
  query: CompiledQuery<Row>,
  chunkSize = 500,
): AsyncGenerator<readonly Row[]> {
  for await (const result of readAhead(db.getExecutor().stream(query, chunkSize))) {
    yield result.rows
  }
}

/** occurred_at within the London days from…to, written so the index on occurred_at serves it. */
export function londonDayRange(column: RawBuilder<unknown>, from: IsoDate, to: IsoDate): RawBuilder<boolean> {
  return sql<boolean>`${column} >= (${from}::date)::timestamp at time zone 'Europe/London'
    and ${column} < (${to}::date + 1)::timestamp at time zone 'Europe/London'`
}

const LATEST_REFERRAL = sql`
    latest_referral as (
      select distinct on (r.person_id) r.person_id, b.name
      from referrals r join business_areas b on b.code = r.business_area
      order by r.person_id, r.referred_on desc, r.position desc
    )`

/**
 * How a row finds the person's latest referral. Both give the same rows (a
 * test holds the COPY and the cursor to the same bytes); they suit
 * different readers:
 *
 * - `joined`: every person's latest referral worked out once (the CTE above)
 *   and hash-joined. Cheapest in all, so COPY uses it. But PostgreSQL then
 *   hashes every table and sorts the whole range before the first row comes
 *   out: about 5 s for a million rows, while the writer has nothing to do
 *   and the browser shows no download;
 * - `looked up`: a lookup per row in referrals' primary key. The planner
 *   then walks task_events in occurred_at order through its index and joins
 *   each event by its keys, so rows come out at once, already in order, and
 *   the database works while the writer does. The database spends more in
 *   all (about 8 s of a backend against 5 for a million rows), but on
 *   the XLSX download, which the writer's CPU bounds, it came out ahead:
 *   55–65k rows/s against 49–61k, in five runs of each, taken in turn.
 */
type ReferralLookup = 'joined' | 'looked up'

const REFERRAL_LOOKED_UP = sql`(
      select b.name from referrals r join business_areas b on b.code = r.business_area
      where r.person_id = p.person_id
      order by r.referred_on desc, r.position desc
      limit 1
    )`

/** The report's rows in its order, for COPY: all the rows as soon as possible (see ReferralLookup). */
export function miReportQuery(criteria: MiReportCriteria): RawBuilder<MiReportRow> {
  return sql<MiReportRow>`with ${LATEST_REFERRAL} ${reportRows(criteria, 'joined')} order by e.occurred_at, e.id`
}

/** The report's rows in its order, for a cursor: the first rows at once (see ReferralLookup). */
export function miReportStreamQuery(criteria: MiReportCriteria): RawBuilder<MiReportRow> {
  return sql<MiReportRow>`${reportRows(criteria, 'looked up')} order by e.occurred_at, e.id`
}

/**
 * `select <fields> from (the report's rows) r`, in the report's order: for a
 * query that works out more from each row (report-copy.ts). The rows come
 * without an ORDER BY of their own and the order is applied outside, which
 * lets PostgreSQL merge the two SELECTs into one, so that the outer fields
 * are worked out by the parallel workers, before the sort (an ordered
 * subquery would be worked out on its own and leave that to one process).
 */
export function selectFromMiReport(
  criteria: MiReportCriteria,
  fields: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`with ${LATEST_REFERRAL}
    select ${fields} from (${reportRows(criteria, 'joined', sql`e.occurred_at as sort_at, e.id as sort_id,`)}) r
    order by r.sort_at, r.sort_id`
}

function reportRows(
  criteria: MiReportCriteria,
  referral: ReferralLookup,
  sortKeys?: RawBuilder<unknown>,
): RawBuilder<MiReportRow> {
  return sql<MiReportRow>`
    select
      ${sortKeys ?? sql``}
      p.person_id,
      p.home_office_reference,
      tt.name as intervention_type,
      p.given_names || ' ' || p.family_name as full_name,
      p.gender,
      c.name as nationality,
      p.date_of_birth::text as date_of_birth,
      extract(year from age((t.created_at at time zone 'Europe/London')::date, p.date_of_birth))::int
        as age_when_generated,
      p.next_reporting_date::text as next_reporting_date,
      p.next_reporting_date_2::text as next_reporting_date_2,
      p.next_reporting_date_3::text as next_reporting_date_3,
      upper(left(p.reporting_frequency, 1)) || lower(replace(substr(p.reporting_frequency, 2), '_', ' '))
        as reporting_frequency,
      rr.name as rom_region,
      ir.name as ice_region,
      rl.name as reporting_centre,
      ${referral === 'joined' ? sql`lr.name` : REFERRAL_LOOKED_UP} as referral,
      ((t.created_at at time zone 'Europe/London')::date)::text as date_generated,
      t.rule_set_version as rule_version,
      e.task_version = t.version as is_current,
      e.status,
      to_char(e.occurred_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI:SS') as status_updated_on,
      coalesce(e.user_id, ${RULES_USER_LABEL}) as status_updated_by,
      e.reasons,
      case when e.status = 'REJECTED' then e.details end as rejection_explanation
    from task_events e
      join tasks t on t.id = e.task_id
      join persons p on p.person_id = t.person_id
      join task_types tt on tt.code = t.task_type
      join countries c on c.code = p.nationality
      join rom_regions rr on rr.code = t.rom_region
      join ice_regions ir on ir.code = p.ice_region
      join reporting_locations rl on rl.code = p.reporting_location
      ${referral === 'joined' ? sql`left join latest_referral lr on lr.person_id = p.person_id` : sql``}
    where ${londonDayRange(sql.ref('e.occurred_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}`
}

/**
 * The report's rows in chunks, read through a cursor on PostgreSQL, the next
 * chunk fetched while the caller writes out this one. Leaving the loop early
 * (a client that went away) closes the cursor and gives the connection back.
 */
export async function* streamMiReport(
  db: Kysely<Tables>,
  criteria: MiReportCriteria,
  chunkSize = 1000,
): AsyncGenerator<readonly MiReportRow[]> {
  yield* streamedRows(db, miReportStreamQuery(criteria).compile(db) as CompiledQuery<MiReportRow>, chunkSize)
}

/** The rejection reasons in MI column order, retired ones included: old events may carry them. */
export async function miRejectionReasons(db: Kysely<Tables>): Promise<MiRejectionReason[]> {
  return db.selectFrom('rejection_reasons').select(['code', 'label']).orderBy('position').execute()
}
