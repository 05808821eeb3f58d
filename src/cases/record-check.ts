/**
 * One line of an extract, checked: either a valid record, already encoded as
 * the rows to store, or a rejection with every problem found in it. The
 * person ID is kept whenever it can be read, even from a line that is not
 * valid JSON, so a rejection names the person and a full import does not mark
 * someone as gone because their record was malformed.
 */
import { z } from 'zod'
import { firstRepeatedKey } from './duplicate-keys.ts'
import { type CaseRecord, type ExtractContext, extractRecordSchema, PERSON_ID } from './extract.ts'
import type { ExtractLine } from './extract-lines.ts'
import { type EncodedPerson, encodePerson, toPersonRows } from './person-rows.ts'
import {
  describeIssues,
  emptyLine,
  extractErrorMap,
  firstProblems,
  lineTooLong,
  notARecord,
  notJson,
  notUtf8,
  repeatedKey,
} from './problems.ts'
import { firstInvalidUtf8Byte } from './utf8.ts'

export type CheckedLine =
  | { readonly kind: 'valid'; readonly line: number; readonly person: EncodedPerson }
  | {
      readonly kind: 'rejected'
      readonly line: number
      readonly personId: string | null
      readonly problems: string[]
    }

export type RecordSchema = z.ZodType<CaseRecord, unknown>

/**
 * The extract schema as the importer runs it: zod compiles it into one plain
 * function for the valid path, three times faster than walking the schema.
 * A record that function refuses is parsed again by zod's ordinary parser,
 * which finds and words every problem, so rejections read exactly as they
 * would without it.
 */
export function compiledRecordSchema(context: ExtractContext): RecordSchema {
  return z.compile(extractRecordSchema(context))
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const lenientUtf8 = new TextDecoder('utf-8')
const BLANK = /^\s*$/
/** A person ID in text that could not be parsed: the first `"personId": "…"` in it. */
const PERSON_ID_IN_TEXT = /"personId"\s*:\s*"([A-Za-z0-9-]{1,20})"/

export function checkLine(line: ExtractLine, schema: RecordSchema, maxBytes: number): CheckedLine {
  if (line.kind === 'too-long') {
    return rejected(line.number, personIdInText(lenientUtf8.decode(line.head)), [
      lineTooLong(line.length, maxBytes),
    ])
  }
  let text: string
  try {
    text = strictUtf8.decode(line.bytes)
  } catch {
    return rejected(line.number, personIdInText(lenientUtf8.decode(line.bytes)), [
      notUtf8(firstInvalidUtf8Byte(line.bytes)),
    ])
  }
  if (BLANK.test(text)) return rejected(line.number, null, [emptyLine()])
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return rejected(line.number, personIdInText(text), [notJson(error)])
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return rejected(line.number, null, [notARecord(value)])
  }
  const repeated = firstRepeatedKey(text, value)
  if (repeated !== null) {
    // A repeated personId may name two persons: the line then names neither.
    return rejected(line.number, repeated[0] === 'personId' ? null : personIdOf(value), [
      repeatedKey(repeated),
    ])
  }
  const result = schema.safeParse(value, { error: extractErrorMap })
  if (!result.success) return rejected(line.number, personIdOf(value), describeIssues(result.error.issues))
  return { kind: 'valid', line: line.number, person: encodePerson(toPersonRows(result.data)) }
}

function rejected(line: number, personId: string | null, problems: string[]): CheckedLine {
  return { kind: 'rejected', line, personId, problems: firstProblems(problems) }
}

function personIdOf(record: object): string | null {
  const personId = (record as { personId?: unknown }).personId
  return typeof personId === 'string' && PERSON_ID.test(personId) ? personId : null
}

function personIdInText(text: string): string | null {
  return PERSON_ID_IN_TEXT.exec(text)?.[1] ?? null
}
