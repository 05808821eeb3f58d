/**
 * A value from an extract, written into a message for a person to read. Long
 * values are cut short: a rejects file must not echo a 100 KB string back,
 * and the start of it is enough to find it. Invisible and reordering
 * characters are shown as escapes, never passed on to a reader's screen.
 */
import { escapeInvisible } from './invisible-characters.ts'

export const QUOTE_LIMIT = 40

export function quoted(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= QUOTE_LIMIT) return quote(value)
    return `${quote(value.slice(0, QUOTE_LIMIT)).slice(0, -1)}…" (${value.length.toLocaleString('en-GB')} characters)`
  }
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a group of fields'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value
}

/** JSON's quoting, which escapes control characters, and escapes for the other invisible ones too. */
function quote(text: string): string {
  return escapeInvisible(JSON.stringify(text))
}
