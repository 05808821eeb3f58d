/**
 * PostgreSQL's COPY … (FORMAT csv) ends each record with a bare LF; the MI
 * report's CSV ends them with CRLF, as csv-stringify does. This turns one
 * into the other as the bytes stream past, and counts the records for the
 * download's audit row. A line break inside a quoted field (free text such
 * as a rejection explanation) is data, not a record end, so the quote state
 * is carried from one chunk to the next. The bytes looked for ('"' and LF)
 * never occur inside a UTF-8 multi-byte character, so chunks can be cut
 * anywhere.
 */
import { Transform, type TransformCallback } from 'node:stream'

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

export class CsvRecordEnds extends Transform {
  /** Records whose end has gone past. */
  records = 0
  #inQuotes = false

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const recordEnds = this.#recordEnds(chunk)
    this.records += recordEnds.length
    if (recordEnds.length === 0) {
      done(null, chunk)
      return
    }
    const out = Buffer.allocUnsafe(chunk.length + recordEnds.length)
    let from = 0
    let to = 0
    for (const end of recordEnds) {
      to += chunk.copy(out, to, from, end)
      out[to++] = CR
      out[to++] = LF
      from = end + 1
    }
    chunk.copy(out, to, from)
    done(null, out)
  }

  /** Where the LFs outside quotes are; the quote state is left as the chunk leaves it. */
  #recordEnds(chunk: Buffer): number[] {
    const ends: number[] = []
    let position = 0
    while (position < chunk.length) {
      if (this.#inQuotes) {
        // A doubled quote inside a field closes and reopens it: the state comes out right either way.
        const close = chunk.indexOf(QUOTE, position)
        if (close === -1) break
        this.#inQuotes = false
        position = close + 1
        continue
      }
      const open = chunk.indexOf(QUOTE, position)
      const limit = open === -1 ? chunk.length : open
      for (
        let end = chunk.indexOf(LF, position);
        end !== -1 && end < limit;
        end = chunk.indexOf(LF, end + 1)
      ) {
        ends.push(end)
      }
      if (open === -1) break
      this.#inQuotes = true
      position = open + 1
    }
    return ends
  }
}
