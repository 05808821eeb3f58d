/**
 * Who is calling the API: the bearer token (RFC 6750) is verified (its
 * signature, issuer, audience and expiry) and its client loaded afresh on
 * every request, so a revoked client is refused at once, even with a token
 * that has not expired. Then each operation's scope. Each refusal is a
 * problem-details answer with the challenge RFC 6750 asks for, and an
 * 'api-refused' event in the audit trail naming the client when known.
 *
 * `apiAuthentication(clients)` is made once by the API plugin; its
 * `requireScope(scope)` is an operation's preHandler, authenticating the
 * client first if nothing has yet.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ApiScope } from '../../access/api-scopes.ts'
import type { MachineClient, MachineClients } from '../../access/machine-clients.ts'
import { sendProblem } from './problem-details.ts'
import { problem } from './problem-types.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The API client this request acts for, once authenticated; null before, and on every page request. */
    machineClient: MachineClient | null
  }
}

/** The realm named in every challenge. */
const REALM = 'ipic-api'

/** A challenge parameter's value as a quoted-string: no quotes or backslashes inside. */
function quoted(text: string): string {
  return `"${text.replaceAll(/["\\]/g, "'")}"`
}

/** A preHandler that needs no `this`: usable as a hook, a route's preHandler, or called from another. */
export type ApiGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

export interface ApiAuthentication {
  /** Sets `request.machineClient`, or answers 401. */
  readonly authenticate: ApiGuard
  /** Authenticates if not yet done, then answers 403 unless the client's token carries the scope. */
  readonly requireScope: (scope: ApiScope) => ApiGuard
}

/** Makes `request.machineClient` known to Fastify, in the API's context. */
export function declareMachineClient(api: FastifyInstance): void {
  if (!api.hasRequestDecorator('machineClient')) api.decorateRequest('machineClient', null)
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? ''
}

export function apiAuthentication(clients: MachineClients): ApiAuthentication {
  async function refuseToken(
    request: FastifyRequest,
    reply: FastifyReply,
    refusal: { reason: string; clientId: string | null; challenge: string },
  ): Promise<FastifyReply> {
    await clients.recordRefusal({
      clientId: refusal.clientId,
      method: request.method,
      path: pathOf(request),
      status: 401,
      reason: 'invalid_token',
      detail: refusal.reason,
    })
    const description = refusal.reason.charAt(0).toUpperCase() + refusal.reason.slice(1)
    return sendProblem(
      reply.header('www-authenticate', refusal.challenge),
      problem('unauthorised', `${description}. Get a new token from /api/v1/oauth/token.`),
    )
  }

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (request.machineClient) return
    const authorization = request.headers.authorization
    const match =
      authorization === undefined ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization)
    if (!match?.[1]) {
      const reason =
        authorization === undefined
          ? 'the request has no access token'
          : 'the Authorization header does not carry a bearer token'
      // RFC 6750 §3.1: a request with no token at all is told only the scheme and realm.
      const challenge =
        authorization === undefined
          ? `Bearer realm="${REALM}"`
          : `Bearer realm="${REALM}", error="invalid_request", error_description=${quoted(reason)}`
      await refuseToken(request, reply, { reason, clientId: null, challenge })
      return
    }
    const result = await clients.clientOfToken(match[1])
    if (!result.ok) {
      const challenge = `Bearer realm="${REALM}", error="invalid_token", error_description=${quoted(result.reason)}`
      await refuseToken(request, reply, { reason: result.reason, clientId: result.clientId, challenge })
      return
    }
    request.machineClient = result.client
  }

  function requireScope(scope: ApiScope): ApiGuard {
    return async function scopeCheck(request, reply) {
      await authenticate(request, reply)
      if (reply.sent) return
      const client = request.machineClient
      if (!client || client.scopes.includes(scope)) return
      const detail = `The client's token does not carry the scope ${scope}, which this operation needs.`
      await clients.recordRefusal({
        clientId: client.clientId,
        method: request.method,
        path: pathOf(request),
        status: 403,
        reason: 'insufficient_scope',
        detail,
      })
      await sendProblem(
        reply.header(
          'www-authenticate',
          `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}", error_description=${quoted(detail)}`,
        ),
        problem('insufficient-scope', detail, { requiredScope: scope }),
      )
    }
  }

  return { authenticate, requireScope }
}
