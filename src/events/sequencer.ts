/**
 * The sequencer: numbers decision events in an order no late commit can
 * fall behind (docs/decisions/0022-decision-events.md).
 *
 * task_events is the outbox: each status change's event is written in the
 * change's transaction, with that transaction's ID (migration 0025), and so
 * is contest_events, a contest's (migration 0028), its IDs from the same
 * sequence: the view feed_events reads both as one. Event
 * IDs come from a sequence, so a reader of "ID above my cursor" would skip
 * an event whose transaction took its ID early and committed late. A pass
 * instead takes every transaction below the snapshot's horizon (xmin: the
 * oldest still running, so every one below it has committed or rolled
 * back, and none can add an event there) and at or above the previous
 * pass's horizon, and records them as the next pass. Within a pass the
 * events go by ID, which for one task is the order of its versions (each
 * writer locks the task's row before it writes the event, so a second
 * writer's event always comes later). Transaction IDs are not commit order
 * either: a transaction below the horizon may have changed a task after
 * one above it did (an older transaction still running keeps the later
 * one above). Such a transaction waits for a later pass (the horizon is
 * lowered below it), so each task's events reach the feed in the order of
 * its versions. Passes are numbered under one advisory lock, so they
 * commit in order too: (pass, event ID) only grows.
 *
 * One row per pass, not per event: a rule run's million events cost the
 * sequencer one small row.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { EventTables } from './event-tables.ts'

/** One sequencer at a time across every instance and command. */
const SEQUENCER_LOCK_KEY = `hashtext('ipic:event-sequencer')`

export type SequencerOutcome =
  | { readonly kind: 'sequenced'; readonly pass: number; readonly events: number }
  | { readonly kind: 'nothing-new' }
  /** Another process was sequencing: it takes these events. */
  | { readonly kind: 'busy' }

/** One pass: the events of every transaction that has finished since the last. */
export async function sequenceEvents(database: Kysely<Tables>): Promise<SequencerOutcome> {
  const db = database.withTables<EventTables>()
  return db.transaction().execute(async (trx) => {
    const { rows: locked } = await sql<{ got: boolean }>`
      select pg_try_advisory_xact_lock(${sql.raw(SEQUENCER_LOCK_KEY)}) as got`.execute(trx)
    if (locked[0]?.got !== true) return { kind: 'busy' } as const
    // Read before this transaction writes anything, so that it has no ID of its own to hold the horizon back.
    const { rows: horizons } = await sql<{ horizon: number; previous: number }>`
      select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as horizon,
        (select horizon from event_sequencer) as previous`.execute(trx)
    const { horizon: xmin, previous } = horizons[0] ?? { horizon: 0, previous: 0 }
    const horizon = await horizonKeepingTaskOrder(trx, previous, xmin)
    if (horizon <= previous) return { kind: 'nothing-new' } as const
    const { rows } = await sql<{ pass: number; events: number }>`
      with found as (
        select min(id) as first_id, max(id) as last_id, count(*) as events
        from feed_events where xid >= ${previous} and xid < ${horizon}
      ), pass as (
        insert into event_passes (xid_from, xid_to, first_event_id, last_event_id, events)
        select ${previous}, ${horizon}, first_id, last_id, events from found where events > 0
        returning pass, events
      ), moved as (
        update event_sequencer set horizon = ${horizon}
      )
      select pass, events from pass`.execute(trx)
    const pass = rows[0]
    return pass ? ({ kind: 'sequenced', ...pass } as const) : ({ kind: 'nothing-new' } as const)
  })
}

/**
 * The highest horizon, at most `xmin`, below which no transaction wrote an
 * event of a task that a transaction at or above it had already changed
 * (an event with a lower ID for the same task). Each lowering can bring
 * more transactions above the horizon, so it is checked again; a handful of
 * rounds at most, as it only ever falls.
 */
async function horizonKeepingTaskOrder(
  trx: Kysely<EventTables & Tables>,
  previous: number,
  xmin: number,
): Promise<number> {
  let horizon = xmin
  while (horizon > previous) {
    const { rows } = await sql<{ before: number | null }>`
      select min(taken.xid) as before
      from feed_events taken
      join feed_events waiting on waiting.task_id = taken.task_id and waiting.id < taken.id
      where taken.xid >= ${previous} and taken.xid < ${horizon} and waiting.xid >= ${horizon}`.execute(trx)
    const before = rows[0]?.before ?? null
    if (before === null) return horizon
    horizon = before
  }
  return horizon
}
