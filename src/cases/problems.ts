/**
 * The words a rejects file uses: each problem names where it is in the record
 * (`reporting.nextDates[1]`) and says what is wrong in plain language, for a
 * data analyst fixing the source system rather than a developer.
 *
 * Most field messages are written in the extract schema itself; this module
 * words what the schema leaves to zod (a section that is not an object, a
 * field the extract does not define) and the problems found before a record
 * can be read at all.
 */
import type { z } from 'zod'
import { quoted } from './quoted.ts'

type Issue = z.core.$ZodIssue

/** `reporting.nextDates[1]`: the path a person would write to point at a value. */
export function pathOf(path: readonly PropertyKey[]): string {
  let text = ''
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else text += text === '' ? String(key) : `.${String(key)}`
  }
  return text === '' ? 'record' : text
}

/**
 * Words for the issues zod raises without a message from the schema. Passed
 * to each parse, so it changes nothing for other users of zod.
 */
export const extractErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.expected === 'object') {
    return issue.input === undefined
      ? 'is missing'
      : `must be a group of fields in braces {…} (found ${quoted(issue.input)})`
  }
  return undefined
}

/** Every problem zod found, one line each; a field the extract does not define is named on its own. */
export function describeIssues(issues: readonly Issue[]): string[] {
  const problems: string[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(`${pathOf([...issue.path, key])}: is not a field the extract defines`)
      }
    } else {
      problems.push(`${pathOf(issue.path)}: ${issue.message}`)
    }
  }
  return problems
}

/** Enough to fix a line by; a hostile line of 64 KB can raise thousands (a field the extract does not define, each). */
export const MAX_PROBLEMS_PER_LINE = 20

/** A line's problems as a rejects file keeps them: the first few, then how many more there are. */
export function firstProblems(problems: string[]): string[] {
  if (problems.length <= MAX_PROBLEMS_PER_LINE) return problems
  const more = problems.length - (MAX_PROBLEMS_PER_LINE - 1)
  return [
    ...problems.slice(0, MAX_PROBLEMS_PER_LINE - 1),
    `and ${more.toLocaleString('en-GB')} more problems in this line`,
  ]
}

/** A key given twice in one object: JSON.parse would keep the last without a word. */
export function repeatedKey(path: readonly PropertyKey[]): string {
  return `${pathOf(path)}: is given more than once in the record; a field may appear only once`
}

export function emptyLine(): string {
  return 'line is empty'
}

export function lineTooLong(bytes: number, limit: number): string {
  return `line is ${bytes.toLocaleString('en-GB')} bytes long; the limit is ${limit.toLocaleString('en-GB')} bytes`
}

export function notUtf8(byteOffset: number): string {
  return `line is not valid UTF-8 (the first bad byte is byte ${(byteOffset + 1).toLocaleString('en-GB')} of the line)`
}

/** The JSON parser's own message already says what it expected and where; it is only kept short. */
export function notJson(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return `line is not valid JSON: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`
}

export function notARecord(value: unknown): string {
  return `line must hold one record, a group of fields in braces {…} (found ${quoted(value)})`
}

export function duplicatePerson(personId: string, firstLine: number): string {
  return `personId ${personId} appears earlier in this file, at line ${firstLine.toLocaleString('en-GB')}`
}
