/**
 * An API operation described once: its address, the scope it needs, its
 * zod schemas (which validate the request and serialise the answer), the
 * problems it can answer with, and worked examples. `addOperation` turns
 * it into a Fastify route whose schema @fastify/swagger reads for the
 * OpenAPI document; `withExamples` then writes each example into the
 * document as standard OpenAPI examples of the same name on the
 * parameters, the request body and the response, so that the reference
 * page shows them and the contract test replays them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { ZodType } from 'zod'
import type { ApiScope } from '../../access/api-scopes.ts'
import { API_BODY_LIMIT_BYTES } from './answers.ts'
import type { ProblemCode } from './problem-types.ts'
import { PROBLEM_TYPES } from './problem-types.ts'
import { problemSchema } from './schemas.ts'

export type HttpMethod = 'GET' | 'POST'

/** One worked example: a request and the answer it gets on the reference data set (see the contract test). */
export interface ApiExample {
  /** Letters and hyphens: the example's name in the document. */
  readonly name: string
  readonly summary: string
  readonly params?: Readonly<Record<string, string | number>>
  readonly query?: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly response: {
    readonly status: number
    /** The answer's body (its text, for a streamed answer); varying members (a job's ID) as one instance. */
    readonly body: unknown
    /** For an operation answering in several media types: which this example shows. */
    readonly mediaType?: string
  }
}

export interface ApiOperation {
  readonly method: HttpMethod
  /** Relative to /api/v1, with Fastify's `:name` parameters. */
  readonly url: string
  readonly operationId: string
  readonly tag: string
  readonly summary: string
  readonly description: string
  /** The client scope the operation needs (access/api-scopes.ts). */
  readonly scope: ApiScope
  readonly params?: ZodType
  readonly query?: ZodType
  readonly body?: ZodType
  /** The successful answers by status; a streamed answer names its media types instead. */
  readonly responses: Readonly<Record<number, ZodType>>
  /** Media types of a streamed successful answer (the MI export), which no JSON schema describes. */
  readonly streamed?: Readonly<Record<string, string>>
  /** The problems particular to this operation; those every operation can answer with are added. */
  readonly problems: readonly ProblemCode[]
  readonly examples: readonly ApiExample[]
}

/** What any authenticated call can be answered with. */
const EVERY_OPERATION: readonly ProblemCode[] = [
  'unauthorised',
  'insufficient-scope',
  'rate-limited',
  'internal-error',
  'temporarily-unavailable',
]
/** What a call with parameters or a body can be answered with too. */
const WITH_INPUT: readonly ProblemCode[] = ['invalid-request']
const WITH_BODY: readonly ProblemCode[] = ['malformed-json', 'payload-too-large', 'unsupported-media-type']

/** Every problem the operation can answer with, in status order. */
export function problemsOf(operation: ApiOperation): ProblemCode[] {
  const hasInput = operation.params || operation.query || operation.body
  const codes = new Set<ProblemCode>([
    ...operation.problems,
    ...(hasInput ? WITH_INPUT : []),
    ...(operation.body ? WITH_BODY : []),
    ...EVERY_OPERATION,
  ])
  return [...codes].sort((a, b) => PROBLEM_TYPES[a].status - PROBLEM_TYPES[b].status)
}

/** Where the route keeps its operation, for the hooks (the scope check) and the document. */
declare module 'fastify' {
  interface FastifyContextConfig {
    apiOperation?: ApiOperation
  }
}

export type OperationHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/** The description's last paragraph, for readers of the document; the reference page shows the scope apart. */
export function scopeSentence(scope: string): string {
  return `Needs the scope \`${scope}\`.`
}

/** Registers the operation as a route of `api`, its schemas validating the request and the answer. */
export function addOperation(api: FastifyInstance, operation: ApiOperation, handler: OperationHandler): void {
  const problemResponses: Record<number, ZodType> = {}
  const byStatus = Map.groupBy(problemsOf(operation), (code) => PROBLEM_TYPES[code].status)
  for (const [status, codes] of byStatus) problemResponses[status] = problemSchema(codes)
  const route: RouteOptions = {
    method: operation.method,
    url: operation.url,
    config: { apiOperation: operation },
    bodyLimit: API_BODY_LIMIT_BYTES,
    schema: {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      description: `${operation.description}\n\n${scopeSentence(operation.scope)}`,
      security: [{ clientCredentials: [operation.scope] }],
      ...(operation.params ? { params: operation.params } : {}),
      ...(operation.query ? { querystring: operation.query } : {}),
      ...(operation.body ? { body: operation.body } : {}),
      response: { ...operation.responses, ...problemResponses },
    },
    handler,
  }
  api.route(route)
}
