/**
 * Calendar dates as ISO strings (YYYY-MM-DD). The database returns `date`
 * columns in this form too (see db/connect.ts), so a date never passes through
 * a JavaScript Date and never shifts with a time zone.
 */
export type IsoDate = string & { readonly __isoDate: unique symbol }

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** The date, if `text` is a real calendar date in YYYY-MM-DD form. */
export function parseIsoDate(text: string): IsoDate | undefined {
  const match = ISO_DATE.exec(text)
  if (!match) return undefined
  const [, y, m, d] = match
  return isRealDate(Number(y), Number(m), Number(d)) ? (text as IsoDate) : undefined
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function isoDateFromParts(year: number, month: number, day: number): IsoDate | undefined {
  if (!isRealDate(year, month, day)) return undefined
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate
}

function toUtc(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`)
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(toUtc(date) + days * 86_400_000).toISOString().slice(0, 10) as IsoDate
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000)
}

/** Age in whole years on `on` for someone born on `dateOfBirth`. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [y, m, d] = on.split('-').map(Number) as [number, number, number]
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/** "25 July 2018", the GOV.UK style for dates on pages. */
export function formatLongDate(date: IsoDate): string {
  // Sliced rather than split: a page of a review list formats a hundred dates.
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(0, 4))}`
}

/** "25/07/2018", the MI report's style. */
export function formatDayMonthYear(date: IsoDate): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

export function monthName(month: number): string {
  return MONTHS[month - 1] ?? ''
}
