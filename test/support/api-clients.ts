/**
 * Machine clients of the API in a test database: one registered with the
 * scopes and regions a test needs, and a token for it got through the real
 * token endpoint (POST /api/v1/oauth/token), as a client system gets one.
 */
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import type { ApiScope } from '../../src/access/api-scopes.ts'
import type { MachineClients } from '../../src/access/machine-clients.ts'
import { apiAuthentication, declareMachineClient } from '../../src/web/api/authentication.ts'
import { tokenRoutes } from '../../src/web/api/token-endpoint.ts'

export const TOKEN_URL = '/api/v1/oauth/token'

export interface TestApiClient {
  readonly clientId: string
  readonly secret: string
}

export interface TestApiClientOptions {
  readonly name?: string
  readonly scopes: readonly ApiScope[]
  /** 'all', or ROM region codes; LSE unless given. */
  readonly regions?: 'all' | readonly string[]
}

/** Registers a client as `ipic clients add` would (by a command run by the account "test"). */
export async function addApiClient(
  clients: MachineClients,
  options: TestApiClientOptions,
): Promise<TestApiClient> {
  const regions = options.regions ?? ['LSE']
  const result = await clients.add(
    {
      name: options.name ?? 'Test client',
      scopes: options.scopes,
      regions: regions === 'all' ? { all: true } : { all: false, codes: regions },
      providerClientId: undefined,
    },
    { userId: null, through: 'command', account: 'test' },
  )
  assert.ok(result.ok, 'the test client is added')
  assert.ok(result.added.secret, 'the test client has a secret')
  return { clientId: result.added.client.clientId, secret: result.added.secret }
}

/** Basic credentials as RFC 6749 §2.3.1 says: each part form-encoded. */
export function basicAuthorization(clientId: string, secret: string): string {
  const formEncode = (text: string) => encodeURIComponent(text).replaceAll('%20', '+')
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`
}

/** A bearer token for the client, asked of the token endpoint (for some of its scopes, or all). */
export async function requestToken(
  app: FastifyInstance,
  client: TestApiClient,
  scopes?: readonly ApiScope[],
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' })
  if (scopes) form.set('scope', scopes.join(' '))
  const response = await app.inject({
    method: 'POST',
    url: TOKEN_URL,
    headers: {
      authorization: basicAuthorization(client.clientId, client.secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: form.toString(),
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.json().access_token
}

/** A registered client and the Authorization header of a fresh token for it. */
export async function apiClientWithToken(
  app: FastifyInstance,
  clients: MachineClients,
  options: TestApiClientOptions,
): Promise<TestApiClient & { readonly authorization: string }> {
  const client = await addApiClient(clients, options)
  return { ...client, authorization: `Bearer ${await requestToken(app, client)}` }
}

/**
 * The token endpoint and authentication as the API plugin serves them,
 * under /api/v1, with one probe operation per scope named
 * (GET /api/v1/probe/tasks-read…) answering which client it saw and what
 * it may do: for testing who gets in without the API's resources.
 */
export async function probeApp(
  clients: MachineClients,
  scopes: readonly ApiScope[] = ['tasks:read', 'tasks:decide'],
): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(
    async (api) => {
      declareMachineClient(api)
      await tokenRoutes(api, { clients })
      const auth = apiAuthentication(clients)
      for (const scope of scopes) {
        api.get(`/probe/${probePath(scope)}`, { preHandler: auth.requireScope(scope) }, async (request) => ({
          clientId: request.machineClient?.clientId,
          scopes: request.machineClient?.scopes,
          permissions: [...(request.machineClient?.permissions ?? [])],
        }))
      }
    },
    { prefix: '/api/v1' },
  )
  await app.ready()
  return app
}

/** The probe of a scope: its name with the colon made a hyphen (a colon starts a route parameter). */
export function probePath(scope: ApiScope): string {
  return scope.replace(':', '-')
}
