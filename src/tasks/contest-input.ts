/**
 * What a contest is made of, and what can be wrong with it as it arrives
 * from a form: the closed lists (channel, who made it, outcome), the limits,
 * and the checks that need nothing but the input and two dates. Problems are
 * codes; the page puts them into words.
 */
import { type IsoDate, isoDateFromParts } from '../dates.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'

/** How the representations reached us. A closed list: the MI groups by it. */
export const CONTEST_CHANNELS = [
  'LETTER',
  'EMAIL',
  'PHONE',
  'IN_PERSON',
  'LEGAL_REPRESENTATIVE',
  'OTHER',
] as const
export type ContestChannel = (typeof CONTEST_CHANNELS)[number]

export const CONTEST_MAKERS = ['PERSON', 'REPRESENTATIVE'] as const
export type ContestMaker = (typeof CONTEST_MAKERS)[number]

export const CONTEST_OUTCOMES = ['UPHELD', 'CHANGED'] as const
export type ContestOutcome = (typeof CONTEST_OUTCOMES)[number]

/** Long enough for a letter's gist; the letter itself stays in the case management system. */
export const MAX_SUMMARY_LENGTH = 2000
/** The reasons become a changed decision's details, which hold no more than this (decisions.ts). */
export const MAX_OUTCOME_REASONS_LENGTH = 1000

export interface DateParts {
  readonly day: string
  readonly month: string
  readonly year: string
}

/** A contest as the recording form sends it, before anything is trusted. */
export interface ContestInput {
  readonly receivedOn: DateParts
  readonly channel: string
  readonly madeBy: string
  readonly summary: string
  /** A user ID, or '' to leave the contest in the region's queue. */
  readonly assignTo: string
}

export type ContestProblem =
  | {
      readonly field: 'receivedOn'
      readonly code: 'dateMissing' | 'dateInvalid' | 'dateInFuture' | 'dateBeforeTask'
    }
  | { readonly field: 'channel'; readonly code: 'channelMissing' }
  | { readonly field: 'madeBy'; readonly code: 'madeByMissing' }
  | {
      readonly field: 'summary'
      readonly code: 'summaryMissing' | 'summaryTooLong' | 'hiddenCharacters'
    }
  /** Not a user who may review it: unknown, inactive, of another region, or the original decider. */
  | { readonly field: 'assignTo'; readonly code: 'assigneeNotEligible' }
  /** Nothing to contest (recommended, on hold or withdrawn), or a contest is already open on the task. */
  | { readonly field: 'task'; readonly code: 'notDecided' | 'alreadyOpen' }

export type ContestProblemCode = ContestProblem['code']

export interface ValidContest {
  readonly receivedOn: IsoDate
  readonly channel: ContestChannel
  readonly madeBy: ContestMaker
  readonly summary: string
  readonly assignTo: string | null
}

const DIGITS = /^\d{1,4}$/

/** A GOV.UK date input's three parts as a date; four-digit years only, so nothing is guessed. */
export function dateFromParts(parts: DateParts): IsoDate | 'missing' | 'invalid' {
  const [day, month, year] = [parts.day.trim(), parts.month.trim(), parts.year.trim()]
  if (!day && !month && !year) return 'missing'
  if (![day, month, year].every((part) => DIGITS.test(part)) || year.length !== 4) return 'invalid'
  return isoDateFromParts(Number(year), Number(month), Number(day)) ?? 'invalid'
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value)
}

/**
 * @param today London's today: a letter cannot arrive tomorrow.
 * @param taskCreatedOn the London day the task was recommended: nobody contests it before then.
 */
export function validateContestInput(
  input: ContestInput,
  today: IsoDate,
  taskCreatedOn: IsoDate,
): { ok: true; contest: ValidContest } | { ok: false; problems: ContestProblem[] } {
  const problems: ContestProblem[] = []
  const date = dateFromParts(input.receivedOn)
  if (date === 'missing') problems.push({ field: 'receivedOn', code: 'dateMissing' })
  else if (date === 'invalid') problems.push({ field: 'receivedOn', code: 'dateInvalid' })
  else if (date > today) problems.push({ field: 'receivedOn', code: 'dateInFuture' })
  else if (date < taskCreatedOn) problems.push({ field: 'receivedOn', code: 'dateBeforeTask' })
  if (!isOneOf(CONTEST_CHANNELS, input.channel)) problems.push({ field: 'channel', code: 'channelMissing' })
  if (!isOneOf(CONTEST_MAKERS, input.madeBy)) problems.push({ field: 'madeBy', code: 'madeByMissing' })
  const summary = input.summary.trim()
  if (summary === '') problems.push({ field: 'summary', code: 'summaryMissing' })
  else if (hasHiddenCharacters(summary, 'multi-line'))
    problems.push({ field: 'summary', code: 'hiddenCharacters' })
  else if (summary.length > MAX_SUMMARY_LENGTH) problems.push({ field: 'summary', code: 'summaryTooLong' })
  if (problems.length > 0 || typeof date !== 'string' || date === 'missing' || date === 'invalid') {
    return { ok: false, problems }
  }
  return {
    ok: true,
    contest: {
      receivedOn: date,
      channel: input.channel as ContestChannel,
      madeBy: input.madeBy as ContestMaker,
      summary,
      assignTo: input.assignTo.trim() === '' ? null : input.assignTo.trim(),
    },
  }
}
