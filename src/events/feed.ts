/**
 * Reading the feed of decision events in its order (src/events/sequencer.ts):
 * by pass, then by event ID within it, from just after a position. What the
 * pull feed and the webhook deliveries both read.
 */
import { type Kysely, type Selectable, sql } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import type { EventPassRow } from '../db/tables/events.ts'
import type { Tables, TaskStatus } from '../db/tables.ts'
import type { EventTables } from './event-tables.ts'
import {
  type Change,
  changesOf,
  type DecisionEvent,
  type EventType,
  eventTypeOf,
  FEED_START,
  type FeedPosition,
  isBefore,
} from './event-types.ts'

export interface FeedQuery {
  readonly after: FeedPosition
  readonly limit: number
  /** Only events of tasks in these regions (a client's or a user's scope). */
  readonly regions: RegionScope
  /** Only these types; null for all. */
  readonly types: readonly EventType[] | null
}

export interface FeedPage {
  readonly events: readonly DecisionEvent[]
  /**
   * Where the next page starts: after the last event given, or, when the
   * page is not full, after everything sequenced when it was read (events
   * outside the regions or types asked for are passed over, not read again).
   */
  readonly next: FeedPosition
}

interface FeedRow {
  pass: number
  id: number
  task_id: number
  task_version: number
  status: TaskStatus
  change: Change
  occurred_at: Date
  user_id: string | null
  run_id: number | null
  rule_set_version: string | null
  reasons: string[] | null
  details: string | null
  person_id: string
  task_type: string
  rom_region: string
  contest_id: number | null
  contest_received_on: string | null
  contest_channel: string | null
  contest_made_by: 'PERSON' | 'REPRESENTATIVE' | null
  contest_outcome: 'UPHELD' | 'CHANGED' | null
}

export async function readFeed(database: Kysely<Tables>, query: FeedQuery): Promise<FeedPage> {
  const db = database.withTables<EventTables>()
  // The end first: the page reads no further, so a pass that commits meanwhile is read next time.
  const end = await feedEnd(db)
  if (!isBefore(query.after, end)) return { events: [], next: query.after }
  const { after, limit } = query
  const regions = query.regions.all ? null : [...query.regions.codes]
  const changes = query.types === null ? null : changesOf(query.types)
  const filters = { regions, changes }
  const rows: FeedRow[] = []
  // Pass by pass, each read by its own range of IDs: one ordered scan of the key that stops at the
  // page's end, whatever the planner knows of a table a run has just filled.
  for (let from = after.pass; rows.length < limit && from <= end.pass; ) {
    const passes = await db
      .selectFrom('event_passes')
      .selectAll()
      .where('pass', '>=', from)
      .where('pass', '<=', end.pass)
      .orderBy('pass')
      .limit(PASSES_PER_LOOK)
      .execute()
    for (const pass of passes) {
      const above =
        pass.pass === after.pass ? Math.max(after.eventId, pass.first_event_id - 1) : pass.first_event_id - 1
      rows.push(...(await eventsOfPass(db, pass, above, limit - rows.length, filters)))
      if (rows.length >= limit) break
    }
    if (passes.length < PASSES_PER_LOOK) break
    from = (passes.at(-1)?.pass ?? end.pass) + 1
  }
  const events = rows.map(toEvent)
  const lastRow = rows.at(-1)
  const next = rows.length === limit && lastRow ? { pass: lastRow.pass, eventId: lastRow.id } : end
  return { events, next }
}

const PASSES_PER_LOOK = 100

/**
 * Up to `limit` events of one pass with IDs above `above`, in ID order.
 * The bounds are written into the statement, not bound as parameters, so
 * that its plan is made for them (they are numbers from the feed's own
 * rows).
 */
async function eventsOfPass(
  db: Kysely<Tables & EventTables>,
  pass: Selectable<EventPassRow>,
  above: number,
  limit: number,
  filters: { regions: string[] | null; changes: string[] | null },
): Promise<FeedRow[]> {
  const { regions, changes } = filters
  const { rows } = await sql<FeedRow>`
    select ${sql.lit(pass.pass)}::bigint as pass, e.id, e.task_id, e.task_version, e.status, e.change,
      e.occurred_at, e.user_id, e.run_id, e.rule_set_version, e.reasons, e.details, t.person_id, t.task_type,
      t.rom_region, e.contest_id, e.contest_received_on, e.contest_channel, e.contest_made_by, e.contest_outcome
    from feed_events e
    join tasks t on t.id = e.task_id
    where e.id > ${sql.lit(above)} and e.id <= ${sql.lit(pass.last_event_id)}
      and e.xid >= ${sql.lit(pass.xid_from)} and e.xid < ${sql.lit(pass.xid_to)}
      and (${regions}::text[] is null or t.rom_region = any(${regions}::text[]))
      and (${changes}::text[] is null or e.change = any(${changes}::text[]))
    order by e.id
    limit ${sql.lit(limit)}`.execute(db)
  return rows
}

/** After the last event sequenced so far: where a subscriber added now starts. */
export async function feedEnd(db: Kysely<Tables & EventTables>): Promise<FeedPosition> {
  const last = await db
    .selectFrom('event_passes')
    .select(['pass', 'last_event_id'])
    .orderBy('pass', 'desc')
    .limit(1)
    .executeTakeFirst()
  return last ? { pass: last.pass, eventId: last.last_event_id } : FEED_START
}

function toEvent(row: FeedRow): DecisionEvent {
  return {
    position: { pass: row.pass, eventId: row.id },
    eventId: row.id,
    type: eventTypeOf(row.change),
    taskId: row.task_id,
    taskVersion: row.task_version,
    status: row.status,
    occurredAt: new Date(row.occurred_at),
    personId: row.person_id,
    taskType: row.task_type,
    region: row.rom_region,
    madeBy:
      row.user_id !== null
        ? { kind: 'user', userId: row.user_id }
        : { kind: 'rule-run', runId: row.run_id ?? 0, ruleSetVersion: row.rule_set_version ?? '' },
    reasons: row.reasons,
    details: row.details,
    contest:
      row.contest_id === null
        ? null
        : {
            id: row.contest_id,
            receivedOn: row.contest_received_on ?? '',
            channel: row.contest_channel ?? '',
            from: row.contest_made_by ?? 'PERSON',
            outcome: row.contest_outcome,
          },
  }
}
