/**
 * Rate limits per machine client (@fastify/rate-limit), counted in this
 * instance's memory: with N instances behind a balancer a client may make
 * up to N times the limit, so set IPIC_API_RATE_LIMIT to the share of one
 * (docs/decisions/0021-json-api.md). Counted once the client is known,
 * keyed by its ID; over the limit, a `rate-limited` problem with
 * Retry-After in seconds.
 */
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import type { ApiSettings } from '../../config/api.ts'

/** What the limiter throws over the limit; the API's error handler answers it (answers.ts). */
export class RateLimited extends Error {
  readonly statusCode = 429
  readonly retryAfterSeconds: number

  constructor(retryAfterSeconds: number, limit: number) {
    super(`The client made more than ${limit} requests in the window.`)
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export async function limitRate(api: FastifyInstance, settings: ApiSettings): Promise<void> {
  await api.register(fastifyRateLimit, {
    global: true,
    hook: 'preValidation',
    max: settings.rateLimit,
    timeWindow: settings.rateWindowSeconds * 1000,
    // Authentication runs first: an unknown caller has been answered 401 before this counts.
    keyGenerator: (request) => request.machineClient?.clientId ?? `address:${request.ip}`,
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000), context.max),
  })
}
