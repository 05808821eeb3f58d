/**
 * Server-side sessions (the cookie holds a signed ID; the data is in the
 * database) and the signed-in user, looked up afresh on every request (in
 * the same query as the session) so that a deactivated account loses
 * access at once rather than when its session ends. A session ends after
 * `idleMinutes` without a request, and in any case `maxHours` after
 * sign-in: a stolen session cookie is not good for ever, however busy its
 * thief keeps it.
 *
 * The first request after either timeout is marked with the reason
 * (`request.sessionTimedOut`), so the guards can say "You have been signed
 * out" and why. For the idle timeout that needs the cookie to outlive the
 * session: it lasts as long as a session may, and the store remembers a
 * timed-out session for as long.
 */
import { fastifyCookie, Signer } from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { FastifyInstance, FastifyRequest, Session } from 'fastify'
import type { Kysely } from 'kysely'
import { DatabaseSessionStore } from '../../access/session-store.ts'
import {
  type SessionLimits,
  type SessionStatus,
  type SessionTimeout,
  sessionLimits,
  sessionStatus,
  timedOutBecause,
} from '../../access/session-timeout.ts'
import { findSignedInUser } from '../../access/sign-in.ts'
import { recordAuditEvent } from '../../audit/events.ts'
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

/** The session layer, built once per app: the pages' context registers it, the session status reads through it. */
export interface Sessions {
  /** Cookies, the session middleware and the signed-in user, for every request in `app`'s context. */
  register(app: FastifyInstance): Promise<void>
  /**
   * How long the session named by the request's cookie has left, or why it
   * ended, read without touching it: for a context without the session layer.
   */
  status(request: FastifyRequest): Promise<SessionStatus>
}

export function createSessions(options: SessionOptions): Sessions {
  return new SessionLayer(options)
}

class SessionLayer implements Sessions {
  readonly #options: SessionOptions
  readonly #limits: SessionLimits
  readonly #store: DatabaseSessionStore<Session>
  // One signer for the middleware and for reading the cookie here.
  readonly #signer: Signer

  constructor(options: SessionOptions) {
    this.#options = options
    this.#limits = sessionLimits(options.idleMinutes, options.maxHours)
    this.#store = new DatabaseSessionStore<Session>(options.db, {
      idleMinutes: options.idleMinutes,
      now: () => options.clock.now(),
      rememberTimedOutMs: this.#limits.maxAgeMs,
    })
    this.#signer = new Signer(options.secret, 'sha256')
  }

  async register(app: FastifyInstance): Promise<void> {
    await app.register(fastifyCookie)
    await app.register(fastifySession, {
      cookieName: SESSION_COOKIE,
      secret: this.#signer,
      store: this.#store,
      // A visitor gets a session row only once there is something to keep (a CSRF secret, a sign-in).
      saveUninitialized: false,
      // Every request pushes the idle timeout on, in the store.
      rolling: true,
      cookie: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: this.#options.secure,
        // The store ends the session; the cookie outlives it, so that a
        // request after the idle timeout still names it and can be told why.
        maxAge: this.#limits.maxAgeMs,
      },
    })
    app.decorateRequest('user', null)
    app.decorateRequest('sessionTimedOut', undefined)
    app.addHook('onRequest', async (request) => this.#loadSignedInUser(request))
  }

  async status(request: FastifyRequest): Promise<SessionStatus> {
    const sessionId = this.#sessionIdIn(request)
    const stored = sessionId === undefined ? undefined : await this.#store.peek(sessionId)
    return sessionStatus(stored, this.#limits, this.#options.clock.now().getTime())
  }

  /** The session ID the request's cookie names, if its signature holds. */
  #sessionIdIn(request: FastifyRequest): string | undefined {
    const cookie = fastifyCookie.parse(request.headers.cookie ?? '')[SESSION_COOKIE]
    const unsigned = cookie ? this.#signer.unsign(cookie) : undefined
    return unsigned?.valid ? unsigned.value : undefined
  }

  async #loadSignedInUser(request: FastifyRequest): Promise<void> {
    // Read with the session when the store loaded it; looked up afresh otherwise.
    const loaded = this.#store.takeLoadedUser(request.session.sessionId)
    const userId = request.session.userId
    if (!userId) {
      await this.#noteTimedOut(request)
      return
    }
    const now = this.#options.clock.now().getTime()
    // The store has checked the idle timeout: only the absolute one is left to check.
    const signIn = { signedInAt: request.session.signedInAt, expiresAt: Number.POSITIVE_INFINITY }
    if (timedOutBecause(signIn, this.#limits, now) === 'absolute') {
      request.log.info({ userId }, 'session ended: signed in for longer than the session may last')
      await this.#auditTimeout(userId, 'absolute')
      request.session.userId = undefined
      request.session.signedInAt = undefined
      request.sessionTimedOut = 'absolute'
      return
    }
    // The store read the account its session names, which is this userId.
    const user =
      loaded === undefined ? await findSignedInUser(this.#options.db, userId) : (loaded ?? undefined)
    if (user) {
      request.user = user
      return
    }
    request.log.info({ userId }, 'session ended: the account is gone or inactive')
    request.session.userId = undefined
  }

  /**
   * A cookie whose session the store no longer hands back gets a new, empty
   * session; if the old one was signed in and timed out, this request says why.
   */
  async #noteTimedOut(request: FastifyRequest): Promise<void> {
    const cookieSessionId = this.#sessionIdIn(request)
    if (cookieSessionId === undefined || cookieSessionId === request.session.sessionId) return
    const timedOut = this.#store.takeTimedOut(cookieSessionId)
    if (!timedOut) return
    const because = timedOutBecause(timedOut, this.#limits, this.#options.clock.now().getTime())
    if (!because) return
    request.log.info({ userId: timedOut.userId, because }, 'session ended: timed out')
    await this.#auditTimeout(timedOut.userId, because)
    request.sessionTimedOut = because
  }

  /** A timeout is audited when the service notices it: the first request the ended session makes. */
  async #auditTimeout(userId: string, reason: SessionTimeout): Promise<void> {
    await recordAuditEvent(this.#options.db, {
      kind: 'timed-out',
      at: this.#options.clock.now(),
      userId,
      reason,
    })
  }
}

/** Marks the session as signed in as `userId` from now on; the caller has regenerated its ID. */
export function startSignedInSession(request: FastifyRequest, userId: string, clock: Clock): void {
  request.session.userId = userId
  request.session.signedInAt = clock.now().getTime()
}
