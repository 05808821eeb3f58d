/**
 * The Event subscribers pages in words: each subscriber as a card (where
 * its events go, which types, what was delivered, its failures and how far
 * behind it is), the form that adds one, and the replay form.
 */
import { EVENT_TYPES } from '../../events/event-types.ts'
import type { SubscriberWithLag } from '../../events/service.ts'
import type { Subscriber } from '../../events/subscribers.ts'
import type { ReplayFormInput, SubscriberFormInput } from '../forms/subscriber-form.ts'
import { paths } from '../paths.ts'
import { EVENT_TYPE_WORDS } from '../subscriber-messages.ts'
import { auditTime } from './audit.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'

export interface SubscriberCard {
  readonly id: number
  readonly name: string
  readonly url: string
  readonly receives: string
  readonly added: string
  readonly paused: boolean
  readonly delivered: string
  /** Undefined while deliveries succeed. */
  readonly failing: string | undefined
  readonly waiting: string
  readonly pauseAction: string
  readonly resumeAction: string
  readonly replayHref: string
  readonly removeHref: string
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`

function receivesText(subscriber: Pick<Subscriber, 'eventTypes'>): string {
  return subscriber.eventTypes === null
    ? 'Every event'
    : subscriber.eventTypes.map((type) => EVENT_TYPE_WORDS[type]).join(', ')
}

/** "5 minutes", "3 hours", "2 days": how long ago, roughly, for how far behind a subscriber is. */
export function ageText(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000))
  if (minutes < 1) return 'less than a minute'
  if (minutes < 120) return count(minutes, 'minute', 'minutes')
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? count(hours, 'hour', 'hours') : count(Math.floor(hours / 24), 'day', 'days')
}

export function subscriberCards(subscribers: readonly SubscriberWithLag[], now: Date): SubscriberCard[] {
  return subscribers.map((s) => ({
    id: s.id,
    name: s.name,
    url: s.url,
    receives: receivesText(s),
    added: `${auditTime(s.createdAt)}${s.createdBy ? ` by ${s.createdBy}` : ' by a command'}`,
    paused: s.state === 'paused',
    delivered:
      s.deliveredCount === 0
        ? 'None yet'
        : `${count(s.deliveredCount, 'event', 'events')}, the last at ${auditTime(s.lastDeliveredAt ?? s.createdAt)}`,
    failing:
      s.failedAttempts === 0
        ? undefined
        : `${count(s.failedAttempts, 'failed attempt', 'failed attempts')} in a row, the last at ${auditTime(s.lastFailedAt ?? s.createdAt)}: ${s.lastError ?? 'no reason recorded'}`,
    waiting:
      s.lag.count === 0
        ? 'None: up to date'
        : `${count(s.lag.count, 'event', 'events')}, the oldest from ${ageText(s.lag.oldest ?? now, now)} ago`,
    pauseAction: paths.subscriberPause(String(s.id)),
    resumeAction: paths.subscriberResume(String(s.id)),
    replayHref: paths.subscriberReplay(String(s.id)),
    removeHref: paths.subscriberRemove(String(s.id)),
  }))
}

export interface SubscriberFormPage extends FormErrors {
  readonly values: SubscriberFormInput
  readonly typeItems: readonly { value: string; text: string; hint: { text: string }; checked: boolean }[]
}

export function subscriberFormPage(
  values: SubscriberFormInput,
  problems: readonly FormProblem[],
): SubscriberFormPage {
  return {
    ...formErrors(problems, { eventTypes: 'eventTypes' }),
    values,
    typeItems: EVENT_TYPES.map((type) => ({
      value: type,
      text: EVENT_TYPE_WORDS[type],
      hint: { text: type },
      checked: values.eventTypes.includes(type),
    })),
  }
}

export interface SubscriberSummary {
  readonly id: number
  readonly name: string
  readonly url: string
  readonly receives: string
}

export function subscriberSummary(subscriber: Subscriber): SubscriberSummary {
  return { id: subscriber.id, name: subscriber.name, url: subscriber.url, receives: receivesText(subscriber) }
}

export interface ReplayFormPage extends FormErrors {
  readonly values: ReplayFormInput
}

export function replayFormPage(values: ReplayFormInput, problems: readonly FormProblem[]): ReplayFormPage {
  return { ...formErrors(problems, { from: 'from-day' }), values }
}
