/**
 * The session timeout: what the warning on signed-in pages asks (how long is
 * left), "Stay signed in", and the "You have been signed out" page a
 * timed-out session is sent to (server/guards.ts), with or without the
 * warning's script.
 */
import type { FastifyInstance } from 'fastify'
import { sessionLimits } from '../../access/session-timeout.ts'
import { paths } from '../paths.ts'
import { safeReturnPath } from '../server/return-path.ts'
import type { Sessions } from '../server/sessions.ts'
import { timedOutPage } from '../view-models/session-timeout.ts'
import type { RouteDependencies } from './dependencies.ts'

/**
 * Registered in a context without the session layer, whose every request
 * would push the idle timeout on: asking how long is left must not change
 * the answer. It tells nothing but times, and only to the session's holder.
 */
export async function sessionStatusRoute(app: FastifyInstance, sessions: Sessions): Promise<void> {
  app.get(paths.sessionStatus(), { config: { public: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return sessions.status(request)
  })
}

export async function sessionTimeoutRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const limits = sessionLimits(deps.config.sessionIdleMinutes, deps.config.sessionMaxHours)

  // Public, so that a script is never answered with the sign-in page; nobody signed in is refused here.
  // The request itself keeps the session alive: every request does (server/sessions.ts).
  app.post(paths.sessionKeepAlive(), { config: { public: true } }, async (request, reply) =>
    reply.code(request.user ? 204 : 401).send(),
  )

  app.get<{ Querystring: { reason?: unknown; returnTo?: unknown } }>(
    paths.timedOut(),
    { config: { public: true } },
    async (request, reply) => {
      const returnTo = safeReturnPath(request.query.returnTo)
      // Still signed in (another tab kept the session alive): back to work.
      if (request.user) return reply.redirect(returnTo ?? paths.home(), 303)
      return reply.view('timed-out', timedOutPage(request.query.reason, returnTo, limits))
    },
  )
}
