/**
 * A batch of checked lines in the form that crosses from the checking thread
 * to the writing one: the rows of its valid records as UTF-8 COPY text, one
 * buffer per table with where each person's rows end, plus what the writer
 * needs to decide each record's fate (line, person ID, content hash). The
 * buffers are transferred, not copied, and the writer sends them (or the
 * parts it needs) to the database as they are: per record, the writing
 * thread allocates almost nothing. Once written, a batch's buffers can go
 * back to the checking thread to be filled again (BufferPool).
 *
 * Each `persons` line ends with the import's own columns: first imported,
 * data changed (room for an ISO instant each, filled in by the writer when it
 * knows the time) and present.
 */
import { LIST_NAMES, type ListName } from './person-rows.ts'
import type { CheckedLine } from './record-check.ts'
import type { Rejection } from './rejects-file.ts'

/** Bytes of COPY text and, for each person in the batch, where theirs end. */
export interface Segments {
  readonly bytes: Uint8Array
  readonly ends: Int32Array
}

export interface EncodedBatch {
  /** Lines in the batch, valid or not. */
  readonly read: number
  /** Line number, person ID and content hash of each valid record, in file order. */
  readonly lines: Int32Array
  readonly personIds: readonly string[]
  readonly contentHashes: readonly string[]
  readonly persons: Segments
  readonly lists: Readonly<Record<ListName, Segments>>
  /** The lines rejected while checking, in file order. */
  readonly rejections: readonly Rejection[]
}

/** An ISO instant is always this long for years 1000 to 9999. */
const INSTANT_LENGTH = 24
const INSTANT_ROOM = '0'.repeat(INSTANT_LENGTH)
/** The bytes after the second instant: tab, `t` for present, newline. */
const AFTER_INSTANTS = 3
const PERSON_LINE_TAIL = `\t${INSTANT_ROOM}\t${INSTANT_ROOM}\tt\n`

/**
 * Memory for COPY text that the writing thread hands back once it has written
 * a batch, so the checking thread fills the same few buffers again. Without
 * it every batch brings fresh buffers that the writing thread, which makes
 * little garbage of its own, holds until its next collection: tens of
 * megabytes.
 */
export class BufferPool {
  /** Two batches' worth: the one being written and the one waiting. */
  static readonly MAX_FREE = 2 * (1 + LIST_NAMES.length)
  #free: ArrayBuffer[] = []

  /** The smallest free buffer of at least `minimum` bytes, or a new one. */
  take(minimum: number): Buffer {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      const size = (this.#free[i] as ArrayBuffer).byteLength
      if (size >= minimum && (best === -1 || size < (this.#free[best] as ArrayBuffer).byteLength)) best = i
    }
    if (best === -1) return Buffer.allocUnsafeSlow(minimum)
    const [found] = this.#free.splice(best, 1)
    return Buffer.from(found as ArrayBuffer)
  }

  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) if (buffer.byteLength > 0) this.#free.push(buffer)
    // Past the limit the smallest go: the large ones are the costly ones to make again.
    if (this.#free.length > BufferPool.MAX_FREE) {
      this.#free.sort((a, b) => b.byteLength - a.byteLength)
      this.#free.length = BufferPool.MAX_FREE
    }
  }

  get size(): number {
    return this.#free.length
  }
}

const FIRST_CAPACITY = 64 * 1024

/**
 * Builds one table's COPY text for a batch in a single growing buffer: a
 * string is written straight into it, rather than becoming a small Buffer of
 * its own first, which cost more than encoding the record.
 */
class SegmentsBuilder {
  readonly #pool: BufferPool
  #bytes: Buffer
  #length = 0
  #ends: number[] = []

  constructor(pool: BufferPool) {
    this.#pool = pool
    this.#bytes = pool.take(FIRST_CAPACITY)
  }

  /** Appends text to the current person's rows. */
  write(text: string): void {
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    const room = this.#length + 3 * text.length
    if (room > this.#bytes.length) this.#grow(room)
    this.#length += this.#bytes.write(text, this.#length, 'utf8')
  }

  /** Marks the end of the current person's rows. */
  endPerson(): void {
    this.#ends.push(this.#length)
  }

  get byteLength(): number {
    return this.#length
  }

  /** The batch's text, in a buffer of its own that is handed over; the builder starts again, empty. */
  finish(): Segments {
    const segments = { bytes: this.#bytes.subarray(0, this.#length), ends: Int32Array.from(this.#ends) }
    this.#bytes = this.#pool.take(this.#bytes.length)
    this.#length = 0
    this.#ends = []
    return segments
  }

  #grow(needed: number): void {
    const bigger = this.#pool.take(Math.max(needed, 2 * this.#bytes.length))
    this.#bytes.copy(bigger, 0, 0, this.#length)
    this.#pool.give([this.#bytes.buffer as ArrayBuffer])
    this.#bytes = bigger
  }
}

/**
 * Collects checked lines into a batch; the checking thread's side. One
 * encoder serves batch after batch: finish() hands over the batch and starts
 * the next in buffers from the pool.
 */
export class BatchEncoder {
  #read = 0
  #lines: number[] = []
  #personIds: string[] = []
  #contentHashes: string[] = []
  readonly #persons: SegmentsBuilder
  readonly #lists: Record<ListName, SegmentsBuilder>
  #rejections: Rejection[] = []
  #rejectionLength = 0

  /** @param pool where the COPY text buffers come from; batches written can give theirs back to it. */
  constructor(pool = new BufferPool()) {
    this.#persons = new SegmentsBuilder(pool)
    this.#lists = Object.fromEntries(LIST_NAMES.map((name) => [name, new SegmentsBuilder(pool)])) as Record<
      ListName,
      SegmentsBuilder
    >
  }

  add(checked: CheckedLine): void {
    this.#read++
    if (checked.kind === 'rejected') {
      this.#rejections.push({ line: checked.line, personId: checked.personId, problems: checked.problems })
      for (const problem of checked.problems) this.#rejectionLength += problem.length
      return
    }
    const { person } = checked
    this.#lines.push(checked.line)
    this.#personIds.push(person.personId)
    this.#contentHashes.push(person.contentHash)
    this.#persons.write(person.person)
    this.#persons.write(PERSON_LINE_TAIL)
    this.#persons.endPerson()
    for (const name of LIST_NAMES) {
      const rows = person.lists[name]
      if (rows !== '') this.#lists[name].write(rows)
      this.#lists[name].endPerson()
    }
  }

  /** Lines added so far. */
  get read(): number {
    return this.#read
  }

  /**
   * About how much memory the batch holds (its COPY text and the wording of
   * its rejections): a batch of unusually large records is closed early by it.
   */
  get byteLength(): number {
    let total = this.#persons.byteLength + 2 * this.#rejectionLength
    for (const name of LIST_NAMES) total += this.#lists[name].byteLength
    return total
  }

  /** The batch of the lines added since the last finish(). */
  finish(): EncodedBatch {
    const batch: EncodedBatch = {
      read: this.#read,
      lines: Int32Array.from(this.#lines),
      personIds: this.#personIds,
      contentHashes: this.#contentHashes,
      persons: this.#persons.finish(),
      lists: Object.fromEntries(LIST_NAMES.map((name) => [name, this.#lists[name].finish()])) as Record<
        ListName,
        Segments
      >,
      rejections: this.#rejections,
    }
    this.#read = 0
    this.#lines = []
    this.#personIds = []
    this.#contentHashes = []
    this.#rejections = []
    this.#rejectionLength = 0
    return batch
  }
}

/** The memory a batch's typed arrays own, to transfer rather than copy them. */
export function transferablesOf(batch: EncodedBatch): ArrayBuffer[] {
  const buffers = [
    batch.lines.buffer,
    ...segmentsOf(batch).flatMap(({ bytes, ends }) => [bytes.buffer, ends.buffer]),
  ]
  return [...new Set(buffers)] as ArrayBuffer[]
}

/** The COPY text buffers of a batch that has been written, to give back to the pool they came from. */
export function recyclablesOf(batch: EncodedBatch): ArrayBuffer[] {
  return [...new Set(segmentsOf(batch).map(({ bytes }) => bytes.buffer as ArrayBuffer))]
}

/** The batch's COPY text of every table: `persons`, then each list. */
function segmentsOf(batch: EncodedBatch): Segments[] {
  return [batch.persons, ...LIST_NAMES.map((name) => batch.lists[name])]
}

/** Writes the time into every `persons` line of the batch: when each was first imported and its data changed. */
export function stampPersons(persons: Segments, instant: Date): void {
  const text = instant.toISOString()
  if (text.length !== INSTANT_LENGTH) throw new RangeError(`${text} cannot be written as a batch's time`)
  const bytes = Buffer.from(persons.bytes.buffer, persons.bytes.byteOffset, persons.bytes.byteLength)
  for (const end of persons.ends) {
    const second = end - AFTER_INSTANTS - INSTANT_LENGTH
    bytes.write(text, second, 'latin1')
    bytes.write(text, second - 1 - INSTANT_LENGTH, 'latin1')
  }
}

/** The segments of the chosen persons (by index, ascending), as one piece of COPY text. */
export function pick(segments: Segments, indexes: readonly number[]): Uint8Array {
  if (indexes.length === segments.ends.length) return segments.bytes
  const parts: Uint8Array[] = []
  for (const index of indexes) {
    const start = index === 0 ? 0 : (segments.ends[index - 1] as number)
    const end = segments.ends[index] as number
    if (end > start) parts.push(segments.bytes.subarray(start, end))
  }
  return Buffer.concat(parts)
}
