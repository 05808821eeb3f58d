/**
 * The MI report's columns, A to AI, in order: the one list both the Excel and
 * the CSV writers follow, so the two files cannot drift apart. Each column
 * says what kind of value it holds; the writers decide how that kind looks
 * in their format (a real date in Excel, DD/MM/YYYY text in CSV). Each
 * column also says how to work out its value in SQL, from the report query's
 * row, for the CSV that PostgreSQL writes itself (report-copy.ts); the tests
 * hold the two ways to the same bytes.
 */
import { type RawBuilder, sql } from 'kysely'
import type { TaskStatus } from '../db/tables.ts'

/** One row of the report, as the report query (report-query.ts) gives it. */
export interface MiReportRow {
  readonly person_id: string
  readonly home_office_reference: string
  readonly intervention_type: string
  readonly full_name: string
  readonly gender: string
  readonly nationality: string
  /** ISO dates as text: the writers format them, never a time zone. */
  readonly date_of_birth: string
  readonly age_when_generated: number
  readonly next_reporting_date: string | null
  readonly next_reporting_date_2: string | null
  readonly next_reporting_date_3: string | null
  readonly reporting_frequency: string
  readonly rom_region: string
  readonly ice_region: string
  readonly reporting_centre: string
  readonly referral: string | null
  readonly date_generated: string
  readonly rule_version: string
  /** This is the task's latest status update (its version is the task's current one). */
  readonly is_current: boolean
  readonly status: TaskStatus
  /** London wall-clock time, 'YYYY-MM-DD HH:MM:SS'. */
  readonly status_updated_on: string
  readonly status_updated_by: string
  readonly reasons: readonly string[] | null
  readonly rejection_explanation: string | null
}

/**
 * - text: written as is (in CSV, one that a spreadsheet would run as a formula gets a leading apostrophe);
 * - word: one of this service's own words (Y, N, a status), written as is: never a formula;
 * - number: a whole number;
 * - date: an ISO date (YYYY-MM-DD), shown DD/MM/YYYY;
 * - dateTime: a London wall-clock time (YYYY-MM-DD HH:MM:SS), shown DD/MM/YYYY HH:MM:SS.
 */
export type MiColumnKind = 'text' | 'word' | 'number' | 'date' | 'dateTime'

export interface MiColumn {
  readonly header: string
  readonly kind: MiColumnKind
  /** Excel column width, in characters. */
  readonly width: number
  readonly value: (row: MiReportRow) => string | number | null
  /** The same value as `value`, as SQL over the report query's row, named `r`. */
  readonly sql: RawBuilder<string | number | null>
}

/** A rejection reason as the reference data lists it: code and label, in MI column order. */
export interface MiRejectionReason {
  readonly code: string
  readonly label: string
}

const STATUS_WORDS: Record<MiReportRow['status'], string> = {
  RECOMMENDED: 'Recommended',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  ON_HOLD: 'On hold',
  WITHDRAWN: 'Withdrawn',
}

/**
 * One of the report row's fields, in SQL. (The values read them by name, not
 * through a shared reader: a read by a varying key costs more per cell.)
 */
function field(name: keyof MiReportRow): RawBuilder<string | number | null> {
  return sql`${sql.ref(`r.${name}`)}`
}

const STATUS_WORDS_SQL = sql<string>`case r.status ${sql.join(
  Object.entries(STATUS_WORDS).map(([status, word]) => sql`when ${status} then ${word}`),
  sql` `,
)} end`

const BEFORE_REASONS: readonly MiColumn[] = [
  { header: 'Person ID', kind: 'text', width: 14, value: (row) => row.person_id, sql: field('person_id') },
  {
    header: 'HO ID',
    kind: 'text',
    width: 14,
    value: (row) => row.home_office_reference,
    sql: field('home_office_reference'),
  },
  {
    header: 'Intervention Type',
    kind: 'text',
    width: 28,
    value: (row) => row.intervention_type,
    sql: field('intervention_type'),
  },
  { header: 'Full Name', kind: 'text', width: 28, value: (row) => row.full_name, sql: field('full_name') },
  { header: 'Gender', kind: 'text', width: 8, value: (row) => row.gender, sql: field('gender') },
  {
    header: 'Country of Nationality',
    kind: 'text',
    width: 22,
    value: (row) => row.nationality,
    sql: field('nationality'),
  },
  {
    header: 'Date of Birth',
    kind: 'date',
    width: 13,
    value: (row) => row.date_of_birth,
    sql: field('date_of_birth'),
  },
  {
    header: 'Age',
    kind: 'number',
    width: 6,
    value: (row) => row.age_when_generated,
    sql: field('age_when_generated'),
  },
  {
    header: 'Next Reporting Date',
    kind: 'date',
    width: 13,
    value: (row) => row.next_reporting_date,
    sql: field('next_reporting_date'),
  },
  {
    header: 'Next Reporting Date + 1',
    kind: 'date',
    width: 13,
    value: (row) => row.next_reporting_date_2,
    sql: field('next_reporting_date_2'),
  },
  {
    header: 'Next Reporting Date + 2',
    kind: 'date',
    width: 13,
    value: (row) => row.next_reporting_date_3,
    sql: field('next_reporting_date_3'),
  },
  {
    header: 'Reporting Frequency',
    kind: 'text',
    width: 16,
    value: (row) => row.reporting_frequency,
    sql: field('reporting_frequency'),
  },
  { header: 'ROM Region', kind: 'text', width: 24, value: (row) => row.rom_region, sql: field('rom_region') },
  { header: 'ICE Region', kind: 'text', width: 24, value: (row) => row.ice_region, sql: field('ice_region') },
  {
    header: 'Reporting Centre',
    kind: 'text',
    width: 24,
    value: (row) => row.reporting_centre,
    sql: field('reporting_centre'),
  },
  { header: 'Referral', kind: 'text', width: 20, value: (row) => row.referral, sql: field('referral') },
  {
    header: 'Date Generated',
    kind: 'date',
    width: 13,
    value: (row) => row.date_generated,
    sql: field('date_generated'),
  },
  {
    header: 'Rule Version',
    kind: 'text',
    width: 14,
    value: (row) => row.rule_version,
    sql: field('rule_version'),
  },
  {
    header: 'Current Flag',
    kind: 'word',
    width: 8,
    value: (row) => (row.is_current ? 'Y' : 'N'),
    sql: sql`case when r.is_current then 'Y' else 'N' end`,
  },
  {
    header: 'Current Status',
    kind: 'word',
    width: 12,
    value: (row) => STATUS_WORDS[row.status],
    sql: STATUS_WORDS_SQL,
  },
  {
    header: 'Status Updated On',
    kind: 'dateTime',
    width: 20,
    value: (row) => row.status_updated_on,
    sql: field('status_updated_on'),
  },
  {
    header: 'Status Updated By',
    kind: 'text',
    width: 16,
    value: (row) => row.status_updated_by,
    sql: field('status_updated_by'),
  },
]

const EXPLANATION: MiColumn = {
  header: 'Rejection Explanation',
  kind: 'text',
  width: 50,
  value: (row) => row.rejection_explanation,
  sql: sql`r.rejection_explanation`,
}

/**
 * Every column in order. The rejection reasons are reference data (a team
 * can add or retire one), so their columns come from it: W onwards, one per
 * reason, 'Y' where the caseworker ticked it.
 */
export function miColumns(reasons: readonly MiRejectionReason[]): MiColumn[] {
  const reasonColumns = reasons.map(
    ({ code, label }): MiColumn => ({
      header: label,
      kind: 'word',
      width: 12,
      value: (row) => (row.reasons?.includes(code) ? 'Y' : null),
      sql: sql`case when ${code} = any(r.reasons) then 'Y' end`,
    }),
  )
  return [...BEFORE_REASONS, ...reasonColumns, EXPLANATION]
}

/** "2026-07-01" → "01/07/2026"; "2026-07-01 14:05:09" → "01/07/2026 14:05:09". */
export function miText(kind: MiColumnKind, value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  if (kind === 'date') return `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}`
  if (kind === 'dateTime') {
    return `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)} ${value.slice(11, 19)}`
  }
  return value
}
