/**
 * What the MI report needs of exceljs's streaming workbook writer beyond its
 * typed API, in one place, checked when a workbook is opened so that an
 * exceljs upgrade that moves them fails loudly (and the tests say so) rather
 * than writing a broken file:
 *   - the worksheet's XML stream, to write data rows into (see xlsx-rows.ts);
 *   - the workbook's style registry, for the style numbers of date formats;
 *   - the stream that carries the sheet's XML to the compressor. exceljs
 *     writes into it without waiting (its own buffer ignores back-pressure),
 *     so unless the writer checks how much waits there, a database faster
 *     than deflate piles the whole sheet up in memory.
 */
import type { Writable } from 'node:stream'
import type ExcelJS from 'exceljs'

/** What exceljs's internal streams (its own StreamBuf, readable-stream 2) have in common with Node's. */
interface QueueingStream {
  readonly _writableState: { readonly length: number }
  once(event: 'drain' | 'close', listener: () => void): unknown
  off(event: 'drain' | 'close', listener: () => void): unknown
}

interface SheetStream {
  write(text: string): unknown
  /** The streams the sheet's XML is handed to: the zip entry's. */
  readonly pipes: readonly QueueingStream[]
}

export interface XlsxInternals {
  /** Writes XML into the worksheet, after whatever exceljs has written there so far. */
  writeSheetXml(xml: string): void
  /** The style number (`s`) of a cell style, registered in the workbook's styles if new. */
  styleId(style: Partial<ExcelJS.Style>): number
  /** Bytes of sheet XML written but not yet taken by the compressor. */
  backlog(): number
  /** The stream to wait on for 'drain' while the backlog is too big. */
  readonly compressorInput: QueueingStream
}

export function xlsxInternals(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: ExcelJS.Worksheet,
): XlsxInternals {
  const styles = (workbook as unknown as { styles?: { addStyleModel?: unknown } }).styles
  const stream = (sheet as unknown as { stream?: Partial<SheetStream> }).stream
  const compressorInput = stream?.pipes?.[0]
  if (
    typeof styles?.addStyleModel !== 'function' ||
    typeof stream?.write !== 'function' ||
    typeof compressorInput?._writableState?.length !== 'number'
  ) {
    throw new Error('exceljs has changed: its streaming worksheet is not what the MI report writes into')
  }
  const addStyleModel = styles.addStyleModel as (style: Partial<ExcelJS.Style>) => number
  const sheetStream = stream as SheetStream
  return {
    writeSheetXml: (xml) => {
      sheetStream.write(xml)
    },
    styleId: (style) => addStyleModel.call(styles, style),
    backlog: () => compressorInput._writableState.length,
    compressorInput,
  }
}

/**
 * Resolves true once the compressor has taken the sheet's backlog, or at
 * once if it is under `highWaterMark`; false if `output` closes first or
 * nothing is taken for `stalledMs` (a reader that stopped reading without
 * closing: the response is full, so the compressor is too).
 */
export async function compressorCaughtUp(
  internals: XlsxInternals,
  output: Writable,
  highWaterMark: number,
  stalledMs: number,
): Promise<boolean> {
  if (output.destroyed) return false
  if (internals.backlog() <= highWaterMark) return true
  const input = internals.compressorInput
  return new Promise<boolean>((resolve) => {
    const settle = (caughtUp: boolean) => {
      clearTimeout(timer)
      input.off('drain', onDrain)
      output.off('close', onClose)
      resolve(caughtUp)
    }
    const onDrain = () => settle(true)
    const onClose = () => settle(false)
    const timer = setTimeout(() => settle(false), stalledMs)
    input.once('drain', onDrain)
    output.once('close', onClose)
  })
}
