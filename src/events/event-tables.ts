/** The tables of decision events, beside the service's: `db.withTables<EventTables>()`. */
import type { EventPassRow, EventSequencerRow, EventSubscriberRow } from '../db/tables/events.ts'

// A type, not an interface: withTables asks for an index signature, which only a type alias has implicitly.
export type EventTables = {
  event_passes: EventPassRow
  event_sequencer: EventSequencerRow
  event_subscribers: EventSubscriberRow
}
