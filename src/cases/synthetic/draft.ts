/**
 * The person being drawn: what each part of the record needs to know about
 * the parts drawn before it, and the helpers every part shares.
 */
import type { IsoDate } from '../../dates.ts'
import type { CaseRecordInput } from '../extract.ts'
import type { Calendar } from './calendar.ts'
import type { CaseloadProfile } from './profile.ts'
import type { Random } from './random.ts'

export type Input = CaseRecordInput
export type CaseType = Input['caseType']
export type ImmigrationStatus = Input['immigrationStatus']

export const YEAR = 365

/** Whole years in days, leap days included, so "at least N years" holds on any date. */
export function yearsInDays(years: number): number {
  return years * YEAR + Math.ceil(years / 4)
}

/** Sorts records by one of their ISO dates, earliest first. */
export function earliestFirst<T>(date: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = date(a)
    const y = date(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
}

export interface Draft {
  readonly random: Random
  readonly calendar: Calendar
  readonly profile: CaseloadProfile
  /** Age in days on the extract date. */
  readonly daysOld: number
  readonly age: number
  /** Under eighteen, or claims to be and the Home Office disputes it. */
  readonly child: boolean
  readonly gender: Input['gender']
  readonly caseType: CaseType
  readonly status: ImmigrationStatus
  /** The most recent past event, in days before today: the source record was updated no earlier. */
  mostRecentEvent: number
}

/** A date `days` before today, noted as an event the source record has seen. */
export function eventDaysAgo(draft: Draft, days: number): IsoDate {
  if (days < draft.mostRecentEvent) draft.mostRecentEvent = days
  return draft.calendar.on(-days)
}

/** The furthest back (in days) an event of the person's own history can be. */
export function historyLimit(draft: Draft): number {
  return Math.max(30, draft.daysOld - yearsInDays(12))
}
