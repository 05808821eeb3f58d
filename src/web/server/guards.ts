/**
 * Who may see what. Every page needs a signed-in user unless its route says
 * `config: { public: true }`; pages for particular roles add
 * `preHandler: requireRole(…)`.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Role } from '../../access/roles.ts'
import type { User } from '../../access/users.ts'
import { paths } from '../paths.ts'
import { safeReturnPath } from './return-path.ts'

/** Reaches the error handler, which shows the "no permission" page. */
export class ForbiddenError extends Error {
  readonly statusCode = 403
}

const READS = new Set(['GET', 'HEAD'])

export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  // Unknown pages get the "page not found" page whether or not someone is signed in.
  if (request.user || request.routeOptions.config.public || request.is404) return
  // Come back to the page asked for; a form post cannot be replayed, so it starts again from home.
  const returnTo = READS.has(request.method) ? safeReturnPath(request.url) : undefined
  await reply.redirect(paths.signIn(returnTo), 303)
}

/** Allows the request only if the signed-in user holds one of `roles`. */
export function requireRole(...roles: readonly Role[]): preHandlerAsyncHookHandler {
  return async function hasRole(request) {
    if (!request.user?.roles.some((role) => roles.includes(role))) {
      throw new ForbiddenError(`needs one of the roles ${roles.join(', ')}`)
    }
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
