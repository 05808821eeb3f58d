/**
 * The MI workbook's "Review evidence" worksheet: one row per decision in the
 * date range and the user's regions, with what its decider opened before
 * deciding, how long from their first opening, and their own words (see
 * src/tasks/review-evidence.ts). The first worksheet, the guide's columns
 * A–AI, is untouched; the CSV keeps those columns alone.
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
import { KEY_SECTIONS } from './rubber-stamp.ts'
import { extraSheetOf, type MiExtraSheet, type MiSheetColumn } from './xlsx-extra-sheets.ts'

interface EvidenceRow {
  readonly task_id: number
  readonly person_id: string
  readonly task_type: string
  readonly rom_region: string
  readonly rule_set_version: string
  readonly rule_code: string
  readonly status: string
  /** London wall-clock time, 'YYYY-MM-DD HH:MM:SS'. */
  readonly decided_at: string
  readonly user_id: string
  readonly sections_opened: string[]
  readonly why_recommended_opened: boolean
  readonly first_opened_at: string | null
  readonly seconds_to_decision: number | null
  readonly own_words: string | null
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  ON_HOLD: 'On hold',
}

const KEY_SECTION_HEADERS: Readonly<Record<(typeof KEY_SECTIONS)[number], string>> = {
  barriers: 'Barriers opened',
  vulnerability: 'Vulnerability opened',
  'family-status': 'Family status opened',
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No')

/** The sheet's columns, in order, with the value of each for a row. */
const COLUMNS: readonly MiSheetColumn<EvidenceRow>[] = [
  { header: 'Task ID', width: 10, value: (row) => Number(row.task_id) },
  { header: 'Person ID', width: 14, value: (row) => row.person_id },
  { header: 'Intervention type', width: 30, value: (row) => row.task_type },
  { header: 'ROM region', width: 24, value: (row) => row.rom_region },
  { header: 'Rule version', width: 16, value: (row) => row.rule_set_version },
  { header: 'Rule', width: 20, value: (row) => row.rule_code },
  { header: 'Decision', width: 12, value: (row) => STATUS_WORDS[row.status] ?? row.status },
  { header: 'Decided on', width: 20, value: (row) => ({ dateTime: row.decided_at }) },
  { header: 'Decided by', width: 14, value: (row) => row.user_id },
  { header: 'Sections opened before deciding', width: 50, value: (row) => row.sections_opened.join(', ') },
  ...KEY_SECTIONS.map((section) => ({
    header: KEY_SECTION_HEADERS[section],
    width: 14,
    value: (row: EvidenceRow) => yesNo(row.sections_opened.includes(section)),
  })),
  { header: 'Why recommended opened', width: 14, value: (row) => yesNo(row.why_recommended_opened) },
  {
    header: 'First opened on',
    width: 20,
    value: (row) => (row.first_opened_at === null ? null : { dateTime: row.first_opened_at }),
  },
  {
    header: 'Seconds from first opening to decision',
    width: 16,
    value: (row) => (row.seconds_to_decision === null ? null : Number(row.seconds_to_decision)),
  },
  { header: 'Decider’s own words', width: 60, value: (row) => row.own_words },
]

/** The evidence of the decisions in range, oldest first, a chunk at a time from a cursor. */
async function* evidenceRows(
  db: Kysely<Tables>,
  criteria: MiReportCriteria,
  chunkSize: number,
): AsyncGenerator<readonly EvidenceRow[]> {
  const query = sql<EvidenceRow>`
    select r.task_id, t.person_id, tt.name as task_type, rr.name as rom_region,
      r.rule_set_version, r.rule_code, r.status, ${londonTimeText('r.decided_at')} as decided_at,
      r.user_id, r.sections_opened, r.why_recommended_opened,
      ${londonTimeText('r.first_opened_at')} as first_opened_at, r.seconds_to_decision, r.own_words
    from review_evidence r
      join tasks t on t.id = r.task_id
      join task_types tt on tt.code = t.task_type
      join rom_regions rr on rr.code = t.rom_region
    where ${londonDayRange(sql.ref('r.decided_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}
    order by r.decided_at, r.task_event_id`.compile(db)
  yield* streamedRows(db, query, chunkSize)
}

export const REVIEW_EVIDENCE_SHEET_NAME = 'Review evidence'

/** The worksheet, ready for the workbook writer to read when it comes to it. */
export function reviewEvidenceSheet(db: Kysely<Tables>, criteria: MiReportCriteria): MiExtraSheet {
  return extraSheetOf(REVIEW_EVIDENCE_SHEET_NAME, COLUMNS, () => evidenceRows(db, criteria, 500))
}
