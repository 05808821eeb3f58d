/**
 * What this service adds to Fastify's request, session and route types.
 * Type-only: imported for its declarations.
 */
import type { Permission } from '../../access/permissions.ts'
import type { SessionTimeout } from '../../access/session-timeout.ts'
import type { PendingSignIn } from '../../access/single-sign-on.ts'
import type { User } from '../../access/users.ts'

declare module 'fastify' {
  interface Session {
    /** Set on sign-in; the account is looked up again on every request. */
    userId?: string
    /** When the user signed in (ms since the epoch), for the session's absolute lifetime. */
    signedInAt?: number
    /** A sign-in sent to the OpenID provider and not yet back, with the page to return to. */
    singleSignOn?: PendingSignIn & { readonly returnTo?: string | undefined }
    /** The ID token of a sign-in through the provider, for signing out there too (id_token_hint). */
    idToken?: string
    /** The CSRF secret, kept by @fastify/csrf-protection. */
    _csrf?: string
  }

  interface FastifyRequest {
    /** The signed-in user, or null. Loaded fresh for each request so a deactivated account stops at once. */
    user: User | null
    /** Set on the first request after a signed-in session timed out: why it did. */
    sessionTimedOut: SessionTimeout | undefined
  }

  interface FastifyContextConfig {
    /** Reachable without signing in (the landing page, sign-in and sign-out, assets, health). */
    public?: boolean
    /** What a signed-in user needs to reach the route (server/guards.ts); every other route declares one. */
    permission?: Permission
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /** Values every template sees (@fastify/view merges them into each render); see page-context.ts. */
    locals: Record<string, unknown>
  }
}
