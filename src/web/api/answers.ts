/**
 * How the API answers whatever does not reach an operation's handler, or
 * goes wrong inside it: every one a problem-details body, never HTML,
 * never a stack. Fastify's own errors (malformed JSON, a body too large, a
 * schema refusal) are named by their codes; anything else is a bug, logged
 * with the request's ID, which the answer names as its `instance`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { isLostConnection } from '../../db/lost-connection.ts'
import { type ProblemSpec, sendProblem } from './problem-details.ts'
import { type FieldError, problem } from './problem-types.ts'
import { RateLimited } from './rate-limit.ts'

/** The most a request body may hold: a decision is a few hundred bytes. */
export const API_BODY_LIMIT_BYTES = 64 * 1024

const BODY_PROBLEMS: Readonly<Record<string, () => ProblemSpec>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => problem('malformed-json', 'The request body is not valid JSON.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    problem('malformed-json', 'The request says its body is JSON, but the body is empty.'),
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    problem('payload-too-large', `The request body is larger than ${API_BODY_LIMIT_BYTES} bytes.`, {
      limitBytes: API_BODY_LIMIT_BYTES,
    }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    problem('malformed-json', 'The request body is not as long as its Content-Length says.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    problem('unsupported-media-type', 'The request body must be sent as application/json.'),
}

/** The fields a schema refused, named as the client named them (`cursor`, `reasons.0`…). */
function schemaErrors(error: FastifyError): FieldError[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return []
  return error.validation.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
    return {
      field: path === '' ? (error.validationContext ?? 'body') : path,
      code: issue.keyword,
      message: issue.message ?? 'is not acceptable',
    }
  })
}

export function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RateLimited) {
    request.log.warn({ clientId: request.machineClient?.clientId }, 'API client over its rate limit')
    return sendProblem(
      reply.header('retry-after', String(error.retryAfterSeconds)),
      problem('rate-limited', `${error.message} Try again in ${error.retryAfterSeconds} seconds.`, {
        retryAfterSeconds: error.retryAfterSeconds,
      }),
    )
  }
  const known = error.code ? BODY_PROBLEMS[error.code] : undefined
  if (known) {
    request.log.info({ code: error.code }, 'API request body refused')
    return sendProblem(reply, known())
  }
  if (error.validation) {
    const errors = schemaErrors(error)
    const fields = errors.map((e) => e.field).join(', ')
    request.log.info({ errors }, 'API request refused by its schema')
    return sendProblem(
      reply,
      problem('invalid-request', `The request has fields that are not acceptable: ${fields}.`, { errors }),
    )
  }
  if (isLostConnection(error)) {
    request.log.error({ err: error }, 'database connection lost')
    return sendProblem(
      reply,
      problem('temporarily-unavailable', 'The database did not answer. Try again shortly.'),
    )
  }
  request.log.error({ err: error }, 'unexpected error in the API')
  return sendProblem(
    reply,
    problem(
      'internal-error',
      'The service could not answer this request. Quote its instance if you report it.',
    ),
  )
}

/** The address is not echoed: whatever a client put in it stays out of the answer. */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(
    reply,
    problem(
      'not-found',
      `The API has no ${request.method} operation at this address. See /api/v1/reference.`,
    ),
  )
}
