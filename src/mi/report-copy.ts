/**
 * The MI report's CSV on PostgreSQL, written by the server itself: COPY of a
 * query whose columns are the CSV's fields, already formatted, streamed
 * straight into the response. A cursor fetched in batches never gets a
 * parallel plan; COPY does, and its workers format the fields too. The bytes
 * are the same as miCsv writes from the cursor (the tests compare the two).
 * PGlite has no COPY to a stream and keeps the cursor.
 *
 * How the file matches miCsv's:
 *   - each column's value comes from the same column definitions
 *     (report-columns.ts), formatted by its kind as miText and
 *     neutraliseFormula do it;
 *   - COPY quotes a field when it holds a comma, a quote or a line break, as
 *     csvField does, and doubles the quotes; but it also quotes an empty
 *     string (to tell it from NULL), so an empty value is sent as NULL;
 *   - COPY ends records with LF: CsvRecordEnds makes that CRLF, and counts them.
 */
import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import type { Tables } from '../db/tables.ts'
import { CsvRecordEnds } from './csv-record-ends.ts'
import type { MiColumn } from './report-columns.ts'
import type { MiFile, MiFileOutcome } from './report-files.ts'
import { type MiReportCriteria, selectFromMiReport } from './report-query.ts'

/** The character codes of '=', '+', '-', '@', tab and CR: what a spreadsheet takes for a formula. */
const FORMULA_STARTS = [61, 43, 45, 64, 9, 13] as const

/**
 * A column's CSV field text, as miCsv would write it before quoting; NULL for
 * an empty field. Once the report's SELECT is merged into this one, every
 * mention of a computed field works it out again: so a date is formatted by
 * one to_char rather than sliced three times.
 */
function csvFieldSql(column: MiColumn): RawBuilder<string | number | null> {
  const value = column.sql
  switch (column.kind) {
    case 'text':
      // neutraliseFormula's leading characters ('=', '+', '-', '@', tab, CR) by code, which is
      // cheaper than taking the first character; ascii('') is 0. A simple CASE works the code out
      // once, where `when ascii(…) in (…)` and `when ascii(…) = 0` worked it out twice.
      return sql`case ascii(${value}) when 0 then null
        ${sql.join(
          FORMULA_STARTS.map((code) => sql`when ${sql.lit(code)} then '''' || ${value}`),
          sql` `,
        )}
        else ${value} end`
    case 'word':
      // Never empty, never a formula.
      return value
    case 'number':
      // A whole number is written the same by PostgreSQL as by String().
      return value
    // miText's slicing of an ISO date or London time, for the years 1 to 9999 that both can hold.
    case 'date':
      return sql`to_char((${value})::date, 'DD/MM/YYYY')`
    case 'dateTime':
      return sql`to_char((${value})::timestamp, 'DD/MM/YYYY HH24:MI:SS')`
  }
}

/**
 * The COPY statement. COPY takes no bind parameters, so the report query's
 * parameters are written into its text as literals by pg's escapeLiteral,
 * which is safe whatever standard_conforming_strings says (a backslash makes
 * it an E'' string). They are only ever the range's dates (checked as real
 * ISO dates), region codes (checked against the reference data), the
 * rejection reason codes (reference data) and this module's own constants;
 * anything but text or a list of text is refused rather than guessed at.
 * The placeholders replaced are Kysely's $1, $2…: the statement's own text
 * is written in this code and holds no other '$'.
 */
export function miCsvCopyStatement(
  db: Kysely<Tables>,
  criteria: MiReportCriteria,
  columns: readonly MiColumn[],
): string {
  const query = selectFromMiReport(criteria, sql.join(columns.map(csvFieldSql)))
  const compiled = query.compile(db)
  const text = compiled.sql.replace(/\$(\d+)/g, (_, position: string) =>
    sqlLiteral(compiled.parameters[Number(position) - 1]),
  )
  return `copy (${text}) to stdout with (format csv, encoding 'UTF8')`
}

function sqlLiteral(value: unknown): string {
  if (typeof value === 'string') return pg.escapeLiteral(value)
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return `array[${value.map((item: string) => pg.escapeLiteral(item)).join(', ')}]::text[]`
  }
  throw new TypeError(`The MI report's COPY cannot take a parameter of type ${typeof value}`)
}

/**
 * The CSV file: `header` (the byte-order mark and header line, as miCsv
 * writes them), then COPY's records. If the reader goes away the COPY is
 * cancelled and its connection closed rather than given back: pg-copy-streams
 * cannot stop a COPY part-way and leave the connection usable.
 */
export function miCsvByCopy(pool: pg.Pool, statement: string, header: string): MiFile {
  const body = new PassThrough()
  body.write(header)
  const records = new CsvRecordEnds()

  async function copy(): Promise<{ outcome: MiFileOutcome; rows: number; error?: unknown }> {
    const client = await pool.connect()
    try {
      const stream = client.query(copyTo(statement))
      // Once the pipeline has given up on it, the stream may still report the connection's end.
      stream.on('error', () => {})
      await pipeline(stream, records, body)
    } catch (error) {
      // pg knows its server process's ID (from the start-up handshake) but its types leave it out.
      const processId = (client as { processID?: number }).processID
      // Closed first, so that the cancelling query can always have a connection, even from a full pool.
      client.release(true)
      await cancel(pool, processId)
      if (body.destroyed && isPrematureClose(error)) return { outcome: 'ABORTED', rows: records.records }
      body.destroy(error instanceof Error ? error : new Error(String(error)))
      return { outcome: 'FAILED', rows: records.records, error }
    }
    client.release()
    return { outcome: 'COMPLETED', rows: records.records }
  }

  const finished = copy().catch((error: unknown) => {
    // No connection to be had.
    body.destroy(error instanceof Error ? error : new Error(String(error)))
    return { outcome: 'FAILED' as const, rows: 0, error }
  })
  return { body, finished }
}

/** Stops the server working on a COPY nobody will read (it might still be sorting). */
async function cancel(pool: pg.Pool, processId: number | undefined): Promise<void> {
  if (processId === undefined) return
  try {
    await pool.query('select pg_cancel_backend($1)', [processId])
  } catch {
    // The connection is closed next whatever happens: the server stops once it notices.
  }
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE'
}
