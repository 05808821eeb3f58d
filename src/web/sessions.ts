/**
 * Server-side sessions (the cookie holds a signed ID; the data is in the
 * database) and the signed-in user, looked up afresh on every request so
 * that a deactivated account loses access at once rather than when its
 * session ends.
 */
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { FastifyInstance, FastifyRequest, Session } from 'fastify'
import type { Kysely } from 'kysely'
import { DatabaseSessionStore } from '../access/session-store.ts'
import { findSignedInUser } from '../access/sign-in.ts'
import type { Tables } from '../db/tables.ts'

export const SESSION_COOKIE = 'ipic-session'

export interface SessionOptions {
  readonly db: Kysely<Tables>
  readonly secret: string
  readonly idleMinutes: number
  /** Secure cookies need HTTPS end to end (or a proxy that says it was): production only. */
  readonly secure: boolean
}

export async function registerSessions(app: FastifyInstance, options: SessionOptions): Promise<void> {
  await app.register(fastifyCookie)
  await app.register(fastifySession, {
    cookieName: SESSION_COOKIE,
    secret: options.secret,
    store: new DatabaseSessionStore<Session>(options.db, { idleMinutes: options.idleMinutes }),
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
  app.addHook('onRequest', async (request) => loadSignedInUser(options.db, request))
}

async function loadSignedInUser(db: Kysely<Tables>, request: FastifyRequest): Promise<void> {
  const userId = request.session.userId
  if (!userId) return
  const user = await findSignedInUser(db, userId)
  if (user) {
    request.user = user
    return
  }
  request.log.info({ userId }, 'session ended: the account is gone or inactive')
  request.session.userId = undefined
}
