/**
 * Security headers (helmet) and what must never reach the logs.
 *
 * The content security policy allows scripts and styles only from this
 * service, plus inline scripts that carry the per-request nonce (the GOV.UK
 * template's `js-enabled` snippet and the module that initialises the
 * components). Nothing is loaded from anywhere else.
 */
import type { FastifyHelmetOptions } from '@fastify/helmet'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { paths } from '../paths.ts'

/**
 * `signOutOrigin`: the OpenID provider's, when signing out sends the browser
 * on to its sign-out page. Browsers hold a form's redirects to form-action
 * too, so the sign-out form's would be blocked without it.
 */
export function helmetOptions(production: boolean, signOutOrigin?: string): FastifyHelmetOptions {
  return {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: signOutOrigin ? ["'self'", signOutOrigin] : ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        // Only behind TLS: on http://localhost it would break every asset.
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    // Forms post to this service and redirect within it; a stricter referrer
    // policy costs nothing.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  }
}

/**
 * An onSend hook for every page behind the session layer: none may be kept
 * by the browser or a proxy. Case details, lists and downloads are personal
 * data, and on a shared computer the back button would otherwise show them
 * from the cache after the caseworker has signed out. Static assets are in
 * a context of their own and stay cacheable.
 */
export async function forbidCaching(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'no-store')
}

/**
 * Log paths pino replaces with "[Redacted]". Fastify's request serialiser
 * logs neither headers nor bodies, but anything logged by hand might.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'body.password',
  'password',
  '*.password',
  'session',
  '*.session',
  'idToken',
  '*.idToken',
]

/** The OpenID provider's answer carries an authorization code and the state that guards it: never logged. */
const CALLBACK_CREDENTIALS = ['code', 'state']

/**
 * A request as its log lines show it: Fastify's usual fields, with the
 * provider's code and state in a sign-in callback's URL replaced by
 * "[Redacted]".
 */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: loggedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

export function loggedUrl(url: string): string {
  const callback = `${paths.signInCallback()}?`
  if (!url.startsWith(callback)) return url
  const query = new URLSearchParams(url.slice(callback.length))
  for (const name of CALLBACK_CREDENTIALS) if (query.has(name)) query.set(name, '[Redacted]')
  return `${callback}${query}`
}
