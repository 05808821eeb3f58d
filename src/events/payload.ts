/**
 * A decision event as other systems receive it: the same JSON in a webhook
 * and in the pull feed. The webhook's body follows the Standard Webhooks
 * shape ({ type, timestamp, data }); its webhook-id is the event's stable
 * ID, so a receiver that sees a retry can tell it has had it.
 */
import type { DecisionEvent } from './event-types.ts'

/** The event's stable ID: the same in every delivery, retry and replay. */
export function eventIdOf(event: Pick<DecisionEvent, 'eventId'>): string {
  return `evt_${event.eventId}`
}

export interface EventData {
  readonly id: string
  readonly taskId: number
  /** The task's version this change made: a receiver can apply them in order and skip one it has. */
  readonly taskVersion: number
  readonly status: DecisionEvent['status']
  readonly occurredAt: string
  readonly personId: string
  readonly taskType: string
  readonly region: string
  readonly madeBy: DecisionEvent['madeBy']
  readonly reasons: readonly string[] | null
  readonly details: string | null
  readonly contest: DecisionEvent['contest']
}

export interface EventMessage {
  readonly type: DecisionEvent['type']
  readonly timestamp: string
  readonly data: EventData
}

export function eventMessage(event: DecisionEvent): EventMessage {
  const occurredAt = event.occurredAt.toISOString()
  return {
    type: event.type,
    timestamp: occurredAt,
    data: {
      id: eventIdOf(event),
      taskId: event.taskId,
      taskVersion: event.taskVersion,
      status: event.status,
      occurredAt,
      personId: event.personId,
      taskType: event.taskType,
      region: event.region,
      madeBy: event.madeBy,
      reasons: event.reasons,
      details: event.details,
      contest: event.contest,
    },
  }
}
