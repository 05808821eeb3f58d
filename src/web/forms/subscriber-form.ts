/**
 * The Event subscribers forms as HTTP carries them: a new subscriber (its
 * URL, name and the event types ticked), and a replay's date and time in
 * London. Whatever arrives is read into what the domain checks, never
 * trusted.
 */
import { z } from 'zod'
import { isoDateFromParts } from '../../dates.ts'
import type { NewSubscriber } from '../../events/subscribers.ts'
import type { ReplayProblem } from '../subscriber-messages.ts'

// A field sent twice, or not at all, reads as empty.
const text = z
  .string()
  .catch('')
  .optional()
  .transform((value) => value ?? '')
const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .catch(undefined)
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))

const subscriberFormSchema = z.object({ url: text, name: text, eventTypes: oneOrMany })

export interface SubscriberFormInput {
  readonly url: string
  readonly name: string
  readonly eventTypes: readonly string[]
}

export const EMPTY_SUBSCRIBER_FORM: SubscriberFormInput = { url: '', name: '', eventTypes: [] }

export function readSubscriberForm(body: unknown): { input: SubscriberFormInput; subscriber: NewSubscriber } {
  const input = subscriberFormSchema.parse(body ?? {})
  return { input, subscriber: { url: input.url, name: input.name, eventTypes: input.eventTypes } }
}

const replayFormSchema = z.object({
  'from-day': text,
  'from-month': text,
  'from-year': text,
  time: text,
})

export interface ReplayFormInput {
  readonly day: string
  readonly month: string
  readonly year: string
  readonly time: string
}

export const EMPTY_REPLAY_FORM: ReplayFormInput = { day: '', month: '', year: '', time: '' }

export type ReadReplayForm =
  | { readonly ok: true; readonly from: Date }
  | { readonly ok: false; readonly input: ReplayFormInput; readonly problems: readonly ReplayProblem[] }

/** The instant to replay from: a date and a 24-hour time in London (midnight when no time is given). */
export function readReplayForm(body: unknown, now: Date): ReadReplayForm {
  const posted = replayFormSchema.parse(body ?? {})
  const input = {
    day: posted['from-day'].trim(),
    month: posted['from-month'].trim(),
    year: posted['from-year'].trim(),
    time: posted.time.trim(),
  }
  const problems: ReplayProblem[] = []
  const date =
    /^\d{1,2}$/.test(input.day) && /^\d{1,2}$/.test(input.month) && /^\d{4}$/.test(input.year)
      ? isoDateFromParts(Number(input.year), Number(input.month), Number(input.day))
      : undefined
  if (input.day === '' && input.month === '' && input.year === '') {
    problems.push({ field: 'from', code: 'replayDateMissing' })
  } else if (date === undefined) {
    problems.push({ field: 'from', code: 'replayDateInvalid' })
  }
  const time = input.time === '' ? ['0', '0'] : /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(input.time)?.slice(1)
  if (!time) problems.push({ field: 'time', code: 'replayTimeInvalid' })
  if (problems.length > 0 || !date || !time) return { ok: false, input, problems }
  const from = londonInstant(date, Number(time[0]), Number(time[1]))
  if (from.getTime() > now.getTime()) {
    return { ok: false, input, problems: [{ field: 'from', code: 'replayInFuture' }] }
  }
  return { ok: true, from }
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

/** London's offset from UTC at an instant, in milliseconds (0 in winter, an hour in summer). */
function londonOffsetAt(instant: number): number {
  const part = (type: string) =>
    Number(londonParts.formatToParts(new Date(instant)).find((p) => p.type === type)?.value)
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - instant
}

/** The instant a London wall-clock time names (in the hour the clocks go back, the first of the two). */
function londonInstant(date: string, hour: number, minute: number): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const asUtc = Date.UTC(year, month - 1, day, hour, minute)
  const first = asUtc - londonOffsetAt(asUtc)
  return new Date(asUtc - londonOffsetAt(first))
}
