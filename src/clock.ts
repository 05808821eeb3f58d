/**
 * The one source of "now" and "today" for the whole service.
 *
 * "Today" is always the calendar date in Europe/London, whatever the server's
 * time zone. Retention windows, reporting-date ranges and ages all depend on it,
 * so tests and demos inject a clock with a fixed date instead of reading the
 * system time.
 */
import type { IsoDate } from './dates.ts'

export interface Clock {
  /** The current instant. */
  now(): Date
  /** The current calendar date in Europe/London. */
  today(): IsoDate
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

export function londonDateOf(instant: Date): IsoDate {
  return londonDate.format(instant) as IsoDate
}

export function systemClock(): Clock {
  return { now: () => new Date(), today: () => londonDateOf(new Date()) }
}

/**
 * A clock whose date is fixed to `today` while the time of day keeps moving,
 * so that a demo pinned to a date still orders events correctly.
 */
export function clockFixedTo(today: IsoDate, realNow: () => number = Date.now): Clock {
  const realStart = realNow()
  let offset = Date.parse(`${today}T12:00:00Z`) - Date.parse(`${londonDateOf(new Date(realStart))}T12:00:00Z`)
  // Whole days keep the UTC time of day; where summer time differs between
  // the two dates, an hour more or less keeps London's instead, so that
  // now() late in the evening still falls on `today`.
  const shifted = londonDateOf(new Date(realStart + offset))
  if (shifted > today) offset -= HOUR_MS
  else if (shifted < today) offset += HOUR_MS
  return {
    now: () => new Date(realNow() + offset),
    today: () => today,
  }
}

const HOUR_MS = 3_600_000

/** A clock frozen at one instant: for tests that need exact timestamps. */
export function frozenClock(instant: Date): Clock {
  return { now: () => new Date(instant), today: () => londonDateOf(instant) }
}
