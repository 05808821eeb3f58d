/**
 * What a decision event says, and its type's name for other systems: one
 * per status a task can move to, and one each for a contest being recorded
 * and decided. The payload is built from this
 * (src/events/payload.ts), for the webhooks and the pull feed alike.
 */
import type { TaskStatus } from '../db/tables.ts'

/** A place in the feed (src/events/sequencer.ts): the last event read. */
export interface FeedPosition {
  readonly pass: number
  readonly eventId: number
}

/** Before the first event. */
export const FEED_START: FeedPosition = { pass: 0, eventId: 0 }

/** Whether `a` comes before `b` in the feed. */
export function isBefore(a: FeedPosition, b: FeedPosition): boolean {
  return a.pass < b.pass || (a.pass === b.pass && a.eventId < b.eventId)
}

/** What a contest's event records (migration 0028): it changes no status. */
export type ContestChange = 'CONTESTED' | 'CONTEST_DECIDED'

/** What an event records: the status a task moved to, or a contest recorded or decided. */
export type Change = TaskStatus | ContestChange

const TYPE_OF_CHANGE = {
  RECOMMENDED: 'task.recommended',
  ACCEPTED: 'task.accepted',
  REJECTED: 'task.rejected',
  ON_HOLD: 'task.held',
  WITHDRAWN: 'task.withdrawn',
  CONTESTED: 'task.contested',
  CONTEST_DECIDED: 'task.contest-decided',
} as const satisfies Record<Change, string>

export type EventType = (typeof TYPE_OF_CHANGE)[Change]

export const EVENT_TYPES = Object.values(TYPE_OF_CHANGE) as EventType[]

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as string[]).includes(value)
}

export function eventTypeOf(change: Change): EventType {
  return TYPE_OF_CHANGE[change]
}

/** The changes whose events are of these types (the feed's and a subscriber's filter). */
export function changesOf(types: readonly EventType[]): Change[] {
  return (Object.keys(TYPE_OF_CHANGE) as Change[]).filter((change) => types.includes(TYPE_OF_CHANGE[change]))
}

/** Who made the change: a caseworker, or a rule run. */
export type MadeBy =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'rule-run'; readonly runId: number; readonly ruleSetVersion: string }

export interface DecisionEvent {
  readonly position: FeedPosition
  /** task_events.id, or contest_events.id from the same sequence: the event's stable identity, the same in every delivery and every page. */
  readonly eventId: number
  readonly type: EventType
  readonly taskId: number
  /** The version the change made; for a contest's event, the task's version when it was recorded or decided. */
  readonly taskVersion: number
  /** The status set; for a contest's event, the task's status then. */
  readonly status: TaskStatus
  readonly occurredAt: Date
  readonly personId: string
  readonly taskType: string
  readonly region: string
  readonly madeBy: MadeBy
  /** Rejection reason codes; null for other statuses. */
  readonly reasons: readonly string[] | null
  /** The caseworker's details of a rejection, a contest's summary or its outcome's reasons; null otherwise. */
  readonly details: string | null
  /** The contest, for task.contested and task.contest-decided; null for a change of status. */
  readonly contest: ContestFacts | null
}

export interface ContestFacts {
  readonly id: number
  /** The day the representations were received (YYYY-MM-DD). */
  readonly receivedOn: string
  readonly channel: string
  /** Who made them: the person, or someone for them. */
  readonly from: 'PERSON' | 'REPRESENTATIVE'
  /** The review's outcome: null until it is decided. */
  readonly outcome: 'UPHELD' | 'CHANGED' | null
}
