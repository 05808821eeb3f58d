/**
 * The audit events as CSV, written as they are read: a byte-order mark so
 * Excel reads names as UTF-8, one line per event, and every field that a
 * spreadsheet would run as a formula made plain text (an ID tried at
 * sign-in is whatever someone typed).
 */
import type { StoredAuditEvent } from '../../audit/search.ts'
import { CSV_RECORD_END, csvField } from '../../mi/csv-fields.ts'
import { neutraliseFormula } from '../../mi/report-files.ts'
import { AUDIT_KIND_NAMES, auditDetails, auditTime } from './audit.ts'

export const AUDIT_CSV_HEADER = [
  'Time (UTC)',
  'Time (London)',
  'User ID',
  'User name',
  'Event',
  'Person ID',
  'Task ID',
  'User changed',
  'Details',
  'Details as recorded',
] as const

const line = (fields: readonly string[]) =>
  fields.map((field) => csvField(neutraliseFormula(field))).join(',') + CSV_RECORD_END

function auditCsvLine(event: StoredAuditEvent): string {
  return line([
    event.at.toISOString(),
    auditTime(event.at),
    event.userId ?? '',
    event.userName ?? '',
    AUDIT_KIND_NAMES[event.kind] ?? event.kind,
    event.personId ?? '',
    event.taskId === null ? '' : String(event.taskId),
    event.subjectUserId ?? '',
    auditDetails(event),
    JSON.stringify(event.details),
  ])
}

/** The file, a batch of events at a time. */
export async function* auditCsv(batches: AsyncIterable<readonly StoredAuditEvent[]>): AsyncGenerator<string> {
  yield `\uFEFF${line(AUDIT_CSV_HEADER)}`
  for await (const batch of batches) yield batch.map(auditCsvLine).join('')
}
