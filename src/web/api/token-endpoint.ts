/**
 * The OAuth 2.0 token endpoint (RFC 6749 §4.4, client credentials): a
 * registered client sends its ID and secret, by HTTP Basic
 * (client_secret_basic) or in the form (client_secret_post), and gets a
 * short-lived bearer token for the scopes it asks for (all of its own when
 * it names none). Its refusals are RFC 6749's JSON (`error`,
 * `error_description`), which OAuth clients read, carrying the members of a
 * problem-details body beside them; each is audited as 'api-refused'.
 *
 * Registered by the API plugin under /api/v1, in a context of its own: it
 * reads form bodies, which no other API operation takes.
 */
import fastifyFormbody from '@fastify/formbody'
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type ApiScope, isApiScope, orderedScopes } from '../../access/api-scopes.ts'
import type { MachineClients, RegisteredClient } from '../../access/machine-clients.ts'
import { PROBLEM_TYPE_BASE } from './problem-details.ts'
import { PROBLEM_TYPES, type ProblemCode } from './problem-types.ts'
import { RateLimited } from './rate-limit.ts'

/** Relative to the API's prefix: POST /api/v1/oauth/token. */
export const TOKEN_ROUTE = '/oauth/token'

/**
 * Token requests one address may make a minute, in this instance: a client
 * needs one every ten minutes, and each checks a secret with scrypt, which
 * is slow on purpose, so many more would only be someone guessing or
 * wearing the service down. Over it: 429 with Retry-After.
 */
export const TOKEN_REQUESTS_PER_MINUTE = 60

/** A client ID, a secret, a grant type and a few scopes: far less than this. */
const TOKEN_BODY_LIMIT_BYTES = 4096

const FORM_ONLY = 'Send the token request as application/x-www-form-urlencoded.'

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope'

/** Each OAuth error as the API's problem type (problem-types.ts), which gives its status and title. */
const OAUTH_PROBLEM: Readonly<Record<OAuthError, ProblemCode>> = {
  invalid_request: 'oauth-invalid-request',
  invalid_client: 'oauth-invalid-client',
  unsupported_grant_type: 'oauth-unsupported-grant-type',
  invalid_scope: 'oauth-invalid-scope',
}

class TokenRequestError extends Error {
  readonly error: OAuthError
  /** The registered client the request named, when it named one (for the audit). */
  readonly clientId: string | null
  readonly attemptedClientId: string | undefined

  constructor(error: OAuthError, description: string, client?: { id: string | null; attempted?: string }) {
    super(description)
    this.error = error
    this.clientId = client?.id ?? null
    this.attemptedClientId = client?.attempted
  }
}

interface Credentials {
  readonly clientId: string
  readonly secret: string
}

/** The one form value named `name`: absent, or refused when sent more than once. */
function single(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string')
    throw new TokenRequestError('invalid_request', `${name} was sent more than once.`)
  return value
}

/** client_secret_basic: each part form-encoded, then joined with a colon (RFC 6749 §2.3.1). */
function basicCredentials(header: string): Credentials {
  const encoded = header.slice('basic '.length).trim()
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1)
    throw new TokenRequestError('invalid_client', 'The Basic credentials are not a client ID and secret.')
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '))
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
  } catch {
    throw new TokenRequestError('invalid_client', 'The Basic credentials are not form-encoded.')
  }
}

function credentialsOf(request: FastifyRequest, body: Record<string, unknown>): Credentials {
  const authorization = request.headers.authorization
  const postedId = single(body, 'client_id')
  const postedSecret = single(body, 'client_secret')
  if (authorization !== undefined) {
    if (!/^basic /i.test(authorization)) {
      throw new TokenRequestError(
        'invalid_client',
        'The token endpoint takes client credentials by Basic authentication or in the form.',
      )
    }
    if (postedSecret !== undefined) {
      throw new TokenRequestError(
        'invalid_request',
        'The client authenticated twice: by Basic authentication and in the form.',
      )
    }
    return basicCredentials(authorization)
  }
  if (postedId === undefined || postedId === '' || postedSecret === undefined) {
    throw new TokenRequestError('invalid_client', 'The request carries no client ID and secret.')
  }
  return { clientId: postedId, secret: postedSecret }
}

/** The scopes asked for: all the client's own when none are named; each must be one of them. */
function scopesAsked(asked: string | undefined, client: RegisteredClient): ApiScope[] {
  if (asked === undefined || asked.trim() === '') return [...client.scopes]
  const names = asked.split(' ').filter((name) => name !== '')
  const foreign = names.find((name) => !isApiScope(name) || !client.scopes.includes(name))
  if (foreign !== undefined) {
    throw new TokenRequestError(
      'invalid_scope',
      isApiScope(foreign)
        ? `The client was not granted the scope ${foreign}.`
        : 'A scope asked for does not exist.',
      { id: client.clientId },
    )
  }
  return orderedScopes(names.filter(isApiScope))
}

async function answerRefusal(
  clients: MachineClients,
  request: FastifyRequest,
  reply: FastifyReply,
  refusal: TokenRequestError,
): Promise<FastifyReply> {
  const code = OAUTH_PROBLEM[refusal.error]
  const { status, title } = PROBLEM_TYPES[code]
  await clients.recordRefusal({
    clientId: refusal.clientId,
    attemptedClientId: refusal.attemptedClientId,
    method: request.method,
    path: request.url.split('?')[0] ?? '',
    status,
    reason: refusal.error,
    detail: refusal.message,
  })
  if (status === 401 && /^basic /i.test(request.headers.authorization ?? '')) {
    reply.header('www-authenticate', 'Basic realm="ipic-api", charset="UTF-8"')
  }
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send({
      error: refusal.error,
      error_description: refusal.message,
      type: `${PROBLEM_TYPE_BASE}#${code}`,
      title,
      status,
      detail: refusal.message,
      instance: `urn:ipic:request:${request.id}`,
    })
}

/** Fastify's own refusals of the body (not a form, too long) as RFC 6749's invalid_request. */
function bodyRefusal(error: FastifyError): TokenRequestError | undefined {
  if (error instanceof RateLimited) return undefined
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new TokenRequestError('invalid_request', FORM_ONLY)
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new TokenRequestError(
      'invalid_request',
      `The token request is larger than ${TOKEN_BODY_LIMIT_BYTES} bytes.`,
    )
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new TokenRequestError('invalid_request', 'The token request could not be read.')
  }
  return undefined
}

export async function tokenRoutes(
  api: FastifyInstance,
  deps: { readonly clients: MachineClients },
): Promise<void> {
  const { clients } = deps
  await api.register(async function tokenEndpoint(endpoint) {
    await endpoint.register(fastifyFormbody)
    await endpoint.register(fastifyRateLimit, {
      global: true,
      hook: 'onRequest',
      max: TOKEN_REQUESTS_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (request) => `token-address:${request.ip}`,
      errorResponseBuilder: (_request, context) =>
        new RateLimited(Math.ceil(context.ttl / 1000), context.max),
    })
    endpoint.setErrorHandler(async (error: FastifyError, request, reply) => {
      const refusal = bodyRefusal(error)
      if (refusal) return answerRefusal(clients, request, reply, refusal)
      // Over the rate limit, or a failure: the API's own answers (answers.ts).
      throw error
    })
    endpoint.post(
      TOKEN_ROUTE,
      { bodyLimit: TOKEN_BODY_LIMIT_BYTES, config: { public: true } },
      async (request, reply) => {
        try {
          if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
            throw new TokenRequestError('invalid_request', FORM_ONLY)
          }
          const body = (request.body ?? {}) as Record<string, unknown>
          const credentials = credentialsOf(request, body)
          const client = await clients.authenticate(credentials.clientId, credentials.secret)
          if (!client) {
            const known = await clients.find(credentials.clientId)
            throw new TokenRequestError(
              'invalid_client',
              known?.revoked ? 'The client has been revoked.' : 'The client ID or secret is not correct.',
              known ? { id: known.clientId } : { id: null, attempted: credentials.clientId },
            )
          }
          const grantType = single(body, 'grant_type')
          if (grantType === undefined || grantType === '') {
            throw new TokenRequestError(
              'invalid_request',
              'grant_type is missing: send client_credentials.',
              {
                id: client.clientId,
              },
            )
          }
          if (grantType !== 'client_credentials') {
            throw new TokenRequestError(
              'unsupported_grant_type',
              'Only the client_credentials grant is supported.',
              {
                id: client.clientId,
              },
            )
          }
          const scopes = scopesAsked(single(body, 'scope'), client)
          const token = await clients.issueToken(client, scopes)
          return reply
            .header('cache-control', 'no-store')
            .header('pragma', 'no-cache')
            .send({
              access_token: token.accessToken,
              token_type: 'Bearer',
              expires_in: token.expiresIn,
              scope: token.scopes.join(' '),
            })
        } catch (error) {
          if (error instanceof TokenRequestError) return answerRefusal(clients, request, reply, error)
          throw error
        }
      },
    )
  })
}
