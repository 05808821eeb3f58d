/**
 * A real OpenID provider (oidc-provider) on a loopback port that issues
 * JWT access tokens by the client credentials grant, as an installation's
 * provider does for the systems that call the API: resource indicators on,
 * the API as its resource server (our scopes, our audience, RS256), and
 * one more resource, another API, whose tokens ours must refuse.
 *
 * A resource `urn:ipic:short-lived` issues tokens for our audience that
 * expire after a second, so a test can see one expire without moving time.
 */
import { generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Configuration } from 'oidc-provider'
import { API_SCOPES } from '../../src/access/api-scopes.ts'

export const API_AUDIENCE = 'https://ipic.example.org/api/v1'
export const OTHER_AUDIENCE = 'https://another-service.example.org/api'
export const SHORT_LIVED_RESOURCE = 'urn:ipic:short-lived'

export interface ProviderClient {
  readonly clientId: string
  readonly secret: string
}

export interface TestTokenProvider {
  readonly issuer: string
  /** The settings that point the service at this provider for API tokens. */
  readonly env: Readonly<Record<string, string>>
  /** A client the provider knows, allowed these scopes. */
  readonly client: (scopes: readonly string[]) => ProviderClient
  /** A token from the provider's token endpoint, for our API unless another resource is named. */
  token(client: ProviderClient, options?: { scope?: string; resource?: string }): Promise<string>
  close(): Promise<void>
}

export async function startTokenProvider(): Promise<TestTokenProvider> {
  const clients = new Map<string, { secret: string; scopes: readonly string[] }>()
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey: JsonWebKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: 'api-key',
    use: 'sig',
    alg: 'RS256',
  }
  const configuration: Configuration = {
    findAccount: () => undefined,
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', ...API_SCOPES],
    ttl: { ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          const audience = resource === SHORT_LIVED_RESOURCE ? API_AUDIENCE : resource
          if (audience !== API_AUDIENCE && audience !== OTHER_AUDIENCE)
            throw new Error(`no resource ${resource}`)
          return {
            scope: API_SCOPES.join(' '),
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: resource === SHORT_LIVED_RESOURCE ? 1 : 600,
            jwt: { sign: { alg: 'RS256' } },
          }
        },
      },
    },
  }
  // Clients are added as tests ask for them: the provider is made again with the longer static list
  // (its tokens are self-contained JWTs, so nothing it kept is lost).
  const providerWith = () => {
    const provider = new Provider(issuer, {
      ...configuration,
      clients: [...clients].map(([clientId, { secret, scopes }]) => ({
        client_id: clientId,
        client_secret: secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: scopes.join(' '),
      })),
    })
    return provider.callback()
  }
  let handler = providerWith()
  server.on('request', (request, response) => handler(request, response))

  return {
    issuer,
    env: { IPIC_API_TOKEN_ISSUER: issuer, IPIC_API_AUDIENCE: API_AUDIENCE },
    client: (scopes) => {
      const client = {
        clientId: `system-${randomBytes(4).toString('hex')}`,
        secret: randomBytes(24).toString('base64url'),
      }
      clients.set(client.clientId, { secret: client.secret, scopes })
      handler = providerWith()
      return client
    },
    token: async (client, options = {}) => {
      const form = new URLSearchParams({ grant_type: 'client_credentials' })
      if (options.scope !== undefined) form.set('scope', options.scope)
      if (options.resource !== undefined) form.set('resource', options.resource)
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form,
      })
      const body = (await response.json()) as { access_token?: string }
      if (!response.ok || !body.access_token)
        throw new Error(`the provider refused a token: ${JSON.stringify(body)}`)
      return body.access_token
    },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
