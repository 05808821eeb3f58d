/**
 * Server-side sessions (the cookie holds a signed ID; the data is in the
 * database) and the signed-in user, looked up afresh on every request (in
 * the same query as the session) so that a deactivated account loses
 * access at once rather than when its session ends. A session ends after
 * `idleMinutes` without a request, and in any case `maxHours` after
 * sign-in: a stolen session cookie is not good for ever, however busy its
 * thief keeps it.
 */
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { FastifyInstance, FastifyRequest, Session } from 'fastify'
import type { Kysely } from 'kysely'
import { DatabaseSessionStore } from '../../access/session-store.ts'
import { findSignedInUser } from '../../access/sign-in.ts'
import type { Clock } from '../../clock.ts'
import type { Tables } from '../../db/tables.ts'

export const SESSION_COOKIE = 'ipic-session'

export interface SessionOptions {
  readonly db: Kysely<Tables>
  readonly secret: string
  readonly idleMinutes: number
  /** The absolute lifetime of a signed-in session, from sign-in. */
  readonly maxHours: number
  /**
   * Real elapsed time, not the service clock (whose date a demo may fix):
   * session ages are about how long a person has been signed in.
   */
  readonly clock: Clock
  /** Secure cookies need HTTPS end to end (or a proxy that says it was): production only. */
  readonly secure: boolean
}

export async function registerSessions(app: FastifyInstance, options: SessionOptions): Promise<void> {
  const store = new DatabaseSessionStore<Session>(options.db, {
    idleMinutes: options.idleMinutes,
    now: () => options.clock.now(),
  })
  await app.register(fastifyCookie)
  await app.register(fastifySession, {
    cookieName: SESSION_COOKIE,
    secret: options.secret,
    store,
    // A visitor gets a session row only once there is something to keep (a CSRF secret, a sign-in).
    saveUninitialized: false,
    // Every request pushes the idle timeout on, in the cookie and in the store.
    rolling: true,
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      maxAge: options.idleMinutes * 60_000,
    },
  })
  app.decorateRequest('user', null)
  app.addHook('onRequest', async (request) => loadSignedInUser(options, store, request))
}

/** Marks the session as signed in as `userId` from now on; the caller has regenerated its ID. */
export function startSignedInSession(request: FastifyRequest, userId: string, clock: Clock): void {
  request.session.userId = userId
  request.session.signedInAt = clock.now().getTime()
}

async function loadSignedInUser(
  options: SessionOptions,
  store: DatabaseSessionStore<Session>,
  request: FastifyRequest,
): Promise<void> {
  // Read with the session when the store loaded it; looked up afresh otherwise.
  const loaded = store.takeLoadedUser(request.session.sessionId)
  const userId = request.session.userId
  if (!userId) return
  const signedInAt = request.session.signedInAt
  // A session without a sign-in time predates the limit: it is treated as too old.
  if (
    signedInAt === undefined ||
    options.clock.now().getTime() - signedInAt >= options.maxHours * 3_600_000
  ) {
    request.log.info({ userId }, 'session ended: signed in for longer than the session may last')
    request.session.userId = undefined
    request.session.signedInAt = undefined
    return
  }
  // The store read the account its session names, which is this userId.
  const user = loaded === undefined ? await findSignedInUser(options.db, userId) : (loaded ?? undefined)
  if (user) {
    request.user = user
    return
  }
  request.log.info({ userId }, 'session ended: the account is gone or inactive')
  request.session.userId = undefined
}
