/**
 * Reading the audit trail: events by user, person, kind and London days,
 * newest first, a page at a time; and, for one person, who has seen their
 * record and when.
 *
 * Pages are found by position (keyset), not by counting rows to skip: the
 * next page starts after the last event shown, so page 1,000 of millions
 * costs what page 1 does. Each filter reads its own index in order
 * (migration 0014). A user filter asks for what the user did and what was
 * done to them as two index scans, each stopping after a page, merged.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import type { AuditKind } from './events.ts'

/** What to look for; a filter left out matches everything. Days are London calendar days, both included. */
export interface AuditFilter {
  readonly userId?: string | undefined
  readonly personId?: string | undefined
  readonly kind?: AuditKind | undefined
  readonly from?: IsoDate | undefined
  readonly to?: IsoDate | undefined
}

/** Where a page ends: an event's instant (to the microsecond, as stored) and ID. */
export interface AuditPosition {
  readonly at: string
  readonly id: number
}

/** The page after (older than) a position, the page before (newer than) one, or the newest. */
export type AuditPageRequest =
  | { readonly direction: 'older'; readonly after?: AuditPosition | undefined }
  | { readonly direction: 'newer'; readonly after: AuditPosition }

export interface StoredAuditEvent {
  readonly id: number
  readonly at: Date
  readonly position: AuditPosition
  readonly kind: AuditKind
  readonly userId: string | null
  /** The acting user's name, while they are a user. */
  readonly userName: string | null
  readonly personId: string | null
  readonly taskId: number | null
  readonly subjectUserId: string | null
  /** The API client that acted, or that a change was made to. */
  readonly clientId: string | null
  readonly details: Readonly<Record<string, unknown>>
}

export interface AuditPage {
  readonly events: readonly StoredAuditEvent[]
  /** Where the next (older) page starts; null at the oldest. */
  readonly older: AuditPosition | null
  /** Where the previous (newer) page starts; null at the newest. */
  readonly newer: AuditPosition | null
}

export const AUDIT_PAGE_SIZE = 50

interface EventRow {
  id: number
  at: Date | string
  at_key: string
  kind: string
  user_id: string | null
  user_name: string | null
  person_id: string | null
  task_id: number | null
  subject_user_id: string | null
  client_id: string | null
  details: unknown
}

/** A page of events matching `filter`, newest first. */
export async function findAuditEvents(
  db: Kysely<Tables>,
  filter: AuditFilter,
  request: AuditPageRequest = { direction: 'older' },
  size = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  const rows = await eventRows(db, filter, request, size + 1)
  const more = rows.length > size
  // Back at the newest events: the first page as it is, full, rather than what was left of it.
  if (request.direction === 'newer' && !more) return findAuditEvents(db, filter, { direction: 'older' }, size)
  const shown = rows.slice(0, size)
  // Read towards the newer end, the rows came oldest first.
  const events = (request.direction === 'newer' ? shown.reverse() : shown).map(toEvent)
  const first = events[0]
  const last = events.at(-1)
  const olderExists = request.direction === 'older' ? more : request.after !== undefined
  const newerExists = request.direction === 'newer' ? more : request.after !== undefined
  return {
    events,
    older: olderExists && last ? last.position : null,
    newer: newerExists && first ? first.position : null,
  }
}

/** Every event matching `filter`, newest first, a page at a time: for a download of any length. */
export async function* allAuditEvents(
  db: Kysely<Tables>,
  filter: AuditFilter,
  size = 1000,
): AsyncGenerator<readonly StoredAuditEvent[]> {
  let after: AuditPosition | undefined
  do {
    const page = await findAuditEvents(db, filter, { direction: 'older', after }, size)
    if (page.events.length > 0) yield page.events
    after = page.older ?? undefined
  } while (after)
}

async function eventRows(
  db: Kysely<Tables>,
  filter: AuditFilter,
  request: AuditPageRequest,
  limit: number,
): Promise<EventRow[]> {
  const newer = request.direction === 'newer'
  const order = newer ? sql`order by at, id` : sql`order by at desc, id desc`
  const conditions = [...filterConditions(filter)]
  if (request.after) {
    const { at, id } = request.after
    conditions.push(
      newer
        ? sql`(at, id) > (${at}::timestamptz, ${id}::bigint)`
        : sql`(at, id) < (${at}::timestamptz, ${id}::bigint)`,
    )
  }
  const branch = (userColumn?: 'user_id' | 'subject_user_id' | 'client_id') => {
    const where = userColumn
      ? [sql`${sql.ref(userColumn)} = ${filter.userId}::text`, ...conditions]
      : conditions
    return sql`(select id, at, kind, user_id, person_id, task_id, subject_user_id, client_id, details
      from audit_events ${whereOf(where)} ${order} limit ${limit})`
  }
  // What the user did, and what was done to them: a change to their own account is one event, not two.
  // An API client's ID finds what it did and what was done to it the same way.
  const events = filter.userId
    ? sql`${branch('user_id')} union ${branch('subject_user_id')} union ${branch('client_id')}`
    : branch()
  const result = await sql<EventRow>`
    select e.id, e.at, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key,
      e.kind, e.user_id, u.name as user_name, e.person_id, e.task_id, e.subject_user_id, e.client_id, e.details
    from (${events}) e left join users u on u.id = e.user_id
    ${order} limit ${limit}`.execute(db)
  return result.rows
}

function filterConditions(filter: AuditFilter): RawBuilder<unknown>[] {
  return [
    filter.personId === undefined ? undefined : sql`person_id = ${filter.personId}::text`,
    filter.kind === undefined ? undefined : sql`kind = ${filter.kind}::text`,
    filter.from === undefined
      ? undefined
      : sql`at >= (${filter.from}::date)::timestamp at time zone 'Europe/London'`,
    filter.to === undefined
      ? undefined
      : sql`at < (${filter.to}::date + 1)::timestamp at time zone 'Europe/London'`,
  ].filter((condition) => condition !== undefined)
}

function whereOf(conditions: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  return conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`
}

function toEvent(row: EventRow): StoredAuditEvent {
  return {
    id: row.id,
    at: new Date(row.at),
    position: { at: row.at_key, id: row.id },
    kind: row.kind as AuditKind,
    userId: row.user_id,
    userName: row.user_name,
    personId: row.person_id,
    taskId: row.task_id,
    subjectUserId: row.subject_user_id,
    clientId: row.client_id,
    details: (row.details ?? {}) as Record<string, unknown>,
  }
}

/** One user's part in who has seen a person's record. */
export interface PersonViewer {
  readonly userId: string | null
  readonly userName: string | null
  readonly first: Date
  readonly last: Date
  /** Events about the person by this user: sections seen and decisions. */
  readonly events: number
  /** The case sections they were shown, in order of name. */
  readonly sections: readonly string[]
}

/** Everyone who has seen or decided on the person's record, the most recent first. */
export async function viewersOfPerson(db: Kysely<Tables>, personId: string): Promise<PersonViewer[]> {
  const result = await sql<{
    user_id: string | null
    user_name: string | null
    first: Date | string
    last: Date | string
    events: number
    sections: string[] | null
  }>`
    select v.user_id, u.name as user_name, v.first, v.last, v.events, v.sections
    from (
      select user_id, min(at) as first, max(at) as last, count(*)::int as events,
        array_agg(distinct details->>'section') filter (where kind = 'case-viewed') as sections
      from audit_events where person_id = ${personId}::text
      group by user_id
    ) v left join users u on u.id = v.user_id
    order by v.last desc, v.user_id`.execute(db)
  return result.rows.map((row) => ({
    userId: row.user_id,
    userName: row.user_name,
    first: new Date(row.first),
    last: new Date(row.last),
    events: row.events,
    sections: row.sections ?? [],
  }))
}
