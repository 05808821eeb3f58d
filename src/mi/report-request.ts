/**
 * What an MI report may cover: a real date range, in order, no longer than
 * the configured maximum, over regions the user may see. Checked here, apart
 * from the web, so that every way of asking for a report gets the same
 * answer; each problem is a code, which the page puts into words.
 */
import { canSee, narrowTo, type RegionScope } from '../access/region-scope.ts'
import { daysBetween, type IsoDate, isoDateFromParts, parseIsoDate } from '../dates.ts'
import type { MiReportCriteria } from './report-query.ts'

export type MiDateField = 'from' | 'to'
export type DatePart = 'day' | 'month' | 'year'

/** What is wrong with a report request, by field; each code's own details in `params`. */
export type MiRequestProblem =
  | { readonly field: MiDateField; readonly code: 'dateMissing' | 'dateInvalid' }
  /** Some of a date's boxes were filled in and these were not, in the order the boxes come. */
  | {
      readonly field: MiDateField
      readonly code: 'datePartsMissing'
      readonly params: { readonly missing: readonly DatePart[] }
    }
  | { readonly field: 'to'; readonly code: 'toBeforeFrom' }
  | { readonly field: 'to'; readonly code: 'tooLong'; readonly params: { readonly maxDays: number } }
  /** A region that does not exist or that the user may not see: refused alike. */
  | { readonly field: 'region'; readonly code: 'regionNotAllowed' }

export type MiRequestProblemCode = MiRequestProblem['code']

export interface DateFields {
  readonly day: string
  readonly month: string
  readonly year: string
}

/** A date typed into the three boxes of a GOV.UK date input, checked as the pattern asks. */
export function dateFromFields(
  field: MiDateField,
  fields: DateFields,
): { readonly date: IsoDate } | { readonly problem: MiRequestProblem } {
  const parts = { day: fields.day.trim(), month: fields.month.trim(), year: fields.year.trim() }
  const missing = (['day', 'month', 'year'] as const).filter((part) => parts[part] === '')
  if (missing.length === 3) return { problem: { field, code: 'dateMissing' } }
  if (missing.length > 0) return { problem: { field, code: 'datePartsMissing', params: { missing } } }
  const numbers = [parts.year, parts.month, parts.day].map((text) =>
    /^\d+$/.test(text) ? Number(text) : Number.NaN,
  )
  const date =
    parts.year.length === 4
      ? isoDateFromParts(numbers[0] as number, numbers[1] as number, numbers[2] as number)
      : undefined
  return date ? { date } : { problem: { field, code: 'dateInvalid' } }
}

/** The three boxes for a date already chosen (to show the form again with it). */
export function fieldsOfDate(date: IsoDate | undefined): DateFields {
  if (!date) return { day: '', month: '', year: '' }
  const [year, month, day] = date.split('-') as [string, string, string]
  return { day: String(Number(day)), month: String(Number(month)), year }
}

export interface MiRangeInput {
  readonly from: IsoDate | string | undefined
  readonly to: IsoDate | string | undefined
  /** A ROM region code; empty or absent for every region the user may see. */
  readonly region: string | undefined
}

export type MiRangeResult =
  | { readonly ok: true; readonly criteria: MiReportCriteria }
  | { readonly ok: false; readonly problems: readonly MiRequestProblem[] }

/**
 * @param knownRegions every ROM region code, to tell a region that does not
 *   exist from one the user may not see (both are refused alike).
 */
export function checkMiRange(
  input: MiRangeInput,
  userScope: RegionScope,
  maxDays: number,
  knownRegions: readonly string[],
): MiRangeResult {
  const problems: MiRequestProblem[] = []
  const from = input.from ? parseIsoDate(input.from) : undefined
  const to = input.to ? parseIsoDate(input.to) : undefined
  if (!input.from) problems.push({ field: 'from', code: 'dateMissing' })
  else if (!from) problems.push({ field: 'from', code: 'dateInvalid' })
  if (!input.to) problems.push({ field: 'to', code: 'dateMissing' })
  else if (!to) problems.push({ field: 'to', code: 'dateInvalid' })
  if (from && to) {
    const days = daysBetween(from, to) + 1
    if (days < 1) problems.push({ field: 'to', code: 'toBeforeFrom' })
    else if (days > maxDays) problems.push({ field: 'to', code: 'tooLong', params: { maxDays } })
  }
  let scope: RegionScope = userScope
  const region = input.region?.trim() ?? ''
  if (region !== '') {
    if (!knownRegions.includes(region) || !canSee(userScope, region)) {
      problems.push({ field: 'region', code: 'regionNotAllowed' })
    } else {
      scope = narrowTo(userScope, region)
    }
  }
  if (problems.length > 0 || !from || !to) return { ok: false, problems }
  return { ok: true, criteria: { from, to, scope } }
}

/**
 * The date boxes as typed, then the range they make: the boxes' own problems
 * come first, and the range's only add what they did not say.
 */
export function checkMiDateFields(
  input: { readonly from: DateFields; readonly to: DateFields; readonly region: string },
  userScope: RegionScope,
  maxDays: number,
  knownRegions: readonly string[],
): MiRangeResult {
  const from = dateFromFields('from', input.from)
  const to = dateFromFields('to', input.to)
  const problems: MiRequestProblem[] = []
  if ('problem' in from) problems.push(from.problem)
  if ('problem' in to) problems.push(to.problem)
  const range = checkMiRange(
    {
      from: 'date' in from ? from.date : undefined,
      to: 'date' in to ? to.date : undefined,
      region: input.region,
    },
    userScope,
    maxDays,
    knownRegions,
  )
  if (!range.ok) problems.push(...range.problems.filter((p) => !problems.some((q) => q.field === p.field)))
  return problems.length > 0 || !range.ok ? { ok: false, problems } : range
}

/** `ipic-mi-LSE-2026-07-01-to-2026-07-31.xlsx`; ALL when the file covers every region. */
export function miFileName(criteria: MiReportCriteria, extension: string): string {
  const regions = criteria.scope.all ? 'ALL' : criteria.scope.codes.join('-') || 'NONE'
  return `ipic-mi-${regions}-${criteria.from}-to-${criteria.to}.${extension}`
}
