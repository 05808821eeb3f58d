/**
 * The sign-in page, signing in with a local account, and signing out.
 * Where an OpenID provider is configured, the page offers "Sign in with …"
 * (single-sign-on.ts), and the user ID and password form only if local
 * accounts are kept on; signing out of a session that came from the
 * provider goes on to the provider's own sign-out page.
 *
 * Whatever went wrong with an ID and password, the user sees one message
 * and the same page, so the form cannot be used to find out which IDs
 * exist. After too many failures for an ID or from an address, each
 * further attempt must wait a while (access/sign-in-delay.ts), and the user
 * is told how long, in words that are likewise the same whether the ID
 * exists or not.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { signIn } from '../../access/sign-in.ts'
import { recordAuditEvent } from '../../audit/events.ts'
import { paths } from '../paths.ts'
import { safeReturnPath } from '../server/return-path.ts'
import { SESSION_COOKIE, startSignedInSession } from '../server/sessions.ts'
import { landingAfterSignIn } from '../view-models/home.ts'
import {
  INCORRECT_SIGN_IN,
  mustWait,
  readSignInForm,
  type SignInMethods,
  type SignInPage,
  signInFormProblems,
  signInPage as signInPageOffering,
} from '../view-models/sign-in.ts'
import type { RouteDependencies } from './dependencies.ts'

function showForm(reply: FastifyReply, page: SignInPage, errorStatus = 400): FastifyReply {
  return reply.code(page.errors.length > 0 ? errorStatus : 200).view('sign-in', page)
}

export async function signInRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { db } = deps.database
  const publicRoute = { config: { public: true } }
  const { singleSignOn } = deps.services
  const methods: SignInMethods = singleSignOn
    ? { providerName: singleSignOn.providerName, localAccounts: deps.config.localAccounts }
    : { providerName: undefined, localAccounts: true }
  const signInPage = (...page: Parameters<typeof signInPageOffering>) =>
    signInPageOffering(page[0], page[1], methods)

  app.get<{ Querystring: { returnTo?: unknown } }>(paths.signIn(), publicRoute, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.returnTo)
    if (request.user) return reply.redirect(returnTo ?? paths.home(), 303)
    return showForm(reply, signInPage({ returnTo }))
  })

  // Without local accounts there is no form to post, and nothing here checks a password.
  if (methods.localAccounts)
    app.post(paths.signIn(), publicRoute, async (request, reply) => {
      const form = readSignInForm(request.body)
      const missing = signInFormProblems(form)
      if (missing.length > 0) return showForm(reply, signInPage(form, missing))

      const now = deps.sessionClock.now()
      const attempt = { userId: form.userId, address: request.ip }
      const result = await signIn(db, attempt, form.password, deps.config.signInThrottle, now)
      if (result.outcome === 'must-wait') {
        request.log.warn({ userId: form.userId, address: request.ip }, 'sign-in throttled')
        reply.header('retry-after', String(Math.ceil((result.retryAt.getTime() - now.getTime()) / 1000)))
        return showForm(reply, signInPage(form, mustWait(result.retryAt, now)), 429)
      }
      if (result.outcome === 'incorrect') {
        request.log.info({ userId: form.userId }, 'sign-in refused')
        return showForm(reply, signInPage(form, INCORRECT_SIGN_IN))
      }
      const { user } = result
      // A new session ID on sign-in: an ID planted before sign-in is worth nothing after it.
      await request.session.regenerate()
      startSignedInSession(request, user.id, deps.sessionClock)
      request.log.info({ userId: user.id }, 'signed in')
      return reply.redirect(form.returnTo ?? landingAfterSignIn(user), 303)
    })

  app.post(paths.signOut(), publicRoute, async (request, reply) => {
    const { idToken } = request.session
    await request.session.destroy()
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    // Audited once the session has gone: signing out must never be what an audit failure stops.
    if (request.user) {
      request.log.info({ userId: request.user.id }, 'signed out')
      await recordAuditEvent(db, { kind: 'sign-out', at: deps.sessionClock.now(), userId: request.user.id })
    }
    // Signed in through the provider: signed out there too, where it offers that, and back to "signed out" here.
    const atProvider = singleSignOn?.signOutUrl(idToken, paths.signedOut())
    return reply.redirect(atProvider?.href ?? paths.signedOut(), 303)
  })

  app.get(paths.signedOut(), publicRoute, async (request, reply) =>
    request.user ? reply.redirect(paths.home(), 303) : reply.view('signed-out'),
  )
}
