/**
 * What a decision event says, and its type's name for other systems: one
 * per status a task can move to. The payload is built from this
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

const TYPE_OF_STATUS = {
  RECOMMENDED: 'task.recommended',
  ACCEPTED: 'task.accepted',
  REJECTED: 'task.rejected',
  ON_HOLD: 'task.held',
  WITHDRAWN: 'task.withdrawn',
} as const satisfies Record<TaskStatus, string>

export type EventType = (typeof TYPE_OF_STATUS)[TaskStatus]

export const EVENT_TYPES = Object.values(TYPE_OF_STATUS) as EventType[]

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as string[]).includes(value)
}

export function eventTypeOf(status: TaskStatus): EventType {
  return TYPE_OF_STATUS[status]
}

export function statusesOf(types: readonly EventType[]): TaskStatus[] {
  return (Object.keys(TYPE_OF_STATUS) as TaskStatus[]).filter((status) =>
    types.includes(TYPE_OF_STATUS[status]),
  )
}

/** Who made the change: a caseworker, or a rule run. */
export type MadeBy =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'rule-run'; readonly runId: number; readonly ruleSetVersion: string }

export interface DecisionEvent {
  readonly position: FeedPosition
  /** task_events.id: the event's stable identity, the same in every delivery and every page. */
  readonly eventId: number
  readonly type: EventType
  readonly taskId: number
  readonly taskVersion: number
  readonly status: TaskStatus
  readonly occurredAt: Date
  readonly personId: string
  readonly taskType: string
  readonly region: string
  readonly madeBy: MadeBy
  /** Rejection reason codes; null for other statuses. */
  readonly reasons: readonly string[] | null
  /** The caseworker's details of a rejection; null otherwise. */
  readonly details: string | null
}
