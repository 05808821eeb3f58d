/**
 * Who may see what. Every route says so in its options: `config: { public:
 * true }` for the few pages anyone may reach (the landing page, signing in
 * and out, assets, health), or `config: { permission: '…' }` (access/
 * permissions.ts) for everything else. Two hooks, one after the other, act
 * on it: the sign-in guard sends someone not signed in to sign in, and the
 * permission guard refuses a signed-in user without the permission. A route
 * that declares neither is refused to everyone signed in.
 */
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify'
import { type ApiScope, isApiScope } from '../../access/api-scopes.ts'
import { can, isPermission, type Permission } from '../../access/permissions.ts'
import type { User } from '../../access/users.ts'
import { paths } from '../paths.ts'
import { safeReturnPath } from './return-path.ts'

/** Reaches the error handler, which shows the "no permission" page. */
export class ForbiddenError extends Error {
  readonly statusCode = 403
}

/**
 * What a route declares about who may use it; undefined when it declares
 * nothing. An API operation (web/api/operations.ts) declares the scope its
 * client's token must carry, which the API's scope check enforces.
 */
export type RouteAccess =
  | { readonly public: true }
  | { readonly permission: Permission }
  | { readonly scope: ApiScope }

export function declaredAccess(config: FastifyContextConfig | undefined): RouteAccess | undefined {
  if (config?.public === true) return { public: true }
  if (isPermission(config?.permission)) return { permission: config.permission }
  const scope = config?.apiOperation?.scope
  return isApiScope(scope) ? { scope } : undefined
}

const READS = new Set(['GET', 'HEAD'])

/**
 * The first request after a signed-in session timed out goes to "You have
 * been signed out", which says why, rather than to the sign-in page or a
 * form's "expired" error; a public page that is only read is shown as
 * usual. Runs before the CSRF check: a form posted from a timed-out session
 * carries a token that ended with it.
 */
export async function redirectTimedOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const reason = request.sessionTimedOut
  if (!reason || request.is404) return
  const read = READS.has(request.method)
  if (read && request.routeOptions.config.public) return
  await reply.redirect(paths.timedOut(reason, read ? safeReturnPath(request.url) : undefined), 303)
}

export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  // Unknown pages get the "page not found" page whether or not someone is signed in.
  if (request.user || request.routeOptions.config.public || request.is404) return
  // Come back to the page asked for; a form post cannot be replayed, so it starts again from home.
  const returnTo = READS.has(request.method) ? safeReturnPath(request.url) : undefined
  await reply.redirect(paths.signIn(returnTo), 303)
}

/** Allows the request only if the route is public or the signed-in user holds the route's permission. */
export async function requirePermission(request: FastifyRequest): Promise<void> {
  if (request.is404) return
  const access = declaredAccess(request.routeOptions.config)
  if (!access) throw new ForbiddenError('the route declares no permission')
  if ('public' in access) return
  // A page is never reached with a machine client's token: a scope alone lets no user in.
  if ('scope' in access) throw new ForbiddenError('the route declares an API scope, not a permission')
  if (!can(request.user, access.permission)) {
    throw new ForbiddenError(`needs the permission ${access.permission}`)
  }
}

/**
 * The user of a page behind the sign-in guard, for its handler. A page
 * reached without one was registered as public by mistake: it is refused
 * with "no permission", never served to nobody.
 */
export function signedInUser(request: FastifyRequest): User {
  if (!request.user) throw new ForbiddenError('not signed in')
  return request.user
}
