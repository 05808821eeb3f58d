/**
 * The MI workbook's "Contests" worksheet, after "Review evidence": one row
 * per contest recorded in the date range and the user's regions (see
 * src/tasks/contests.ts), with its task's type and rule version, what was
 * contested and by whom it was decided, how it arrived, its outcome and the
 * days from receiving it to the outcome. The first worksheet (the guide's
 * columns A–AI) is untouched; the CSV keeps those columns alone.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import {
  londonDayRange,
  londonTimeText,
  type MiReportCriteria,
  regionCondition,
  streamedRows,
} from './report-query.ts'
import { extraSheetOf, type MiExtraSheet, type MiSheetCell, type MiSheetColumn } from './xlsx-extra-sheets.ts'

interface ContestRow {
  readonly id: number
  readonly task_id: number
  readonly person_id: string
  readonly task_type: string
  readonly rom_region: string
  readonly rule_set_version: string
  readonly contested_status: string
  readonly original_decider: string
  readonly received_on: string
  readonly channel: string
  readonly made_by: string
  readonly recorded_at: string
  readonly recorded_by: string
  readonly assigned_to: string | null
  readonly outcome: string | null
  readonly decided_at: string | null
  readonly decided_by: string | null
  readonly days_to_outcome: number | null
  readonly changed_task_version: number | null
}

const WORDS: Readonly<Record<string, string>> = {
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  UPHELD: 'Decision upheld',
  CHANGED: 'Decision changed',
  PERSON: 'The person',
  REPRESENTATIVE: 'Their representative',
  LETTER: 'Letter',
  EMAIL: 'Email',
  PHONE: 'Phone',
  IN_PERSON: 'In person',
  LEGAL_REPRESENTATIVE: 'Legal representative',
  OTHER: 'Other',
}
const words = (code: string | null) => (code === null ? null : (WORDS[code] ?? code))
const dateTime = (value: string | null): MiSheetCell => (value === null ? null : { dateTime: value })
const number = (value: number | null): MiSheetCell => (value === null ? null : Number(value))

const COLUMNS: readonly MiSheetColumn<ContestRow>[] = [
  { header: 'Contest ID', width: 10, value: (row) => Number(row.id) },
  { header: 'Task ID', width: 10, value: (row) => Number(row.task_id) },
  { header: 'Person ID', width: 14, value: (row) => row.person_id },
  { header: 'Intervention type', width: 30, value: (row) => row.task_type },
  { header: 'ROM region', width: 24, value: (row) => row.rom_region },
  { header: 'Rule version', width: 16, value: (row) => row.rule_set_version },
  { header: 'Decision contested', width: 14, value: (row) => words(row.contested_status) },
  { header: 'Decided by', width: 14, value: (row) => row.original_decider },
  { header: 'Received on', width: 20, value: (row) => dateTime(`${row.received_on} 00:00:00`) },
  { header: 'Received by', width: 20, value: (row) => words(row.channel) },
  { header: 'Made by', width: 20, value: (row) => words(row.made_by) },
  { header: 'Recorded on', width: 20, value: (row) => dateTime(row.recorded_at) },
  { header: 'Recorded by', width: 14, value: (row) => row.recorded_by },
  { header: 'Assigned to', width: 14, value: (row) => row.assigned_to },
  { header: 'Outcome', width: 18, value: (row) => words(row.outcome) ?? 'Open' },
  { header: 'Outcome on', width: 20, value: (row) => dateTime(row.decided_at) },
  { header: 'Outcome by', width: 14, value: (row) => row.decided_by },
  { header: 'Days from receipt to outcome', width: 14, value: (row) => number(row.days_to_outcome) },
  { header: 'Task version the change made', width: 14, value: (row) => number(row.changed_task_version) },
]

async function* contestRows(
  db: Kysely<Tables>,
  criteria: MiReportCriteria,
): AsyncGenerator<readonly ContestRow[]> {
  const query = sql<ContestRow>`
    select c.id, c.task_id, c.person_id, tt.name as task_type, rr.name as rom_region, t.rule_set_version,
      c.contested_status, c.original_decider, to_char(c.received_on, 'YYYY-MM-DD') as received_on,
      c.channel, c.made_by, ${londonTimeText('c.recorded_at')} as recorded_at, c.recorded_by, c.assigned_to,
      c.outcome, ${londonTimeText('c.decided_at')} as decided_at, c.decided_by,
      (c.decided_at at time zone 'Europe/London')::date - c.received_on as days_to_outcome,
      c.changed_task_version
    from contests c
      join tasks t on t.id = c.task_id
      join task_types tt on tt.code = t.task_type
      join rom_regions rr on rr.code = c.rom_region
    where ${londonDayRange(sql.ref('c.recorded_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('c.rom_region'), criteria.scope)}
    order by c.recorded_at, c.id`.compile(db)
  yield* streamedRows(db, query)
}

export const CONTESTS_SHEET_NAME = 'Contests'

/** The worksheet, ready for the workbook writer to read when it comes to it. */
export function contestsSheet(db: Kysely<Tables>, criteria: MiReportCriteria): MiExtraSheet {
  return extraSheetOf(CONTESTS_SHEET_NAME, COLUMNS, () => contestRows(db, criteria))
}
