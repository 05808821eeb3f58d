/**
 * Signing in through the OpenID provider, when one is configured: "Sign in
 * with …" sends the browser there with a fresh state, nonce and PKCE
 * challenge kept in its session; the provider sends it back to the
 * callback, which completes the sign-in once (access/single-sign-on.ts) and
 * either signs the user in, exactly as a local sign-in does, or explains
 * why not. A refusal is logged with its reason and leaves nobody signed in.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { safeReturnPath } from '../server/return-path.ts'
import { startSignedInSession } from '../server/sessions.ts'
import { landingAfterSignIn } from '../view-models/home.ts'
import { singleSignOnRefusalPage } from '../view-models/single-sign-on.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function singleSignOnRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { singleSignOn } = deps.services
  if (!singleSignOn) return
  const publicRoute = { config: { public: true } }

  app.get<{ Querystring: { returnTo?: unknown } }>(
    paths.signInWithProvider(),
    publicRoute,
    async (request, reply) => {
      const returnTo = safeReturnPath(request.query.returnTo)
      if (request.user) return reply.redirect(returnTo ?? paths.home(), 303)
      // A second start replaces the first: only the latest answer from the provider will be accepted.
      const { authorizationUrl, pending } = await singleSignOn.startSignIn(deps.sessionClock.now())
      request.session.singleSignOn = { ...pending, returnTo }
      return reply.redirect(authorizationUrl.href, 303)
    },
  )

  app.get(paths.signInCallback(), publicRoute, async (request, reply) => {
    const pending = request.session.singleSignOn
    // Forgotten whatever the outcome: each sign-in may be completed once, so a replayed answer finds none.
    request.session.singleSignOn = undefined
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
    const result = await singleSignOn.completeSignIn(
      new URLSearchParams(query),
      pending,
      deps.sessionClock.now(),
    )
    if (result.outcome === 'refused') {
      request.log.warn(result.refusal, 'single sign-on refused')
      const page = singleSignOnRefusalPage(result.refusal, singleSignOn.providerName)
      return reply.code(page.status).view('single-sign-on-refused', page)
    }
    const { user, idToken } = result
    // A new session ID on sign-in: an ID planted before sign-in is worth nothing after it.
    await request.session.regenerate()
    startSignedInSession(request, user.id, deps.sessionClock)
    request.session.idToken = idToken
    request.log.info({ userId: user.id, through: 'single sign-on' }, 'signed in')
    return reply.redirect(pending?.returnTo ?? landingAfterSignIn(user), 303)
  })
}
