/**
 * The systems that receive decision events as webhooks: adding one (its
 * signing secret shown once), pausing, resuming, removing it, and replaying
 * its deliveries from a point in time. Each change is audited in its own
 * transaction; a refused one writes nothing.
 */
import { randomBytes } from 'node:crypto'
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import { type JobRetriedBy, recordAuditEvent } from '../audit/events.ts'
import type { EventSubscriberRow } from '../db/tables/events.ts'
import type { Tables } from '../db/tables.ts'
import type { EventTables } from './event-tables.ts'
import { changesOf, type EventType, type FeedPosition, isEventType } from './event-types.ts'
import { feedEnd } from './feed.ts'
import {
  checkSubscriberUrl,
  resolvedUrlProblem,
  type ServiceAddress,
  type SubscriberUrlProblem,
} from './subscriber-url.ts'

/** Who made a change: an administrator on the page, or a command and its operating-system account. */
export type SubscriberChangedBy = JobRetriedBy

export const MAX_SUBSCRIBER_NAME_LENGTH = 100

export type SubscriberProblem =
  | SubscriberUrlProblem
  | { readonly field: 'name'; readonly code: 'tooLong'; readonly params: { readonly maxLength: number } }
  | {
      readonly field: 'eventTypes'
      readonly code: 'unknownEventType'
      readonly params: { readonly type: string }
    }

export interface NewSubscriber {
  readonly url: string
  /** Defaults to the URL's host. */
  readonly name?: string | undefined
  /** Only these types; empty or absent for every type. */
  readonly eventTypes?: readonly string[] | undefined
}

export interface Subscriber {
  readonly id: number
  readonly name: string
  readonly url: string
  readonly eventTypes: readonly EventType[] | null
  readonly state: 'active' | 'paused'
  readonly createdAt: Date
  readonly createdBy: string | null
  readonly delivered: FeedPosition
  readonly deliveredCount: number
  readonly lastDeliveredAt: Date | null
  /** Failed attempts since the last success. */
  readonly failedAttempts: number
  readonly lastError: string | null
  readonly lastFailedAt: Date | null
}

export type AddSubscriberResult =
  | { readonly kind: 'added'; readonly subscriber: Subscriber; readonly secret: string }
  | { readonly kind: 'invalid'; readonly problems: readonly SubscriberProblem[] }

export interface Change {
  readonly by: SubscriberChangedBy
  readonly at: Date
}

export function subscriberDb(db: Kysely<Tables>): Kysely<Tables & EventTables> {
  return db.withTables<EventTables>()
}

/** A Standard Webhooks signing secret: whsec_ and 24 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

export function checkNewSubscriber(
  input: NewSubscriber,
  service: ServiceAddress,
):
  | { ok: true; url: string; name: string; eventTypes: EventType[] | null }
  | { ok: false; problems: SubscriberProblem[] } {
  const problems: SubscriberProblem[] = []
  const url = checkSubscriberUrl(input.url, service)
  if (!url.ok) problems.push(url.problem)
  const name = input.name?.trim() ?? ''
  if (name.length > MAX_SUBSCRIBER_NAME_LENGTH) {
    problems.push({ field: 'name', code: 'tooLong', params: { maxLength: MAX_SUBSCRIBER_NAME_LENGTH } })
  }
  const types = [...new Set(input.eventTypes ?? [])]
  const unknown = types.find((type) => !isEventType(type))
  if (unknown !== undefined)
    problems.push({ field: 'eventTypes', code: 'unknownEventType', params: { type: unknown } })
  if (!url.ok || problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    url: url.url,
    name: name === '' ? new URL(url.url).host : name,
    eventTypes: types.length === 0 ? null : (types as EventType[]),
  }
}

/** Adds a subscriber that receives events from now on (replay reaches back further). */
export async function addSubscriber(
  database: Kysely<Tables>,
  input: NewSubscriber,
  service: ServiceAddress,
  change: Change,
): Promise<AddSubscriberResult> {
  const checked = checkNewSubscriber(input, service)
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems }
  const resolved = await resolvedUrlProblem(checked.url, service)
  if (resolved) return { kind: 'invalid', problems: [resolved] }
  const secret = newSecret()
  const db = subscriberDb(database)
  const row = await db.transaction().execute(async (trx) => {
    const end = await feedEnd(trx)
    const added = await trx
      .insertInto('event_subscribers')
      .values({
        name: checked.name,
        url: checked.url,
        secret,
        event_types: checked.eventTypes,
        created_at: change.at,
        created_by: change.by.userId,
        delivered_pass: end.pass,
        delivered_event_id: end.eventId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAuditEvent(trx, {
      kind: 'subscriber-added',
      at: change.at,
      subscriberId: added.id,
      name: added.name,
      url: added.url,
      eventTypes: checked.eventTypes,
      ...change.by,
    })
    return added
  })
  return { kind: 'added', subscriber: toSubscriber(row), secret }
}

export async function listSubscribers(database: Kysely<Tables>): Promise<Subscriber[]> {
  const rows = await subscriberDb(database)
    .selectFrom('event_subscribers')
    .selectAll()
    .orderBy('id')
    .execute()
  return rows.map(toSubscriber)
}

/** The subscriber; with its signing secret only for the deliveries that sign with it. */
export async function findSubscriber(database: Kysely<Tables>, id: number): Promise<Subscriber | undefined>
export async function findSubscriber(
  database: Kysely<Tables>,
  id: number,
  options: { readonly withSecret: true },
): Promise<(Subscriber & { readonly secret: string }) | undefined>
export async function findSubscriber(
  database: Kysely<Tables>,
  id: number,
  options?: { readonly withSecret: true },
): Promise<Subscriber | (Subscriber & { readonly secret: string }) | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  const row = await subscriberDb(database)
    .selectFrom('event_subscribers')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  return options?.withSecret ? { ...toSubscriber(row), secret: row.secret } : toSubscriber(row)
}

export type ChangeOutcome = 'changed' | 'unchanged' | 'not-found'

/**
 * `work` in a transaction holding the subscriber's row (a delivery's
 * progress, written by compare-and-set, waits for it or loses to it);
 * undefined when there is no such subscriber.
 */
async function withSubscriberLocked<T>(
  database: Kysely<Tables>,
  id: number,
  work: (trx: Transaction<Tables & EventTables>, row: Selectable<EventSubscriberRow>) => Promise<T>,
): Promise<T | undefined> {
  if (!Number.isSafeInteger(id)) return undefined
  return subscriberDb(database)
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .selectFrom('event_subscribers')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst()
      return row ? work(trx, row) : undefined
    })
}

/** Pauses deliveries (events wait, and are delivered once resumed) or resumes them. */
export async function setSubscriberPaused(
  database: Kysely<Tables>,
  id: number,
  paused: boolean,
  change: Change,
): Promise<ChangeOutcome> {
  const outcome = await withSubscriberLocked(database, id, async (trx, row) => {
    const state = paused ? 'paused' : 'active'
    if (row.state === state) return 'unchanged'
    await trx
      .updateTable('event_subscribers')
      .set({ state, failed_attempts: 0 })
      .where('id', '=', id)
      .execute()
    await recordAuditEvent(trx, {
      kind: 'subscriber-changed',
      at: change.at,
      subscriberId: id,
      change: paused ? 'paused' : 'resumed',
      ...change.by,
    })
    return 'changed'
  })
  return outcome ?? 'not-found'
}

export async function removeSubscriber(
  database: Kysely<Tables>,
  id: number,
  change: Change,
): Promise<ChangeOutcome> {
  const outcome = await withSubscriberLocked(database, id, async (trx, row) => {
    await trx.deleteFrom('event_subscribers').where('id', '=', id).execute()
    await recordAuditEvent(trx, {
      kind: 'subscriber-removed',
      at: change.at,
      subscriberId: id,
      name: row.name,
      url: row.url,
      ...change.by,
    })
    return 'changed' as const
  })
  return outcome ?? 'not-found'
}

export type ReplayResult =
  | { readonly kind: 'replayed'; readonly pending: boolean }
  | { readonly kind: 'not-found' }

/**
 * Delivers again from the first event (in the feed's order) that occurred
 * at or after `from`; with none, from the end of the feed. Receivers see
 * the events again with the same webhook-id, so they can tell.
 */
export async function replaySubscriber(
  database: Kysely<Tables>,
  id: number,
  from: Date,
  change: Change,
): Promise<ReplayResult> {
  const outcome = await withSubscriberLocked(database, id, async (trx) => {
    const first = await firstPositionFrom(trx, from)
    const position = first ? { pass: first.pass, eventId: first.eventId - 1 } : await feedEnd(trx)
    await trx
      .updateTable('event_subscribers')
      .set({ delivered_pass: position.pass, delivered_event_id: position.eventId, failed_attempts: 0 })
      .where('id', '=', id)
      .execute()
    await recordAuditEvent(trx, {
      kind: 'subscriber-replayed',
      at: change.at,
      subscriberId: id,
      from: from.toISOString(),
      ...change.by,
    })
    return { kind: 'replayed', pending: first !== undefined } as const
  })
  return outcome ?? { kind: 'not-found' }
}

/** The feed position of the first event that occurred at or after `from`, pass by pass. */
async function firstPositionFrom(
  db: Kysely<Tables & EventTables>,
  from: Date,
): Promise<FeedPosition | undefined> {
  const { rows } = await sql<{ pass: number; event_id: number }>`
    select p.pass, e.event_id
    from event_passes p
    cross join lateral (
      select min(e.id) as event_id from feed_events e
      where e.id between p.first_event_id and p.last_event_id
        and e.xid >= p.xid_from and e.xid < p.xid_to and e.occurred_at >= ${from}
    ) e
    where e.event_id is not null
    order by p.pass
    limit 1`.execute(db)
  const row = rows[0]
  return row ? { pass: row.pass, eventId: row.event_id } : undefined
}

export interface SubscriberLag {
  /** Events sequenced but not yet delivered (of the types it receives). */
  readonly count: number
  /** When the oldest of them occurred; null when there are none. */
  readonly oldest: Date | null
}

export async function lagOf(database: Kysely<Tables>, subscriber: Subscriber): Promise<SubscriberLag> {
  const { pass, eventId } = subscriber.delivered
  const changes = subscriber.eventTypes === null ? null : changesOf(subscriber.eventTypes)
  const { rows } = await sql<{ count: number; oldest: Date | null }>`
    select count(*)::int as count, min(e.occurred_at) as oldest
    from event_passes p
    join feed_events e on e.id between p.first_event_id and p.last_event_id
      and e.xid >= p.xid_from and e.xid < p.xid_to
    where (p.pass > ${pass} or (p.pass = ${pass} and e.id > ${eventId}))
      and (${changes}::text[] is null or e.change = any(${changes}::text[]))`.execute(subscriberDb(database))
  const row = rows[0]
  return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null }
}

function toSubscriber(row: Selectable<EventSubscriberRow>): Subscriber {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    eventTypes: row.event_types === null ? null : row.event_types.filter(isEventType),
    state: row.state,
    createdAt: row.created_at,
    createdBy: row.created_by,
    delivered: { pass: row.delivered_pass, eventId: row.delivered_event_id },
    deliveredCount: row.delivered_count,
    lastDeliveredAt: row.last_delivered_at,
    failedAttempts: row.failed_attempts,
    lastError: row.last_error,
    lastFailedAt: row.last_failed_at,
  }
}
