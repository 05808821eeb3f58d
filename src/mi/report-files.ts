/**
 * The MI report as a file: CSV, or Excel through exceljs's streaming workbook
 * writer. Both take the report's rows as they come off the database cursor
 * and write them out as the reader takes them, waiting whenever the output
 * (for Excel, the compressor) is full, so memory stays flat whatever the
 * range. If the output is destroyed (the browser went away) they stop
 * reading, which closes the cursor and frees its connection. The data rows
 * of both are written by small formatters of their own (csv-fields.ts,
 * xlsx-rows.ts) that produce exactly what csv-stringify and exceljs write,
 * at a fraction of the cost per row. (On PostgreSQL the CSV's rows are
 * written by the server instead: report-copy.ts.)
 */
import { PassThrough, Readable, finished as streamFinished, type Writable } from 'node:stream'
import { setImmediate } from 'node:timers/promises'
import ExcelJS from 'exceljs'
import { CSV_RECORD_END, csvField } from './csv-fields.ts'
import { type MiColumn, type MiReportRow, miText } from './report-columns.ts'
import { type MiExtraSheet, writeExtraSheet } from './xlsx-extra-sheets.ts'
import { compressorCaughtUp, xlsxInternals } from './xlsx-internals.ts'
import { columnLetter, miSheetRows } from './xlsx-rows.ts'

export type { MiExtraSheet, MiSheetCell } from './xlsx-extra-sheets.ts'
export { columnLetter }

export type MiFileFormat = 'xlsx' | 'csv'

export const MI_FILE_TYPES: Record<MiFileFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
}

export type MiFileOutcome = 'COMPLETED' | 'ABORTED' | 'FAILED'

export interface MiFile {
  /** The file's bytes; hand it to the response. */
  readonly body: Readable
  /** Settles once the file is complete or abandoned, with how many data rows were written. */
  readonly finished: Promise<{
    readonly outcome: MiFileOutcome
    readonly rows: number
    readonly error?: unknown
  }>
}

/**
 * A spreadsheet would run a cell typed as "=…" as a formula: free text a
 * caseworker wrote (the rejection explanation) must not be able to do that
 * to whoever opens the CSV. A leading apostrophe makes it plain text.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** The CSV's start: a byte-order mark, so that Excel opening it reads names as UTF-8, and the header line. */
export function miCsvHeader(columns: readonly MiColumn[]): string {
  return `\uFEFF${columns.map((column) => csvField(column.header)).join(',')}${CSV_RECORD_END}`
}

export function miCsv(chunks: AsyncIterable<readonly MiReportRow[]>, columns: readonly MiColumn[]): MiFile {
  let rows = 0
  const fields = columns.map((column) =>
    column.kind === 'text'
      ? (row: MiReportRow) => csvField(neutraliseFormula(miText('text', column.value(row))))
      : (row: MiReportRow) => csvField(miText(column.kind, column.value(row))),
  )
  const line = (row: MiReportRow) => {
    let text = ''
    for (let index = 0; index < fields.length; index += 1) {
      if (index > 0) text += ','
      text += (fields[index] as (row: MiReportRow) => string)(row)
    }
    return text + CSV_RECORD_END
  }
  // A chunk of rows at a time as one string: a stream write per row would cost more than the row.
  async function* text(): AsyncGenerator<string> {
    yield miCsvHeader(columns)
    for await (const chunk of chunks) {
      rows += chunk.length
      let lines = ''
      for (const row of chunk) lines += line(row)
      yield lines
    }
  }
  return textFile(text(), () => rows)
}

/**
 * The report as JSON lines, for systems rather than spreadsheets: one
 * object per row, named by the columns' headers, values as stored (ISO
 * dates, numbers, null), no formula guard since nothing opens it as a sheet.
 */
export function miJsonLines(
  chunks: AsyncIterable<readonly MiReportRow[]>,
  columns: readonly MiColumn[],
): MiFile {
  let rows = 0
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of chunks) {
      rows += chunk.length
      let lines = ''
      for (const row of chunk) {
        const record: Record<string, string | number | null> = {}
        for (const column of columns) record[column.header] = column.value(row)
        lines += `${JSON.stringify(record)}\n`
      }
      yield lines
    }
  }
  return textFile(text(), () => rows)
}

/** A file streamed from text pieces, and how it ended with the rows written by then. */
function textFile(text: AsyncIterable<string>, rowsWritten: () => number): MiFile {
  const body = Readable.from(text, { objectMode: false })
  const finished = new Promise<{ outcome: MiFileOutcome; rows: number; error?: unknown }>((resolve) => {
    streamFinished(body, (error) => {
      if (!error) resolve({ outcome: 'COMPLETED', rows: rowsWritten() })
      else if (isPrematureClose(error)) resolve({ outcome: 'ABORTED', rows: rowsWritten() })
      else resolve({ outcome: 'FAILED', rows: rowsWritten(), error })
    })
  })
  return { body, finished }
}

const NUMBER_FORMATS = { date: 'dd/mm/yyyy', dateTime: 'dd/mm/yyyy hh:mm:ss' } as const

/**
 * Sheet XML allowed to wait for the compressor before the writer stops
 * reading rows: enough to keep deflate busy while the next rows are turned
 * into XML, little enough that memory stays flat whatever the range.
 */
const COMPRESSOR_HIGH_WATER_BYTES = 4 * 1024 * 1024
const STALLED_READER_MS = 120_000
/** About 64 KB of XML: the piece exceljs hands deflate at a time. */
const XML_SLICE_ROWS = 64

/** The streaming workbook and its one sheet: column widths, frozen header row and filter, no rows yet. */
export function miWorkbook(stream: Writable, columns: readonly MiColumn[]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
    // The fastest deflate: the file is a download, not an archive.
    zip: { zlib: { level: 1 } },
  })
  const sheet = workbook.addWorksheet('MI report', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((column, index) => ({ key: `c${index}`, width: column.width }))
  sheet.autoFilter = `A1:${columnLetter(columns.length)}1`
  return { workbook, sheet }
}

/**
 * The workbook, the sheet, its column widths, frozen and filtered header row
 * and the styles are exceljs's; the data rows are written as XML straight into
 * exceljs's worksheet stream (xlsx-rows.ts says why).
 */
export function miXlsx(
  chunks: AsyncIterable<readonly MiReportRow[]>,
  columns: readonly MiColumn[],
  /** Worksheets after the report's own, in order (the review evidence). */
  extraSheets: readonly MiExtraSheet[] = [],
): MiFile {
  const body = new PassThrough()
  let rows = 0
  const { workbook, sheet } = miWorkbook(body, columns)

  // Destroyed before everything was written: the reader went away.
  const abandoned = new Promise<'abandoned'>((resolve) => {
    body.once('close', () => {
      if (!body.writableFinished) resolve('abandoned')
    })
  })

  async function write(): Promise<{ outcome: MiFileOutcome; rows: number; error?: unknown }> {
    const internals = xlsxInternals(workbook, sheet)
    const headerStyle = { font: { bold: true } }
    const header = sheet.addRow(columns.map((column) => column.header))
    header.eachCell((cell) => {
      cell.style = headerStyle
    })
    header.commit()
    const sheetRows = miSheetRows(columns, {
      date: internals.styleId({ numFmt: NUMBER_FORMATS.date }),
      dateTime: internals.styleId({ numFmt: NUMBER_FORMATS.dateTime }),
    })
    for await (const chunk of chunks) {
      if (body.destroyed) return { outcome: 'ABORTED', rows }
      for (let start = 0; start < chunk.length; start += XML_SLICE_ROWS) {
        const slice = chunk.slice(start, start + XML_SLICE_ROWS)
        // Row 1 is the header.
        internals.writeSheetXml(sheetRows(slice, rows + 2))
        rows += slice.length
        // Deflate runs on another thread but needs this one between pieces: let it take this slice
        // while the next is written, rather than wait until the whole chunk is.
        await setImmediate()
        if (body.destroyed) return { outcome: 'ABORTED', rows }
      }
      // Back-pressure all the way to the cursor: no more rows until deflate (and so the reader) keeps up.
      if (!(await compressorCaughtUp(internals, body, COMPRESSOR_HIGH_WATER_BYTES, STALLED_READER_MS)))
        return { outcome: 'ABORTED', rows }
    }
    sheet.commit()
    for (const extra of extraSheets) {
      if (!(await writeExtraSheet(workbook, extra, () => body.destroyed))) return { outcome: 'ABORTED', rows }
    }
    // Finishing the zip waits for the reader; a reader that has gone would leave it waiting for ever.
    if ((await Promise.race([workbook.commit(), abandoned])) === 'abandoned')
      return { outcome: 'ABORTED', rows }
    return { outcome: 'COMPLETED', rows }
  }

  const finished = write().then(
    (result) => {
      if (result.outcome === 'ABORTED') body.destroy()
      return result
    },
    (error: unknown) => {
      body.destroy(error instanceof Error ? error : new Error(String(error)))
      return {
        outcome: body.destroyed && isPrematureClose(error) ? 'ABORTED' : 'FAILED',
        rows,
        error,
      } as const
    },
  )
  return { body, finished }
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE'
}
