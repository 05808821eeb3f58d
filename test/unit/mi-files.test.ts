/**
 * The MI report's own formatters write exactly what the libraries they stand
 * in for would write (csv-stringify for CSV, exceljs's Row API for Excel),
 * and the Excel writer waits for its compressor.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { PassThrough, Writable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { pipeline } from 'node:stream/promises'
import { describe, it } from 'node:test'
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { CSV_RECORD_END, csvField } from '../../src/mi/csv-fields.ts'
import { type MiColumn, type MiReportRow, miColumns, miText } from '../../src/mi/report-columns.ts'
import { miCsv, miWorkbook, miXlsx, neutraliseFormula } from '../../src/mi/report-files.ts'
import { compressorCaughtUp, xlsxInternals } from '../../src/mi/xlsx-internals.ts'
import { excelSerial, xmlText } from '../../src/mi/xlsx-rows.ts'

const REASONS = [
  { code: 'MEDICAL', label: 'Medical' },
  { code: 'SOURCE_DATA_INCORRECT', label: 'Source data "incorrect" & <wrong>' },
]
const COLUMNS = miColumns(REASONS)

/** Text that CSV must quote, XML must escape or drop, and a spreadsheet could run as a formula. */
const AWKWARD = [
  '',
  'plain',
  'a, comma',
  'a "quote"',
  'line\nbreak',
  'carriage\rreturn',
  'both\r\nends',
  '=SUM(A1)',
  '-1',
  "<b>&'</b>",
  'bell\u0007 and tab\t',
  'Ana Díaz 😀',
]

function row(index: number): MiReportRow {
  const text = (offset: number) => AWKWARD[(index + offset) % AWKWARD.length] as string
  return {
    person_id: `P${index}`,
    home_office_reference: text(1),
    intervention_type: 'Failed-to-report follow-up',
    full_name: text(2),
    gender: 'F',
    nationality: text(3),
    date_of_birth: '1990-05-17',
    age_when_generated: index % 90,
    next_reporting_date: index % 3 === 0 ? null : '2026-07-10',
    next_reporting_date_2: '2026-07-24',
    next_reporting_date_3: null,
    reporting_frequency: 'Monthly',
    rom_region: 'London and South East',
    ice_region: 'London and South East',
    reporting_centre: 'Becket House',
    referral: index % 2 === 0 ? null : 'Returns Preparation',
    date_generated: '2026-07-01',
    rule_version: text(4),
    is_current: index % 2 === 0,
    status: index % 2 === 0 ? 'REJECTED' : 'ACCEPTED',
    status_updated_on: `2026-07-04 ${String(index % 24).padStart(2, '0')}:30:${String(index % 60).padStart(2, '0')}`,
    status_updated_by: 'cw1',
    reasons: index % 2 === 0 ? ['MEDICAL', 'SOURCE_DATA_INCORRECT'] : null,
    rejection_explanation: index % 2 === 0 ? text(5) : null,
  }
}

const ROWS = Array.from({ length: 2 * AWKWARD.length + 1 }, (_, index) => row(index))

async function* inChunks(rows: readonly MiReportRow[], size: number): AsyncGenerator<readonly MiReportRow[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size)
}

/**
 * CRLF records; and a lone LF or CR in a field quoted too, which csv-stringify
 * leaves bare once given a record delimiter, though Excel ends the row there.
 */
const CSV_STRINGIFY_OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true } as const

describe('MI report CSV', () => {
  it('quotes fields as csv-stringify does, any line break included', () => {
    for (const text of AWKWARD) {
      const record = stringify([[text]], CSV_STRINGIFY_OPTIONS)
      assert.equal(csvField(text) + CSV_RECORD_END, record, JSON.stringify(text))
    }
  })

  it('writes the whole file as csv-stringify would, with a byte-order mark', async () => {
    const file = miCsv(inChunks(ROWS, 5), COLUMNS)
    const written = (await buffer(file.body)).toString('utf8')
    const records = ROWS.map((each) =>
      COLUMNS.map((column) => {
        const text = miText(column.kind, column.value(each))
        return column.kind === 'text' ? neutraliseFormula(text) : text
      }),
    )
    const expected = stringify([COLUMNS.map((column) => column.header), ...records], CSV_STRINGIFY_OPTIONS)
    assert.equal(written, `\uFEFF${expected}`)
    assert.deepEqual(await file.finished, { outcome: 'COMPLETED', rows: ROWS.length })
  })
})

/** The Excel file as exceljs's own Row API writes it: the reference the MI writer must match. */
async function workbookThroughExcelJs(rows: readonly MiReportRow[], columns: readonly MiColumn[]) {
  const body = new PassThrough()
  const bytes = buffer(body)
  // The same workbook and sheet as the writer's: only the rows are written the other way.
  const { workbook, sheet } = miWorkbook(body, columns)
  const header = sheet.addRow(columns.map((column) => column.header))
  const bold = { font: { bold: true } }
  header.eachCell((cell) => {
    cell.style = bold
  })
  header.commit()
  const styles = columns.map((column) =>
    column.kind === 'date'
      ? { numFmt: 'dd/mm/yyyy' }
      : column.kind === 'dateTime'
        ? { numFmt: 'dd/mm/yyyy hh:mm:ss' }
        : {},
  )
  for (const each of rows) {
    const values = columns.map((column) => {
      const value = column.value(each)
      if (value === null) return undefined
      if ((column.kind === 'date' || column.kind === 'dateTime') && typeof value === 'string') {
        // A Date whose UTC fields are the wall-clock time: what exceljs turns into the serial number.
        return new Date(column.kind === 'date' ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`)
      }
      return value
    })
    const added = sheet.addRow(values)
    values.forEach((_, index) => {
      added.getCell(index + 1).style = styles[index] as Partial<ExcelJS.Style>
    })
    added.commit()
  }
  sheet.commit()
  await workbook.commit()
  return bytes
}

async function zipEntry(bytes: Buffer, name: string): Promise<string> {
  const entry = (await JSZip.loadAsync(bytes)).file(name)
  assert.ok(entry, `${name} is in the file`)
  return entry.async('string')
}

describe('MI report Excel', () => {
  it('escapes text as exceljs does, dropping control characters XML cannot hold', () => {
    assert.equal(xmlText('plain'), 'plain')
    assert.equal(xmlText(`<b>&'"</b>`), '&lt;b&gt;&amp;&apos;&quot;&lt;/b&gt;')
    assert.equal(
      xmlText('bell\u0007, tab\t, line\n, return\r, delete\u007f'),
      'bell, tab\t, line\n, return\r, delete',
    )
  })

  it('turns London wall-clock text into Excel serial numbers', () => {
    assert.equal(excelSerial('1900-03-01'), 61)
    assert.equal(excelSerial('2026-07-01'), 46204)
    assert.equal(excelSerial('2026-07-04 12:00:00'), 46207.5)
  })

  it('writes the same sheet and styles as exceljs’s own rows', async () => {
    const file = miXlsx(inChunks(ROWS, 4), COLUMNS)
    const [written, reference] = await Promise.all([buffer(file.body), workbookThroughExcelJs(ROWS, COLUMNS)])
    assert.deepEqual(await file.finished, { outcome: 'COMPLETED', rows: ROWS.length })
    for (const name of [
      'xl/worksheets/sheet1.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
      '[Content_Types].xml',
    ]) {
      assert.equal(await zipEntry(written, name), await zipEntry(reference, name), name)
    }
  })

  describe('waiting for the compressor', () => {
    /** A workbook whose sheet holds `bytes` of XML that no one has read yet. */
    function workbookWithBacklog(bytes: number) {
      const body = new PassThrough()
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: body, zip: { zlib: { level: 1 } } })
      const sheet = workbook.addWorksheet('sheet')
      const internals = xlsxInternals(workbook, sheet)
      // Random hex, so that it stays big once compressed and cannot all hide in the streams' buffers.
      internals.writeSheetXml(
        `<row r="1"><c r="A1" t="str"><v>${randomBytes(bytes / 2).toString('hex')}</v></c></row>`,
      )
      return { body, internals }
    }

    it('sees the XML exceljs queued without back-pressure, and waits until deflate takes it', async () => {
      const { body, internals } = workbookWithBacklog(4 * 1024 * 1024)
      assert.ok(internals.backlog() > 1024 * 1024, `queued: ${internals.backlog()}`)
      const caughtUp = compressorCaughtUp(internals, body, 64 * 1024, 60_000)
      let settled = false
      void caughtUp.then(() => {
        settled = true
      })
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.equal(settled, false, 'no one reads the file, so deflate cannot take the XML')
      const reading = pipeline(
        body,
        new Writable({
          write: (_chunk, _encoding, done) => done(),
        }),
      )
      assert.equal(await caughtUp, true)
      assert.equal(internals.backlog(), 0)
      body.end()
      await reading
    })

    it('does not wait under the high-water mark', async () => {
      const { body, internals } = workbookWithBacklog(10 * 1024)
      assert.equal(await compressorCaughtUp(internals, body, 1024 * 1024, 60_000), true)
    })

    it('gives up when the reader goes away, or takes nothing for too long', async () => {
      const gone = workbookWithBacklog(4 * 1024 * 1024)
      const waiting = compressorCaughtUp(gone.internals, gone.body, 64 * 1024, 60_000)
      gone.body.destroy()
      assert.equal(await waiting, false)
      const stalled = workbookWithBacklog(4 * 1024 * 1024)
      assert.equal(await compressorCaughtUp(stalled.internals, stalled.body, 64 * 1024, 50), false)
      stalled.body.destroy()
    })
  })
})
