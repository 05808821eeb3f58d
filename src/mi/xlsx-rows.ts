/**
 * The MI sheet's data rows as SpreadsheetML, built here rather than through
 * exceljs's Row and Cell objects: at a million rows of 35 cells, building and
 * rendering those objects cost more than everything else in the download.
 * The XML is what exceljs itself writes for the same values (the unit tests
 * compare the two), so the workbook around it, its styles and any reader see
 * no difference:
 *   - text: an inline string cell (`t="str"`), XML-escaped, with the control
 *     characters XML cannot hold dropped; no cell for an empty value;
 *   - number: a plain numeric cell;
 *   - date and dateTime: the Excel serial number with the column's number
 *     format; an empty value keeps the format on an empty cell.
 */
import type { MiColumn, MiColumnKind, MiReportRow } from './report-columns.ts'

/** The style number (`s`) of each date kind's number format in the workbook's styles. */
export type MiDateStyleIds = Readonly<Record<Extract<MiColumnKind, 'date' | 'dateTime'>, number>>

// What exceljs escapes, and the control characters (all but tab, LF and CR) it drops.
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML cannot hold them, so they are what is looked for.
const ESCAPED = /["&'<>\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const EVERY_ESCAPED = /["&'<>\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '&quot;',
  '&': '&amp;',
  "'": '&apos;',
  '<': '&lt;',
  '>': '&gt;',
}

export function xmlText(text: string): string {
  if (!ESCAPED.test(text)) return text
  return text.replace(EVERY_ESCAPED, (character) => ESCAPES[character] ?? '')
}

/** Excel's name for a 1-based column number: 1 → A, 35 → AI. */
export function columnLetter(position: number): string {
  let letters = ''
  for (let n = position; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  }
  return letters
}

const DAY_MS = 24 * 60 * 60 * 1000
/** Day 0 of Excel's calendar (30 December 1899) is this many days before 1 January 1970. */
const EXCEL_EPOCH_DAYS = 25569

/**
 * The Excel serial number of a London wall-clock date ('YYYY-MM-DD') or time
 * ('YYYY-MM-DD HH:MM:SS'), worked out as exceljs does from a Date whose UTC
 * fields are that wall-clock time. Sliced, not parsed: Date's string parser
 * is slow, and this runs for every date cell.
 */
export function excelSerial(text: string): number {
  const milliseconds = Date.UTC(
    Number(text.slice(0, 4)),
    Number(text.slice(5, 7)) - 1,
    Number(text.slice(8, 10)),
    Number(text.slice(11, 13)) || 0,
    Number(text.slice(14, 16)) || 0,
    Number(text.slice(17, 19)) || 0,
  )
  return EXCEL_EPOCH_DAYS + milliseconds / DAY_MS
}

/** A cell's XML, given its row and the sheet row number as text. */
type CellXml = (row: MiReportRow, rowNumber: string) => string

/** Distinct dates are few (days of birth, reporting days): each is worked out once, up to a limit. */
const CACHED_SERIALS = 50_000

function serialOf(kind: 'date' | 'dateTime'): (text: string) => number {
  // Times are nearly all distinct: nothing to gain from remembering them.
  if (kind === 'dateTime') return excelSerial
  const serials = new Map<string, number>()
  return (text) => {
    let serial = serials.get(text)
    if (serial === undefined) {
      serial = excelSerial(text)
      if (serials.size >= CACHED_SERIALS) serials.clear()
      serials.set(text, serial)
    }
    return serial
  }
}

function cellXml(column: MiColumn, letter: string, dateStyles: MiDateStyleIds): CellXml {
  const { kind, value } = column
  if (kind === 'date' || kind === 'dateTime') {
    const style = dateStyles[kind]
    const serial = serialOf(kind)
    return (row, rowNumber) => {
      const cell = value(row)
      if (cell === null) return `<c r="${letter}${rowNumber}" s="${style}"/>`
      return `<c r="${letter}${rowNumber}" s="${style}"><v>${typeof cell === 'number' ? cell : serial(cell)}</v></c>`
    }
  }
  return (row, rowNumber) => {
    const cell = value(row)
    if (cell === null) return ''
    if (typeof cell === 'number') return `<c r="${letter}${rowNumber}"><v>${cell}</v></c>`
    return `<c r="${letter}${rowNumber}" t="str"><v>${xmlText(cell)}</v></c>`
  }
}

/**
 * A writer of data rows for these columns: give it rows and the sheet row
 * number of the first, and it returns their `<row>` elements as one string.
 */
export function miSheetRows(
  columns: readonly MiColumn[],
  dateStyles: MiDateStyleIds,
): (rows: readonly MiReportRow[], firstRowNumber: number) => string {
  const cells = columns.map((column, index) => cellXml(column, columnLetter(index + 1), dateStyles))
  // Every row spans every column: exceljs writes the span of the cells a row holds, empty ones included.
  const rowAttributes = `spans="1:${columns.length}" x14ac:dyDescent="0.25"`
  return (rows, firstRowNumber) => {
    let xml = ''
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index] as MiReportRow
      const rowNumber = String(firstRowNumber + index)
      xml += `<row r="${rowNumber}" ${rowAttributes}>`
      for (const cell of cells) xml += cell(row, rowNumber)
      xml += '</row>'
    }
    return xml
  }
}
