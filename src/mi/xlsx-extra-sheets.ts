/**
 * Worksheets the MI workbook carries after its first (the report itself):
 * each a header row and rows of plain cells, written through exceljs's
 * streaming writer a row at a time once the first sheet is complete. They
 * hold one row per decision or less, so exceljs's own rows are fast enough
 * here (the first sheet's rows are written as XML: xlsx-rows.ts says why).
 */
import type ExcelJS from 'exceljs'
import { excelSerial } from './xlsx-rows.ts'

/** A cell: text, a number, a London wall-clock time ('YYYY-MM-DD HH:MM:SS'), or empty. */
export type MiSheetCell = string | number | { readonly dateTime: string } | null

export interface MiExtraSheet {
  readonly name: string
  readonly columns: readonly { readonly header: string; readonly width: number }[]
  /** Read only when the writer comes to this sheet, so no query runs before it is needed. */
  readonly rows: () => AsyncIterable<readonly (readonly MiSheetCell[])[]>
}

/** A column of an extra sheet: its header and width, and its cell for one of the sheet's rows. */
export interface MiSheetColumn<Row> {
  readonly header: string
  readonly width: number
  readonly value: (row: Row) => MiSheetCell
}

/** The sheet of these columns, one row a record; `chunks` starts its query only when the writer comes to the sheet. */
export function extraSheetOf<Row>(
  name: string,
  columns: readonly MiSheetColumn<Row>[],
  chunks: () => AsyncIterable<readonly Row[]>,
): MiExtraSheet {
  return {
    name,
    columns: columns.map(({ header, width }) => ({ header, width })),
    rows: async function* () {
      for await (const chunk of chunks()) {
        yield chunk.map((row) => columns.map((column) => column.value(row)))
      }
    },
  }
}

const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm:ss'

/** Writes the sheet whole; false if the output went away part way. */
export async function writeExtraSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  extra: MiExtraSheet,
  abandoned: () => boolean,
): Promise<boolean> {
  const sheet = workbook.addWorksheet(extra.name, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = extra.columns.map((column, index) => ({ key: `c${index}`, width: column.width }))
  const header = sheet.addRow(extra.columns.map((column) => column.header))
  header.eachCell((cell) => {
    cell.style = { font: { bold: true } }
  })
  header.commit()
  for await (const chunk of extra.rows()) {
    if (abandoned()) return false
    for (const cells of chunk) {
      const row = sheet.addRow(
        cells.map((cell) => (cell !== null && typeof cell === 'object' ? excelSerial(cell.dateTime) : cell)),
      )
      cells.forEach((cell, index) => {
        if (cell !== null && typeof cell === 'object') row.getCell(index + 1).numFmt = DATE_TIME_FORMAT
      })
      row.commit()
    }
  }
  sheet.commit()
  return true
}
