/**
 * The API's reference as GOV.UK pages, rendered on the server from the
 * OpenAPI document (no script needed): /api/v1/reference lists every
 * operation, and /api/v1/reference/problems every problem type under the
 * anchor its `type` URI names. They are public documentation: a context
 * of their own, with the site's security headers and templates but no
 * session, so reading them never leaves a cookie.
 */
import fastifyHelmet from '@fastify/helmet'
import fastifyView from '@fastify/view'
import type { FastifyInstance } from 'fastify'
import { sessionLimits } from '../../access/session-timeout.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { pageContext } from '../server/page-context.ts'
import { helmetOptions } from '../server/security.ts'
import { viewPluginOptions } from '../templates/views.ts'
import { timeoutWarning } from '../view-models/session-timeout.ts'
import { API_PREFIX, type OpenApiDocument } from './document.ts'
import { problemTypeRows, referencePageModel } from './reference-view.ts'

export interface ReferencePageOptions {
  readonly deps: RouteDependencies
  readonly document: () => OpenApiDocument
}

export const REFERENCE_PATHS = {
  operations: () => `${API_PREFIX}/reference`,
  problems: () => `${API_PREFIX}/reference/problems`,
  openApiDocument: () => `${API_PREFIX}/openapi.json`,
} as const

export async function referencePage(pages: FastifyInstance, options: ReferencePageOptions): Promise<void> {
  const { config } = options.deps
  await pages.register(fastifyHelmet, helmetOptions(config.production))
  const sessionTimeout = timeoutWarning(sessionLimits(config.sessionIdleMinutes, config.sessionMaxHours))
  await pages.register(
    fastifyView,
    viewPluginOptions({ production: config.production, demo: config.demo, sessionTimeout }),
  )
  pages.addHook('onRequest', async (request, reply) => {
    Object.assign(
      reply.locals,
      pageContext({ path: request.url, user: null, cspNonce: reply.cspNonce?.script, csrfToken: () => '' }),
    )
  })
  // Pages about the API, not operations of it: left out of the document.
  const notAnOperation = { schema: { hide: true }, config: { public: true } }
  pages.get('/reference', notAnOperation, async (_request, reply) =>
    reply.view('api/reference', {
      reference: referencePageModel(options.document(), REFERENCE_PATHS.problems()),
      api: REFERENCE_PATHS,
    }),
  )
  pages.get('/reference/problems', notAnOperation, async (_request, reply) =>
    reply.view('api/problems', { problems: problemTypeRows(), api: REFERENCE_PATHS }),
  )
}
