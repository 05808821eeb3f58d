/**
 * The MI report service: records the download, then streams the report's
 * rows into the chosen file format: on PostgreSQL the CSV comes straight
 * from COPY (report-copy.ts), anything else from a cursor through the
 * writers of report-files.ts. The caller sends `file.body` and may
 * watch `recorded` to learn how the download ended (already in the audit log).
 * The rows come from the reader (the read replica, when there is one); the
 * record of the download goes to the primary.
 */
import type { Clock } from '../clock.ts'
import type { Database } from '../db/connect.ts'
import { assignmentsSheet } from './assignments-sheet.ts'
import { contestsSheet } from './contests-sheet.ts'
import type { MiDatabases } from './databases.ts'
import { recordDownloadEnd, recordDownloadStart } from './downloads.ts'
import { type MiColumn, miColumns } from './report-columns.ts'
import { miCsvByCopy, miCsvCopyStatement } from './report-copy.ts'
import {
  MI_FILE_TYPES,
  type MiFile,
  type MiFileFormat,
  miCsv,
  miCsvHeader,
  miJsonLines,
  miXlsx,
} from './report-files.ts'
import { type MiReportCriteria, miRejectionReasons, streamMiReport } from './report-query.ts'
import { miFileName } from './report-request.ts'
import { reviewEvidenceSheet } from './review-evidence-sheet.ts'

/** Rows fetched from the cursor at a time. */
const CSV_CHUNK_ROWS = 500
const XLSX_CHUNK_ROWS = 1000

export interface MiReportDownload {
  readonly file: MiFile
  readonly fileName: string
  readonly contentType: string
  /** Settles once the download's end is in the audit log. */
  readonly recorded: Promise<{ readonly outcome: string; readonly rows: number; readonly error?: unknown }>
}

export async function downloadMiReport(
  { primary, reader }: MiDatabases,
  clock: Clock,
  request: { readonly userId: string; readonly criteria: MiReportCriteria; readonly format: MiFileFormat },
): Promise<MiReportDownload> {
  const { criteria, format } = request
  const columns = miColumns(await miRejectionReasons(reader.db))
  const downloadId = await recordDownloadStart(primary.db, clock, {
    userId: request.userId,
    scope: criteria.scope,
    from: criteria.from,
    to: criteria.to,
    format,
  })
  const file = fileOf(format, reader, criteria, columns)
  const recorded = file.finished.then(async (end) => {
    await recordDownloadEnd(primary.db, clock, downloadId, end)
    return end
  })
  return { file, fileName: miFileName(criteria, format), contentType: MI_FILE_TYPES[format], recorded }
}

import type { MiExportFormat } from './downloads.ts'

export type { MiExportFormat }

export const MI_EXPORT_TYPES: Record<MiExportFormat, string> = {
  csv: MI_FILE_TYPES.csv,
  jsonl: 'application/jsonl; charset=utf-8',
}

/**
 * The report for an API client: audited with the client before any row is
 * read (a file the audit cannot record is not sent), then streamed as the
 * pages' download is, CSV by COPY on PostgreSQL.
 */
export async function exportMiReport(
  { primary, reader }: MiDatabases,
  clock: Clock,
  request: {
    readonly clientId: string
    readonly criteria: MiReportCriteria
    readonly format: MiExportFormat
  },
): Promise<MiFile> {
  const { criteria, format } = request
  const columns = miColumns(await miRejectionReasons(reader.db))
  // On the primary: the reader may be a replica, which takes no writes.
  const downloadId = await recordDownloadStart(primary.db, clock, {
    userId: null,
    clientId: request.clientId,
    scope: criteria.scope,
    from: criteria.from,
    to: criteria.to,
    format,
  })
  const file =
    format === 'csv'
      ? fileOf('csv', reader, criteria, columns)
      : miJsonLines(streamMiReport(reader.db, criteria, CSV_CHUNK_ROWS), columns)
  // The file has finished only once how it ended is on record, as a page's download has.
  const finished = file.finished.then(async (end) => {
    await recordDownloadEnd(primary.db, clock, downloadId, end)
    return end
  })
  return { body: file.body, finished }
}

function fileOf(
  format: MiFileFormat,
  { db, pool }: Pick<Database, 'db' | 'pool'>,
  criteria: MiReportCriteria,
  columns: readonly MiColumn[],
): MiFile {
  if (format === 'csv' && pool) {
    return miCsvByCopy(pool, miCsvCopyStatement(db, criteria, columns), miCsvHeader(columns))
  }
  // Smaller chunks keep less garbage in flight: for CSV, 500 rather than 1,000 rows lowered the
  // server's peak RSS at the same speed. (Excel stays at 1,000: see docs/decisions/0006.)
  const rows = streamMiReport(db, criteria, format === 'xlsx' ? XLSX_CHUNK_ROWS : CSV_CHUNK_ROWS)
  return format === 'csv'
    ? miCsv(rows, columns)
    : miXlsx(rows, columns, [
        reviewEvidenceSheet(db, criteria),
        contestsSheet(db, criteria),
        assignmentsSheet(db, criteria),
      ])
}
