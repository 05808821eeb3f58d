/**
 * What someone asked the audit for, checked: a user ID, a person ID, a kind
 * of event and a range of London days, each optional. The dates come as the
 * three boxes of a GOV.UK date input; both or neither must be given, real,
 * in order, and no more than the configured number of days apart. Each
 * problem is a code, which the page puts into words.
 */
import { daysBetween, type IsoDate, isoDateFromParts } from '../dates.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { type AuditKind, isAuditKind } from './events.ts'
import type { AuditFilter } from './search.ts'

/** The longest user ID looked for: longer than any user's (single sign-on allows 200). */
export const MAX_USER_ID_LENGTH = 200
/** Person IDs are 1 to 20 letters, digits or hyphens (docs/case-extract.schema.json). */
const PERSON_ID = /^[A-Za-z0-9-]{1,20}$/

export type AuditDateField = 'from' | 'to'
export type DatePart = 'day' | 'month' | 'year'

export interface AuditDateInput {
  readonly day: string
  readonly month: string
  readonly year: string
}

/** The filter as typed, unchecked: '' for a field left empty. */
export interface AuditFilterInput {
  readonly user: string
  readonly person: string
  readonly kind: string
  readonly from: AuditDateInput
  readonly to: AuditDateInput
}

export type AuditFilterProblem =
  | { readonly field: 'user'; readonly code: 'userTooLong'; readonly params: { readonly maxLength: number } }
  | { readonly field: 'user' | 'person'; readonly code: 'hiddenCharacters' }
  | { readonly field: 'person'; readonly code: 'personInvalid' }
  | { readonly field: 'kind'; readonly code: 'kindUnknown' }
  | { readonly field: AuditDateField; readonly code: 'dateMissing' | 'dateInvalid' }
  | {
      readonly field: AuditDateField
      readonly code: 'datePartsMissing'
      readonly params: { readonly missing: readonly DatePart[] }
    }
  | { readonly field: 'to'; readonly code: 'toBeforeFrom' }
  | { readonly field: 'to'; readonly code: 'rangeTooLong'; readonly params: { readonly maxDays: number } }

export type AuditFilterResult =
  | { readonly ok: true; readonly filter: AuditFilter }
  | { readonly ok: false; readonly problems: readonly AuditFilterProblem[] }

export const EMPTY_AUDIT_FILTER_INPUT: AuditFilterInput = {
  user: '',
  person: '',
  kind: '',
  from: { day: '', month: '', year: '' },
  to: { day: '', month: '', year: '' },
}

export function checkAuditFilter(input: AuditFilterInput, maxDays: number): AuditFilterResult {
  const problems: AuditFilterProblem[] = []
  const user = input.user.trim()
  if (hasHiddenCharacters(user, 'one-line')) problems.push({ field: 'user', code: 'hiddenCharacters' })
  else if (user.length > MAX_USER_ID_LENGTH)
    problems.push({ field: 'user', code: 'userTooLong', params: { maxLength: MAX_USER_ID_LENGTH } })
  const person = input.person.trim()
  if (hasHiddenCharacters(person, 'one-line')) problems.push({ field: 'person', code: 'hiddenCharacters' })
  else if (person !== '' && !PERSON_ID.test(person)) problems.push({ field: 'person', code: 'personInvalid' })
  const kind = input.kind.trim()
  if (kind !== '' && !isAuditKind(kind)) problems.push({ field: 'kind', code: 'kindUnknown' })
  const range = checkRange(input.from, input.to, maxDays)
  problems.push(...range.problems)
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    filter: {
      ...(user ? { userId: user } : {}),
      ...(person ? { personId: person } : {}),
      ...(kind ? { kind: kind as AuditKind } : {}),
      ...(range.from ? { from: range.from } : {}),
      ...(range.to ? { to: range.to } : {}),
    },
  }
}

function checkRange(
  fromInput: AuditDateInput,
  toInput: AuditDateInput,
  maxDays: number,
): { problems: AuditFilterProblem[]; from?: IsoDate; to?: IsoDate } {
  const from = dateOf('from', fromInput)
  const to = dateOf('to', toInput)
  if (from === 'empty' && to === 'empty') return { problems: [] }
  // One end without the other: the missing one is a problem too.
  const problems = (['from', 'to'] as const).flatMap((field): AuditFilterProblem[] => {
    const end = field === 'from' ? from : to
    if (end === 'empty') return [{ field, code: 'dateMissing' }]
    return typeof end === 'object' ? [end] : []
  })
  if (problems.length > 0 || typeof from !== 'string' || typeof to !== 'string') return { problems }
  return checkOrder(from as IsoDate, to as IsoDate, maxDays)
}

function checkOrder(
  from: IsoDate,
  to: IsoDate,
  maxDays: number,
): { problems: AuditFilterProblem[]; from?: IsoDate; to?: IsoDate } {
  const days = daysBetween(from, to) + 1
  if (days < 1) return { problems: [{ field: 'to', code: 'toBeforeFrom' }] }
  if (days > maxDays) return { problems: [{ field: 'to', code: 'rangeTooLong', params: { maxDays } }] }
  return { problems: [], from, to }
}

/** The date typed into one GOV.UK date input: 'empty' when all three boxes are. */
function dateOf(field: AuditDateField, input: AuditDateInput): IsoDate | 'empty' | AuditFilterProblem {
  const parts = { day: input.day.trim(), month: input.month.trim(), year: input.year.trim() }
  const missing = (['day', 'month', 'year'] as const).filter((part) => parts[part] === '')
  if (missing.length === 3) return 'empty'
  if (missing.length > 0) return { field, code: 'datePartsMissing', params: { missing } }
  const valid = /^\d{1,2}$/.test(parts.day) && /^\d{1,2}$/.test(parts.month) && /^\d{4}$/.test(parts.year)
  const date = valid
    ? isoDateFromParts(Number(parts.year), Number(parts.month), Number(parts.day))
    : undefined
  return date ?? { field, code: 'dateInvalid' }
}
