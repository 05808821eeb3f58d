/**
 * What every page's layout needs, set once per request: the CSP nonce for
 * inline scripts, the signed-in user, the service navigation and a way to
 * get a CSRF token for a form.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { User } from '../../access/users.ts'
import { type NavigationItem, serviceNavigation } from '../view-models/navigation.ts'

export interface PageContext {
  readonly cspNonce: string | undefined
  readonly user: { readonly id: string; readonly name: string } | null
  readonly serviceNavigation: readonly NavigationItem[]
  /**
   * Called by the form partial: the token (and the session's CSRF secret) is
   * only made for pages that have a form, so a visitor who only reads the
   * landing page leaves no session behind.
   */
  readonly csrfToken: () => string
}

export function pageContext(input: {
  readonly path: string
  readonly user: User | null
  readonly cspNonce: string | undefined
  readonly csrfToken: () => string
}): PageContext {
  return {
    cspNonce: input.cspNonce,
    user: input.user ? { id: input.user.id, name: input.user.name } : null,
    serviceNavigation: serviceNavigation(input.path, input.user),
    csrfToken: input.csrfToken,
  }
}

export async function setPageContext(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  Object.assign(
    reply.locals,
    pageContext({
      path: request.url,
      user: request.user,
      cspNonce: reply.cspNonce?.script,
      csrfToken: () => reply.generateCsrf(),
    }),
  )
}
