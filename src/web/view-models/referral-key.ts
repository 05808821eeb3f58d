/**
 * The Referral column's codes explained: each code in the list is an
 * abbreviation with the business area's name, and the page has a key of
 * every code, so nobody has to know that "CC" is Criminal Casework.
 */
import { escapeAsTemplates } from '../templates/table-markup.ts'

export interface ReferralCode {
  /** What the column shows, e.g. "CC". */
  readonly code: string
  /** The business area, e.g. "Criminal Casework". */
  readonly name: string
}

/** The cell's markup: the code as an abbreviation of its area, or the code alone if the key does not know it. */
export function referralMarkup(code: string | null, key: readonly ReferralCode[]): string {
  if (code === null) return ''
  const name = key.find((one) => one.code === code)?.name
  const text = escapeAsTemplates(code)
  return name === undefined ? text : `<abbr title="${escapeAsTemplates(name)}">${text}</abbr>`
}
