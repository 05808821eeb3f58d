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

export function helmetOptions(production: boolean): FastifyHelmetOptions {
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
        formAction: ["'self'"],
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
]
