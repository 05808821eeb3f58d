/**
 * Splits an extract's bytes into numbered lines. Decoding is left to the
 * caller, line by line, so that one line of invalid UTF-8 costs only that
 * line. A line longer than the limit is not kept: only its length and its
 * first bytes (enough to name the person) are, so a file with no newlines
 * cannot exhaust memory.
 */

/** 64 KiB: ten times the longest record a source system should send. */
export const MAX_LINE_BYTES = 64 * 1024

/** How much of an overlong line is kept to find the person ID in it. */
const HEAD_BYTES = 512

export type ExtractLine =
  | { readonly kind: 'line'; readonly number: number; readonly bytes: Uint8Array }
  | { readonly kind: 'too-long'; readonly number: number; readonly length: number; readonly head: Uint8Array }

const NEWLINE = 0x0a

export class LineSplitter {
  readonly #maxBytes: number
  #number = 0
  /** Pieces of the line that began in an earlier chunk. */
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  /** Bytes of the current line so far, when it is already too long to keep. */
  #overflowLength = 0
  #overflowHead: Uint8Array | undefined

  constructor(maxBytes = MAX_LINE_BYTES) {
    this.#maxBytes = maxBytes
  }

  /** Lines completed by this chunk. The chunk may be reused once they have been read. */
  push(chunk: Uint8Array): ExtractLine[] {
    const lines: ExtractLine[] = []
    let start = 0
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start)
      if (end === -1) break
      lines.push(this.#complete(chunk.subarray(start, end)))
      start = end + 1
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start))
    return lines
  }

  /** The last line, when the file does not end with a newline. */
  end(): ExtractLine[] {
    if (this.#pendingBytes === 0 && this.#overflowHead === undefined) return []
    return [this.#complete(new Uint8Array(0))]
  }

  #keep(piece: Uint8Array): void {
    if (this.#overflowHead !== undefined) {
      this.#overflowLength += piece.length
      return
    }
    // One byte of slack for a carriage return that belongs to the line break.
    if (this.#pendingBytes + piece.length > this.#maxBytes + 1) {
      this.#overflowHead = concat([...this.#pending, piece], this.#pendingBytes + piece.length).slice(
        0,
        HEAD_BYTES,
      )
      this.#overflowLength = this.#pendingBytes + piece.length
      this.#pending = []
      this.#pendingBytes = 0
      return
    }
    // Copied: the caller's chunk buffer may be reused before the line ends.
    this.#pending.push(Uint8Array.prototype.slice.call(piece))
    this.#pendingBytes += piece.length
  }

  #complete(tail: Uint8Array): ExtractLine {
    const number = ++this.#number
    if (this.#overflowHead !== undefined) {
      const line: ExtractLine = {
        kind: 'too-long',
        number,
        length: this.#overflowLength + withoutCarriageReturn(tail).length,
        head: this.#overflowHead,
      }
      this.#overflowHead = undefined
      this.#overflowLength = 0
      return line
    }
    const length = this.#pendingBytes + tail.length
    const bytes = withoutCarriageReturn(
      this.#pendingBytes === 0 ? tail : concat([...this.#pending, tail], length),
    )
    this.#pending = []
    this.#pendingBytes = 0
    if (bytes.length > this.#maxBytes) {
      return { kind: 'too-long', number, length: bytes.length, head: bytes.slice(0, HEAD_BYTES) }
    }
    return { kind: 'line', number, bytes }
  }
}

/** Windows line endings: the carriage return belongs to the line break, not the record. */
function withoutCarriageReturn(bytes: Uint8Array): Uint8Array {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes
}

function concat(pieces: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length)
  let offset = 0
  for (const piece of pieces) {
    joined.set(piece, offset)
    offset += piece.length
  }
  return joined
}
