/**
 * The JSON API under /api/v1, registered beside the pages, not inside them:
 * no sessions, cookies or CSRF, only bearer tokens. In order, for every
 * request:
 *   1. zod validates each request and serialises each answer, with the
 *      schemas @fastify/swagger turns into /api/v1/openapi.json;
 *   2. the machine client is authenticated and its rate limit counted
 *      (rate-limit.ts);
 *   3. the operation's scope is checked;
 *   4. the operation, built on the same services as the pages;
 *   5. anything unknown or gone wrong is a problem-details answer.
 * The reference page, /api/v1/reference, is a GOV.UK page in a context of
 * its own with the site's security headers and templates.
 */
import fastifySwagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { answerError, answerNotFound } from './answers.ts'
import { apiAuthentication, declareMachineClient } from './authentication.ts'
import { API_PREFIX, type OpenApiDocument, swaggerOptions } from './document.ts'
import type { ApiOperation } from './operations.ts'
import { limitRate } from './rate-limit.ts'
import { referencePage } from './reference-page.ts'
import { TOKEN_ROUTE, tokenRoutes } from './token-endpoint.ts'

/** A resource's operations: `async (api, deps) => { addOperation(api, …) }`. */
export type ApiRouteModule = (api: FastifyInstance, deps: RouteDependencies) => Promise<void>

export interface ApiPluginOptions {
  readonly deps: RouteDependencies
  readonly resources: readonly ApiRouteModule[]
}

export const API_PATHS = {
  openApiDocument: () => `${API_PREFIX}/openapi.json`,
  reference: () => `${API_PREFIX}/reference`,
  problems: () => `${API_PREFIX}/reference/problems`,
  token: () => `${API_PREFIX}${TOKEN_ROUTE}`,
} as const

export async function apiInterface(api: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  const { deps } = options
  const operations: ApiOperation[] = []
  api.addHook('onRoute', (route) => {
    const operation = route.config?.apiOperation
    if (operation) operations.push(operation)
  })
  api.setValidatorCompiler(validatorCompiler)
  api.setSerializerCompiler(serializerCompiler)
  api.setErrorHandler(answerError)
  api.setNotFoundHandler(answerNotFound)
  await api.register(
    fastifySwagger,
    swaggerOptions(() => operations, API_PATHS.token()),
  )

  const document = (): OpenApiDocument => api.swagger() as OpenApiDocument
  api.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').send(document()),
  )
  await api.register(referencePage, { deps, document })
  declareMachineClient(api)
  await tokenRoutes(api, { clients: deps.services.machineClients })

  await api.register(async function operationsContext(resources) {
    resources.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store')
    })
    // 2 and 3: the client, then the scope its operation declares, before the request is validated:
    // a caller with no valid token learns nothing of what the operation expects.
    const authentication = apiAuthentication(deps.services.machineClients)
    resources.addHook('preValidation', authentication.authenticate)
    await limitRate(resources, deps.config.api)
    resources.addHook('preValidation', async (request, reply) => {
      const operation = request.routeOptions.config.apiOperation
      if (operation) await authentication.requireScope(operation.scope).call(resources, request, reply)
    })
    for (const resource of options.resources) await resources.register(resource, deps)
  })
}
