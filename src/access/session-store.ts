/**
 * Server-side sessions kept in the `sessions` table, so that they survive a
 * restart, are shared by every instance of the service, and end for certain
 * when a user signs out (the cookie holds only a signed, random ID).
 *
 * Implements the store interface @fastify/session expects (callbacks, as in
 * express-session). A session expires after `idleMinutes` without a request:
 * every request saves the session again (rolling), which pushes its expiry
 * on. Expired rows are ignored at once and deleted now and then.
 *
 * A save that would change nothing but the expiry, and move it on by less
 * than `touchAfterMs`, is skipped: otherwise every page view costs a commit,
 * which under load is the slowest part of a page. The price is that a
 * session may end up to that much sooner than `idleMinutes` after the last
 * request. "Nothing changed" compares the content with its keys sorted:
 * `jsonb` hands a session back with its keys in its own order, and a page
 * that stores an equal object afresh (the saved search) builds its keys in
 * the code's order.
 *
 * A signed-in session that timed out is remembered a while longer, as whom
 * and when it signed in and nothing else, so that the person's next request
 * can be told why they were signed out rather than just asked to sign in.
 */
import { type Kysely, sql } from 'kysely'
import { stringify as stableStringify } from 'safe-stable-stringify'
import { ReusableStatement } from '../db/reusable-statement.ts'
import type { Tables } from '../db/tables.ts'
import { toUser, USER_COLUMNS, type User, type UserColumns } from './users.ts'

type Done = (error?: unknown) => void
type Found<S> = (error: unknown, session?: S | null) => void

export interface SessionStoreOptions {
  readonly idleMinutes: number
  /**
   * Real elapsed time, not the service clock: the clock's date can be fixed
   * for a demo (IPIC_TODAY) but an idle timeout is about how long a person
   * has been away. Tests pass their own.
   */
  readonly now?: () => Date
  /** Skip a save that only pushes the expiry on by less than this (default: defaultTouchAfterMs). */
  readonly touchAfterMs?: number
  /** How long after it timed out a signed-in session is still known to have been one (default: not at all). */
  readonly rememberTimedOutMs?: number
}

/** A minute, or a tenth of the idle time if that is less. */
export function defaultTouchAfterMs(idleMs: number): number {
  return Math.min(60_000, idleMs / 10)
}

/** How often, at most, saving a session also sweeps out expired ones. */
const PRUNE_INTERVAL_MS = 10 * 60_000

/** How many sessions' last saves a store remembers (the oldest is forgotten first). */
const REMEMBERED_SAVES = 10_000
/** Accounts (or timed-out sign-ins) read with sessions and not yet taken: only requests that failed in between leave any. */
const UNTAKEN_LIMIT = 1_000

/** What this process last wrote for a session: its data without the cookie, and its expiry. */
interface LastSave {
  readonly content: string
  readonly expiresAt: number
}

/**
 * The account a session was signed in as, read in the same query as the
 * session: null when the session names no user, or one that no longer
 * exists or is inactive.
 */
export type SessionUser = User | null

/** What the store holds of a signed-in session: enough to say whether, and why, it has ended. */
export interface StoredSignIn {
  /** ms since the epoch; missing in a session from before sessions had a lifetime. */
  readonly signedInAt: number | undefined
  /** When the idle timeout ends it (ms since the epoch), as the store last wrote it. */
  readonly expiresAt: number
}

/** A stored session as the status needs it: whose it is, and whether that account is still active. */
export interface StoredSession extends StoredSignIn {
  readonly userId: string | undefined
  readonly userActive: boolean
}

/** A signed-in session as it was when it timed out. */
export interface TimedOutSession extends StoredSignIn {
  readonly userId: string
}

/** The few fields a session's JSON holds that the store itself reads. */
interface SignInFields {
  readonly userId?: string
  readonly signedInAt?: number
}

/**
 * The session and its active account, read on every request: built once
 * and bound with each request's session ID (db/reusable-statement.ts).
 */
const SESSION_WITH_ACCOUNT = new ReusableStatement((db: Kysely<Tables>, [sessionId]: readonly [string]) =>
  db
    .selectFrom('sessions as s')
    .leftJoin('users as u', (join) =>
      join.on('u.id', '=', sql<string>`s.data->>'userId'`).on('u.active', '=', true),
    )
    .select(['s.data', 's.expires_at'])
    .select(USER_COLUMNS.map((column) => `u.${column}` as const))
    .where('s.id', '=', sessionId),
)

/** `S`: what a session holds, as the session middleware hands it over; stored as JSON. */
export class DatabaseSessionStore<S extends { userId?: string }> {
  readonly #db: Kysely<Tables>
  readonly #idleMs: number
  readonly #now: () => Date
  readonly #touchAfterMs: number
  readonly #lastSaves = new Map<string, LastSave>()
  /** The account read with each session just loaded, until the request that loaded it takes it. */
  readonly #loadedUsers = new Map<string, SessionUser>()
  readonly #rememberTimedOutMs: number
  /** Signed-in sessions a load found timed out, until the request that loaded them takes them. */
  readonly #timedOut = new Map<string, TimedOutSession>()
  #lastPruned = 0

  constructor(db: Kysely<Tables>, options: SessionStoreOptions) {
    this.#db = db
    this.#idleMs = options.idleMinutes * 60_000
    this.#now = options.now ?? (() => new Date())
    this.#touchAfterMs = options.touchAfterMs ?? defaultTouchAfterMs(this.#idleMs)
    this.#rememberTimedOutMs = options.rememberTimedOutMs ?? 0
  }

  set(sessionId: string, session: S, callback: Done): void {
    this.save(sessionId, session).then(() => callback(), callback)
  }

  get(sessionId: string, callback: Found<S>): void {
    this.load(sessionId).then((session) => callback(null, session ?? null), callback)
  }

  destroy(sessionId: string, callback: Done): void {
    this.remove(sessionId).then(() => callback(), callback)
  }

  async save(sessionId: string, session: S): Promise<void> {
    const now = this.#now()
    const expiresAt = new Date(now.getTime() + this.#idleMs)
    // The cookie's own expiry moves on every request; the rest is what matters.
    const { cookie: _cookie, ...rest } = session as S & { cookie?: unknown }
    const content = stableStringify(rest)
    const last = this.#lastSaves.get(sessionId)
    if (last && last.content === content && expiresAt.getTime() - last.expiresAt < this.#touchAfterMs) return
    // A round trip through JSON keeps only plain data (the cookie's own toJSON, no methods).
    const data = JSON.stringify(session)
    await this.#db
      .insertInto('sessions')
      .values({ id: sessionId, data, expires_at: expiresAt })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ data, expires_at: expiresAt }))
      .execute()
    this.#remember(sessionId, { content, expiresAt: expiresAt.getTime() })
    if (now.getTime() - this.#lastPruned >= PRUNE_INTERVAL_MS) {
      this.#lastPruned = now.getTime()
      await this.pruneExpired()
    }
  }

  /**
   * The session and, in the same query, the account it is signed in as
   * (see takeLoadedUser): every signed-in request needs both, and one round
   * trip to the database costs less than two. A session past its expiry is
   * not handed back; if it was signed in, takeTimedOut says so.
   */
  async load(sessionId: string): Promise<S | undefined> {
    const row = await this.#read(sessionId)
    if (!row) return undefined
    const expiresAt = new Date(row.expires_at).getTime()
    if (expiresAt <= this.#now().getTime()) {
      const { userId, signedInAt } = row.data as SignInFields
      if (userId) this.#keepUntilTaken(this.#timedOut, sessionId, { userId, signedInAt, expiresAt })
      return undefined
    }
    // A row of users joined has every column when it has its ID.
    this.#keepUntilTaken(this.#loadedUsers, sessionId, row.id === null ? null : toUser(row as UserColumns))
    // A save compares with what is stored now, whoever wrote it (another
    // instance, this one before a restart), not with this process's last write.
    const { cookie: _cookie, ...rest } = row.data as S & { cookie?: unknown }
    this.#remember(sessionId, { content: stableStringify(rest), expiresAt })
    return row.data as S
  }

  /**
   * The session as the timeout warning needs it, expired or not, without
   * touching it or remembering anything: asking how long is left must not
   * keep the session alive.
   */
  async peek(sessionId: string): Promise<StoredSession | undefined> {
    const row = await this.#read(sessionId)
    if (!row) return undefined
    const { userId, signedInAt } = row.data as SignInFields
    return { userId, signedInAt, expiresAt: new Date(row.expires_at).getTime(), userActive: row.id !== null }
  }

  async #read(sessionId: string) {
    const { rows } = await this.#db.executeQuery(SESSION_WITH_ACCOUNT.bind(this.#db, 'by id', [sessionId]))
    return rows[0]
  }

  /** Only requests that failed between a load and its take leave entries behind: the map is emptied past a bound. */
  #keepUntilTaken<V>(map: Map<string, V>, sessionId: string, value: V): void {
    map.set(sessionId, value)
    if (map.size > UNTAKEN_LIMIT) map.clear()
  }

  /**
   * The signed-in session the load just made for this ID found timed out,
   * once; undefined if it found none.
   */
  takeTimedOut(sessionId: string): TimedOutSession | undefined {
    const session = this.#timedOut.get(sessionId)
    this.#timedOut.delete(sessionId)
    return session
  }

  /**
   * The account read with this session by the load just made for it, once:
   * undefined when there was no such load (a session created during this
   * request) or another request has taken it, and the caller must look the
   * account up itself.
   */
  takeLoadedUser(sessionId: string): SessionUser | undefined {
    const user = this.#loadedUsers.get(sessionId)
    this.#loadedUsers.delete(sessionId)
    return user
  }

  async remove(sessionId: string): Promise<void> {
    this.#lastSaves.delete(sessionId)
    await this.#db.deleteFrom('sessions').where('id', '=', sessionId).execute()
  }

  #remember(sessionId: string, save: LastSave): void {
    // Deleting first moves the entry to the end: the Map's order is the order of use.
    this.#lastSaves.delete(sessionId)
    this.#lastSaves.set(sessionId, save)
    if (this.#lastSaves.size > REMEMBERED_SAVES) {
      const oldest = this.#lastSaves.keys().next().value
      if (oldest !== undefined) this.#lastSaves.delete(oldest)
    }
  }

  /**
   * Deletes expired sessions, except signed-in ones that timed out less than
   * rememberTimedOutMs ago, which keep only their user and sign-in time;
   * returns how many were deleted.
   */
  async pruneExpired(): Promise<number> {
    const now = this.#now()
    const forgetBefore = new Date(now.getTime() - this.#rememberTimedOutMs)
    const result = await this.#db
      .deleteFrom('sessions')
      .where('expires_at', '<=', now)
      .where((eb) => eb.or([eb(sql`data->>'userId'`, 'is', null), eb('expires_at', '<=', forgetBefore)]))
      .executeTakeFirst()
    await this.#db
      .updateTable('sessions')
      .set({
        data: sql`jsonb_strip_nulls(jsonb_build_object('userId', data->'userId', 'signedInAt', data->'signedInAt'))`,
      })
      .where('expires_at', '<=', now)
      .where(sql<boolean>`data - 'userId' - 'signedInAt' <> '{}'::jsonb`)
      .execute()
    return Number(result.numDeletedRows)
  }
}
