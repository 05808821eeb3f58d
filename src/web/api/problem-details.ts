/**
 * The one shape of every error the API answers: RFC 9457 problem details
 * (`application/problem+json`). Each kind of problem has a stable `type`
 * URI under the API's own reference, so a client branches on `type`, never
 * on the wording of `title` or `detail`, which are for people.
 */
import type { FastifyReply } from 'fastify'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** Where the reference page describes each problem type: `${PROBLEM_TYPE_BASE}#${code}`. */
export const PROBLEM_TYPE_BASE = '/api/v1/reference/problems'

export interface Problem {
  /** A URI naming the kind of problem: `/api/v1/reference/problems#<code>`. */
  readonly type: string
  /** The kind of problem in a few words, the same for every occurrence. */
  readonly title: string
  readonly status: number
  /** What was wrong with this request, specifically. */
  readonly detail: string
  /** The request this answers, as the service's logs and error reference name it. */
  readonly instance?: string
  /** More members a problem type defines (the fields at fault, the task's current state…). */
  readonly [extension: string]: unknown
}

export interface ProblemSpec {
  readonly status: number
  /** The fragment of the type URI: lower-case words joined by hyphens. */
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly extensions?: Readonly<Record<string, unknown>>
}

export function problemOf(spec: ProblemSpec, instance?: string): Problem {
  return {
    ...spec.extensions,
    type: `${PROBLEM_TYPE_BASE}#${spec.code}`,
    title: spec.title,
    status: spec.status,
    detail: spec.detail,
    ...(instance === undefined ? {} : { instance }),
  }
}

/** Answers the request with the problem, naming the request's ID as its instance. */
export function sendProblem(reply: FastifyReply, spec: ProblemSpec): FastifyReply {
  return reply
    .code(spec.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(problemOf(spec, `urn:ipic:request:${reply.request.id}`))
}
