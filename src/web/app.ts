/**
 * The web server, built but not listening: `ipic serve` listens, tests
 * inject requests or listen on a spare port.
 *
 * Each request passes through the same layers in the same order:
 *   1. a request ID of our own, sent in `x-request-id` and on every log line;
 *   2. /health and /info, which need neither a session nor sign-in, and
 *      the JSON API under /api/v1, with bearer tokens instead (api/plugin.ts);
 *   3. security headers, with a fresh CSP nonce per request, and templates;
 *   4. static assets (no session: fetching a font never reads the store), and
 *      the session's status for the timeout warning (read without the
 *      session layer, so asking does not keep the session alive);
 *   5. form bodies, cookies and server-side sessions, and the signed-in user
 *      (every response from here on is `Cache-Control: no-store`);
 *   6. a request from a session that has just timed out goes to "You have
 *      been signed out"; then the CSRF check on every form post;
 *   7. the sign-in guard, then the permission the route declares;
 *   8. the pages;
 *   9. "page not found", and the error pages last.
 * Layers 3 to 9 are nested Fastify contexts, so a later layer's hooks never
 * run for an earlier one's routes.
 */
import fastifyCsrfProtection from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyView from '@fastify/view'
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from 'fastify'
import { sessionLimits } from '../access/session-timeout.ts'
import { type Clock, systemClock } from '../clock.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/connect.ts'
import type { Logger } from '../logger.ts'
import { API_PREFIX } from './api/document.ts'
import { type ApiRouteModule, apiInterface } from './api/plugin.ts'
import { API_RESOURCES } from './api/resources.ts'
import type { RouteModule, Services } from './routes/dependencies.ts'
import { healthRoutes } from './routes/health.ts'
import { registerRoutes } from './routes/index.ts'
import { sessionStatusRoute } from './routes/session-timeout.ts'
import { registerAssets } from './server/assets.ts'
import { registerErrorPages } from './server/error-pages.ts'
import type {} from './server/fastify-types.ts'
import { redirectTimedOut, requirePermission, requireSignIn } from './server/guards.ts'
import { setPageContext } from './server/page-context.ts'
import { newRequestId, REQUEST_ID_HEADER, requestLogger } from './server/request-id.ts'
import { forbidCaching, helmetOptions, REDACTED_LOG_PATHS, requestForLog } from './server/security.ts'
import { createSessions } from './server/sessions.ts'
import { fastifyTrustProxy } from './server/trusted-proxies.ts'
import { refuseNulInUrl } from './server/unstorable-input.ts'
import { viewPluginOptions } from './templates/views.ts'
import { timeoutWarning } from './view-models/session-timeout.ts'

export interface AppDependencies {
  readonly config: Config
  readonly clock: Clock
  /** Real time, for session ages and sign-in throttling; the system clock unless a test brings its own. */
  readonly sessionClock?: Clock
  readonly database: Database
  readonly logger: Logger
  /** Built once for the process (src/services.ts). */
  readonly services: Services
  /** More pages, registered after the service's own with the same guards (tests add pages that fail). */
  readonly extraRoutes?: readonly RouteModule[]
  /** More API operations, registered after the API's own with the same hooks (tests add operations that fail). */
  readonly extraApiResources?: readonly ApiRouteModule[]
  /** Told of every route as it is registered, with its options (a test checks what each declares). */
  readonly onRoute?: (route: RouteOptions) => void
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Where a path the router cannot read is sent: no page has it. */
const UNREADABLE_PATH = '/unreadable-path'

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, clock, database, services } = deps
  const sessionClock = deps.sessionClock ?? systemClock()
  const app = Fastify({
    loggerInstance: deps.logger.child(
      {},
      { redact: REDACTED_LOG_PATHS, serializers: { req: requestForLog } },
    ),
    // 1. Request ID: always our own; one sent with the request is only logged beside it.
    genReqId: newRequestId,
    requestIdHeader: false,
    childLoggerFactory: requestLogger,
    // X-Forwarded-For and -Proto are believed from the configured proxies only
    // (TRUST_PROXY), so a client cannot choose its own address; in production
    // the TLS proxy must be among them, or secure session cookies are never set.
    trustProxy: fastifyTrustProxy(config.trustedProxies),
    // A path the router cannot read (bad percent-encoding, a part too long)
    // names no page: it is routed again as a path that is none, so it gets
    // the GOV.UK "page not found" through the pages' own hooks, never
    // Fastify's JSON, which would echo the path back.
    frameworkErrors: (error, request, reply) => {
      request.log.info({ code: error.code }, 'unreadable path: page not found')
      request.raw.url = UNREADABLE_PATH
      app.routing(request.raw, reply.raw)
    },
  }) as unknown as FastifyInstance
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute)
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
  })

  // 2. Health and info.
  await app.register(healthRoutes, { database, rules: services.rules })

  // The JSON API: beside the pages, with bearer tokens instead of sessions (api/plugin.ts).
  const routeDeps = { config, clock, sessionClock, database, services }
  await app.register(apiInterface, {
    prefix: API_PREFIX,
    deps: routeDeps,
    resources: [...API_RESOURCES, ...(deps.extraApiResources ?? [])],
  })

  const sessions = createSessions({
    db: database.db,
    secret: config.sessionSecret,
    idleMinutes: config.sessionIdleMinutes,
    maxHours: config.sessionMaxHours,
    clock: sessionClock,
    secure: config.production,
  })

  await app.register(async function webInterface(web) {
    // 3. Security headers and the CSP nonce.
    await web.register(fastifyHelmet, helmetOptions(config.production, services.singleSignOn?.signOutOrigin))
    // Templates here rather than with the pages: a missing asset gets the "page not found" page too.
    const sessionTimeout = timeoutWarning(sessionLimits(config.sessionIdleMinutes, config.sessionMaxHours))
    await web.register(
      fastifyView,
      viewPluginOptions({ production: config.production, demo: config.demo, sessionTimeout }),
    )

    // 4. Static assets, in a context of their own; the session's status in another.
    await web.register(async (assets) => registerAssets(assets, { production: config.production }))
    await web.register(async (status) => sessionStatusRoute(status, sessions))

    await web.register(async function pageRoutes(pages) {
      // 5. Bodies, cookies, sessions and the signed-in user; nothing from here on is cached.
      pages.addHook('onSend', forbidCaching)
      await pages.register(fastifyFormbody)
      await sessions.register(pages)
      pages.addHook('onRequest', setPageContext)
      pages.addHook('onRequest', refuseNulInUrl)

      // 6. A timed-out session, then CSRF: preHandlers, because the form body is parsed only after onRequest.
      pages.addHook('preHandler', redirectTimedOut)
      await pages.register(fastifyCsrfProtection, {
        sessionPlugin: '@fastify/session',
        // Forms only: the token travels in a hidden field, never a header.
        getToken: (request) => (request.body as { _csrf?: unknown } | undefined)?._csrf as string | undefined,
      })
      pages.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        if (SAFE_METHODS.has(request.method)) done()
        else pages.csrfProtection(request, reply, done)
      })

      // 7. Sign-in, then the permission the route declares.
      pages.addHook('preHandler', requireSignIn)
      pages.addHook('preHandler', requirePermission)

      // 9. Not found and errors. They act last, but are set before the pages
      // because Fastify gives each route module the handlers in force when
      // the module is registered.
      registerErrorPages(pages)

      // 8. Pages.
      await registerRoutes(pages, routeDeps)
      for (const routes of deps.extraRoutes ?? []) {
        await pages.register(routes, routeDeps)
      }
    })
  })

  return app
}
