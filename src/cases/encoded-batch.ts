/**
 * A batch of checked lines in the form that crosses from the checking thread
 * to the writing one: the rows of its valid records as UTF-8 COPY text, one
 * buffer per table with where each person's rows end, plus what the writer
 * needs to decide each record's fate (line, person ID, content hash). The
 * buffers are transferred, not copied, and the writer sends them (or the
 * parts it needs) to the database as they are: per record, the writing
 * thread allocates almost nothing.
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

class SegmentsBuilder {
  #parts: Buffer[] = []
  #ends: number[] = []
  #length = 0

  add(text: string): void {
    if (text !== '') {
      const bytes = Buffer.from(text, 'utf8')
      this.#parts.push(bytes)
      this.#length += bytes.length
    }
    this.#ends.push(this.#length)
  }

  get byteLength(): number {
    return this.#length
  }

  finish(): Segments {
    // Memory of its own (never a slice of Node's shared pool), so that it can be transferred.
    const bytes = Buffer.allocUnsafeSlow(this.#length)
    let offset = 0
    for (const part of this.#parts) offset += part.copy(bytes, offset)
    return { bytes, ends: Int32Array.from(this.#ends) }
  }
}

/** Collects checked lines into a batch; the checking thread's side. */
export class BatchEncoder {
  #read = 0
  #lines: number[] = []
  #personIds: string[] = []
  #contentHashes: string[] = []
  #persons = new SegmentsBuilder()
  #lists = Object.fromEntries(LIST_NAMES.map((name) => [name, new SegmentsBuilder()])) as Record<
    ListName,
    SegmentsBuilder
  >
  #rejections: Rejection[] = []
  #rejectionLength = 0

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
    this.#persons.add(`${person.person}${PERSON_LINE_TAIL}`)
    for (const name of LIST_NAMES) this.#lists[name].add(person.lists[name])
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
    return LIST_NAMES.reduce(
      (total, name) => total + this.#lists[name].byteLength,
      this.#persons.byteLength + 2 * this.#rejectionLength,
    )
  }

  finish(): EncodedBatch {
    return {
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
  }
}

/** The memory a batch's typed arrays own, to transfer rather than copy them. */
export function transferablesOf(batch: EncodedBatch): ArrayBuffer[] {
  const segments = [batch.persons, ...LIST_NAMES.map((name) => batch.lists[name])]
  const buffers = [batch.lines.buffer, ...segments.flatMap(({ bytes, ends }) => [bytes.buffer, ends.buffer])]
  return [...new Set(buffers)] as ArrayBuffer[]
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
