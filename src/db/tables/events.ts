/**
 * Row types of decision events for other systems (migration 0025): the
 * sequencer's passes over task_events, and the subscribers that receive them.
 */
import type { Generated } from 'kysely'
import type { Timestamp, WithDefault } from './columns.ts'

/** The transactions one sequencer pass took, and the event IDs they wrote. */
export interface EventPassRow {
  pass: Generated<number>
  xid_from: number
  xid_to: number
  first_event_id: number
  last_event_id: number
  events: number
  sequenced_at: WithDefault<Date>
}

/** The one row saying where the sequencer's next pass starts. */
export interface EventSequencerRow {
  only_row: WithDefault<boolean>
  horizon: number
}

export type SubscriberState = 'active' | 'paused'

/** A system receiving the events as webhooks, and how far its deliveries have come. */
export interface EventSubscriberRow {
  id: Generated<number>
  name: string
  url: string
  /** The Standard Webhooks signing secret (whsec_…), shown once when it was added. */
  secret: string
  /** The event types it receives; null for every type. */
  event_types: string[] | null
  state: WithDefault<SubscriberState>
  created_at: Timestamp
  created_by: string | null
  delivered_pass: number
  delivered_event_id: number
  delivered_count: WithDefault<number>
  last_delivered_at: Timestamp | null
  failed_attempts: WithDefault<number>
  last_error: string | null
  last_failed_at: Timestamp | null
}
