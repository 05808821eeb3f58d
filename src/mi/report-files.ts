/**
 * The MI report as a file: CSV through csv-stringify, Excel through
 * exceljs's streaming workbook writer. Both take the report's rows as they
 * come off the database cursor and write them out as the reader takes them,
 * waiting whenever the output is full, so memory stays flat whatever the
 * range. If the output is destroyed (the browser went away) they stop
 * reading, which closes the cursor and frees its connection.
 */
import { once } from 'node:events'
import { PassThrough, Readable, finished as streamFinished } from 'node:stream'
import { setImmediate } from 'node:timers/promises'
import { stringify as stringifyRecords } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { type MiColumn, type MiColumnKind, miText } from './report-columns.ts'
import type { MiReportRow } from './report-query.ts'

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

const CSV_OPTIONS = { record_delimiter: 'windows' } as const

export function miCsv(chunks: AsyncIterable<readonly MiReportRow[]>, columns: readonly MiColumn[]): MiFile {
  let rows = 0
  const record = (row: MiReportRow) =>
    columns.map((column) => {
      const text = miText(column.kind, column.value(row))
      return column.kind === 'text' ? neutraliseFormula(text) : text
    })
  // A chunk of rows at a time through csv-stringify: a stream write per row would cost more than the row.
  async function* text(): AsyncGenerator<string> {
    // A byte-order mark, so that Excel opening the CSV reads names as UTF-8.
    yield `\uFEFF${stringifyRecords([columns.map((column) => column.header)], CSV_OPTIONS)}`
    for await (const chunk of chunks) {
      rows += chunk.length
      yield stringifyRecords(chunk.map(record), CSV_OPTIONS)
    }
  }
  const body = Readable.from(text(), { objectMode: false })
  const finished = new Promise<{ outcome: MiFileOutcome; rows: number; error?: unknown }>((resolve) => {
    streamFinished(body, (error) => {
      if (!error) resolve({ outcome: 'COMPLETED', rows })
      else if (isPrematureClose(error)) resolve({ outcome: 'ABORTED', rows })
      else resolve({ outcome: 'FAILED', rows, error })
    })
  })
  return { body, finished }
}

const NUMBER_FORMATS: Partial<Record<MiColumnKind, string>> = {
  date: 'dd/mm/yyyy',
  dateTime: 'dd/mm/yyyy hh:mm:ss',
}

/**
 * Dates go into the workbook as real dates with a DD/MM/YYYY format, so that
 * Excel sorts and filters them as dates. A Date whose UTC fields are the
 * London wall-clock time is what exceljs turns into that serial number.
 */
function excelValue(kind: MiColumnKind, value: string | number | null): string | number | Date | undefined {
  // No cell at all for an empty value: a smaller file, and nothing to style.
  if (value === null) return undefined
  if (typeof value === 'number') return value
  if (kind === 'date' || kind === 'dateTime') {
    // Sliced, not parsed: Date's string parser is slow, and this runs for every date cell.
    return new Date(
      Date.UTC(
        Number(value.slice(0, 4)),
        Number(value.slice(5, 7)) - 1,
        Number(value.slice(8, 10)),
        Number(value.slice(11, 13)) || 0,
        Number(value.slice(14, 16)) || 0,
        Number(value.slice(17, 19)) || 0,
      ),
    )
  }
  return value
}

/** Excel's name for a 1-based column number: 1 → A, 35 → AI. */
export function columnLetter(position: number): string {
  let letters = ''
  for (let n = position; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  }
  return letters
}

export function miXlsx(chunks: AsyncIterable<readonly MiReportRow[]>, columns: readonly MiColumn[]): MiFile {
  const body = new PassThrough()
  let rows = 0
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: body,
    useStyles: true,
    useSharedStrings: false,
    // The fastest deflate: the file is a download, not an archive.
    zip: { zlib: { level: 1 } },
  })
  const sheet = workbook.addWorksheet('MI report', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((column, index) => ({ key: `c${index}`, width: column.width }))
  // One style object per column, shared by every cell in it: exceljs caches a style's
  // number by object, so a fresh object per cell would be worked out afresh each time.
  const cellStyles = columns.map((column) => {
    const numFmt = NUMBER_FORMATS[column.kind]
    return numFmt ? { numFmt } : {}
  })
  const headerStyle = { font: { bold: true } }
  sheet.autoFilter = `A1:${columnLetter(columns.length)}1`

  // Destroyed before everything was written: the reader went away.
  const abandoned = new Promise<'abandoned'>((resolve) => {
    body.once('close', () => {
      if (!body.writableFinished) resolve('abandoned')
    })
  })

  async function write(): Promise<{ outcome: MiFileOutcome; rows: number; error?: unknown }> {
    const header = sheet.addRow(columns.map((column) => column.header))
    header.eachCell((cell) => {
      cell.style = headerStyle
    })
    header.commit()
    for await (const chunk of chunks) {
      if (body.destroyed) return { outcome: 'ABORTED', rows }
      for (const row of chunk) {
        rows += 1
        const values = columns.map((column) => excelValue(column.kind, column.value(row)))
        const added = sheet.addRow(values)
        for (let index = 0; index < values.length; index += 1) {
          if (values[index] !== null)
            added.getCell(index + 1).style = cellStyles[index] as Partial<ExcelJS.Style>
        }
        added.commit()
      }
      // Let compression and the socket run (an in-memory source never waits on I/O by itself),
      // then wait for the reader before fetching more rows: back-pressure all the way to the cursor.
      await setImmediate()
      if (body.destroyed || (body.writableNeedDrain && !(await drained(body))))
        return { outcome: 'ABORTED', rows }
    }
    sheet.commit()
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

const STALLED_READER_MS = 120_000

/** True once the stream wants more; false if it was closed instead (or stalled). */
async function drained(stream: PassThrough): Promise<boolean> {
  if (stream.destroyed) return false
  const closed = new AbortController()
  const onClose = () => closed.abort()
  stream.once('close', onClose)
  try {
    // A reader that takes nothing for this long is treated as gone, so a connection whose
    // close went unnoticed cannot hold a database connection for ever.
    await once(stream, 'drain', {
      signal: AbortSignal.any([closed.signal, AbortSignal.timeout(STALLED_READER_MS)]),
    })
    return true
  } catch {
    return false
  } finally {
    stream.off('close', onClose)
  }
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE'
}
