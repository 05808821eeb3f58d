/**
 * Reading the feed of decision events in its order (src/events/sequencer.ts):
 * by pass, then by event ID within it, from just after a position. What the
 * pull feed and the webhook deliveries both read.
 */
import { type Kysely, sql } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import type { Tables, TaskStatus } from '../db/tables.ts'
import type { EventTables } from './event-tables.ts'
import {
  type DecisionEvent,
  type EventType,
  eventTypeOf,
  type FeedPosition,
  isBefore,
  statusesOf,
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
  occurred_at: Date
  user_id: string | null
  run_id: number | null
  rule_set_version: string | null
  reasons: string[] | null
  details: string | null
  person_id: string
  task_type: string
  rom_region: string
}

export async function readFeed(database: Kysely<Tables>, query: FeedQuery): Promise<FeedPage> {
  const db = database.withTables<EventTables>()
  // The last pass first: the page reads no further, so a pass that commits meanwhile is read next time.
  const last = await db
    .selectFrom('event_passes')
    .select(['pass', 'last_event_id'])
    .orderBy('pass', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!last || !isBefore(query.after, { pass: last.pass, eventId: last.last_event_id })) {
    return { events: [], next: query.after }
  }
  const { after, limit } = query
  const regions = query.regions.all ? null : [...query.regions.codes]
  const statuses = query.types === null ? null : statusesOf(query.types)
  const { rows } = await sql<FeedRow>`
    select p.pass, e.*
    from event_passes p
    cross join lateral (
      select e.id, e.task_id, e.task_version, e.status, e.occurred_at, e.user_id, e.run_id,
        e.rule_set_version, e.reasons, e.details, t.person_id, t.task_type, t.rom_region
      from task_events e
      join tasks t on t.id = e.task_id
      where e.id between p.first_event_id and p.last_event_id
        and e.xid >= p.xid_from and e.xid < p.xid_to
        and (p.pass > ${after.pass} or e.id > ${after.eventId})
        and (${regions}::text[] is null or t.rom_region = any(${regions}::text[]))
        and (${statuses}::text[] is null or e.status = any(${statuses}::text[]))
      order by e.id
      limit ${limit}
    ) e
    where p.pass >= ${after.pass} and p.pass <= ${last.pass}
    order by p.pass, e.id
    limit ${limit}`.execute(db)
  const events = rows.map(toEvent)
  const lastRow = rows.at(-1)
  const next =
    rows.length === limit && lastRow
      ? { pass: lastRow.pass, eventId: lastRow.id }
      : { pass: last.pass, eventId: last.last_event_id }
  return { events, next }
}

function toEvent(row: FeedRow): DecisionEvent {
  return {
    position: { pass: row.pass, eventId: row.id },
    eventId: row.id,
    type: eventTypeOf(row.status),
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
  }
}
