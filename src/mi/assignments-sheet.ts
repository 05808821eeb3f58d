/**
 * The MI workbook's "Assignments" worksheet, after "Contests": one row per
 * change of who was working a task (src/tasks/assignment.ts) in the date
 * range and the user's regions: assigned, unassigned, or decided by someone
 * other than the person it was assigned to (who confirmed it). The first
 * worksheet (the guide's columns A–AI) is untouched; the CSV keeps those
 * columns alone.
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
import { extraSheetOf, type MiExtraSheet, type MiSheetColumn } from './xlsx-extra-sheets.ts'

interface AssignmentRow {
  readonly task_id: number
  readonly task_version: number
  readonly person_id: string
  readonly task_type: string
  readonly rom_region: string
  readonly kind: string
  readonly occurred_at: string
  readonly changed_by: string
  readonly assignee: string | null
  readonly previous_assignee: string | null
}

const KINDS: Readonly<Record<string, string>> = {
  ASSIGNED: 'Assigned',
  UNASSIGNED: 'Unassigned',
  DECIDED_WHILE_ASSIGNED: 'Decided while assigned to someone else',
}

const COLUMNS: readonly MiSheetColumn<AssignmentRow>[] = [
  { header: 'Task ID', width: 10, value: (row) => Number(row.task_id) },
  { header: 'Task version', width: 10, value: (row) => Number(row.task_version) },
  { header: 'Person ID', width: 14, value: (row) => row.person_id },
  { header: 'Intervention type', width: 30, value: (row) => row.task_type },
  { header: 'ROM region', width: 24, value: (row) => row.rom_region },
  { header: 'Change', width: 24, value: (row) => KINDS[row.kind] ?? row.kind },
  { header: 'Changed on', width: 20, value: (row) => ({ dateTime: row.occurred_at }) },
  { header: 'Changed by', width: 14, value: (row) => row.changed_by },
  { header: 'Assigned to', width: 14, value: (row) => row.assignee },
  { header: 'Previously assigned to', width: 14, value: (row) => row.previous_assignee },
]

async function* assignmentRows(
  db: Kysely<Tables>,
  criteria: MiReportCriteria,
): AsyncGenerator<readonly AssignmentRow[]> {
  const query = sql<AssignmentRow>`
    select a.task_id, a.task_version, t.person_id, tt.name as task_type, rr.name as rom_region, a.kind,
      ${londonTimeText('a.occurred_at')} as occurred_at,
      a.changed_by, a.assignee, a.previous_assignee
    from task_assignments a
      join tasks t on t.id = a.task_id
      join task_types tt on tt.code = t.task_type
      join rom_regions rr on rr.code = t.rom_region
    where ${londonDayRange(sql.ref('a.occurred_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}
    order by a.occurred_at, a.id`.compile(db)
  yield* streamedRows(db, query)
}

export const ASSIGNMENTS_SHEET_NAME = 'Assignments'

/** The worksheet, ready for the workbook writer to read when it comes to it. */
export function assignmentsSheet(db: Kysely<Tables>, criteria: MiReportCriteria): MiExtraSheet {
  return extraSheetOf(ASSIGNMENTS_SHEET_NAME, COLUMNS, () => assignmentRows(db, criteria))
}
