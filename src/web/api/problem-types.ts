/**
 * Every kind of problem the API answers with, in one catalogue: its status,
 * its title (the same for every occurrence) and what it means, which the
 * reference page lists under `#<code>` (PROBLEM_TYPE_BASE) and the OpenAPI
 * document names in each operation's responses. A route never invents a
 * type: it names one of these codes and says what was wrong this time.
 */
import type { ProblemSpec } from './problem-details.ts'

export interface ProblemType {
  readonly status: number
  readonly title: string
  /** What the problem means and what a client should do about it, for the reference page. */
  readonly description: string
}

export const PROBLEM_TYPES = {
  'malformed-json': {
    status: 400,
    title: 'The body is not valid JSON',
    description: 'The request body could not be read as JSON. Nothing was changed.',
  },
  'invalid-request': {
    status: 400,
    title: 'The request does not match the operation’s schema',
    description:
      'A parameter or body field is missing, of the wrong type or out of range. `errors` lists each one as `{ field, code, message }`. Nothing was changed.',
  },
  'invalid-cursor': {
    status: 400,
    title: 'The cursor was not issued for this search',
    description:
      'The `cursor` parameter was changed, cut short, or belongs to another search. Start again from the first page (no cursor). Nothing was read.',
  },
  'oauth-invalid-request': {
    status: 400,
    title: 'The token request is malformed',
    description:
      'POST /api/v1/oauth/token only: the request is not a form (`application/x-www-form-urlencoded`), repeats a field, lacks `grant_type`, or authenticates the client twice (by Basic and in the form). The body also carries OAuth’s `error: invalid_request` and `error_description`.',
  },
  'oauth-unsupported-grant-type': {
    status: 400,
    title: 'The grant type is not supported',
    description:
      'POST /api/v1/oauth/token only: send `grant_type=client_credentials`, the one grant the API takes (`error: unsupported_grant_type`).',
  },
  'oauth-invalid-scope': {
    status: 400,
    title: 'A scope asked for is not the client’s',
    description:
      'POST /api/v1/oauth/token only: `scope` names a scope that does not exist or that the client was not granted (`error: invalid_scope`). Ask for some of its scopes, or none for all of them.',
  },
  'oauth-invalid-client': {
    status: 401,
    title: 'The client could not be authenticated',
    description:
      'POST /api/v1/oauth/token only: the client ID or secret is wrong, the request carries none, or the client has been revoked (`error: invalid_client`). The refusal is audited.',
  },
  unauthorised: {
    status: 401,
    title: 'No valid access token',
    description:
      'The request had no bearer token, or one that is expired, revoked, for another audience or not signed by the provider. Get a new token (client credentials) and try again.',
  },
  'insufficient-scope': {
    status: 403,
    title: 'The client’s scopes do not allow this',
    description:
      'The client is known, but none of its scopes allows this operation. `requiredScope` names the scope it needs. The refusal is audited.',
  },
  'decider-not-allowed': {
    status: 403,
    title: 'The person named as deciding may not decide this task',
    description:
      '`decidedBy` names a user who is not allowed to decide tasks, or not in the task’s region. Nothing was changed.',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    description:
      'Nothing is at this address, or the resource is outside the regions the client may see: the two are deliberately the same answer.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description: 'The address exists, but not for this method.',
  },
  'stale-version': {
    status: 409,
    title: 'The task has changed since the version sent',
    description:
      'Someone changed the task after the `version` the decision was based on (or it is already in the status asked for). `task` holds its current state: look at the case again before deciding. Nothing was changed.',
  },
  'payload-too-large': {
    status: 413,
    title: 'The body is too large',
    description: 'The request body is larger than the API accepts (`limitBytes`). Nothing was read.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'The body must be JSON',
    description: 'Send bodies as `application/json`.',
  },
  'invalid-decision': {
    status: 422,
    title: 'The decision cannot be made as sent',
    description:
      'The decision is well formed but cannot be made: an unknown or retired rejection reason, missing details, review not confirmed, or a person named as deciding who is not an active user. `errors` lists each one as `{ field, code, message, params }`. Nothing was changed.',
  },
  'invalid-search': {
    status: 422,
    title: 'The search cannot be made as sent',
    description:
      'The search criteria are well formed but not acceptable: an unknown task type or region, a date range in the past or too long. `errors` lists each one.',
  },
  'invalid-report-range': {
    status: 422,
    title: 'The report’s dates or region cannot be used',
    description:
      'A date is missing or not a real date, the range runs backwards or is longer than the service allows, or the region is not one of the client’s. `errors` lists each one. Nothing was read.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    description:
      'The client made more requests than its limit allows in the window. Wait for the number of seconds in the `Retry-After` header before trying again.',
  },
  'internal-error': {
    status: 500,
    title: 'Something went wrong on our side',
    description:
      'The service failed to answer. `instance` names the request in our logs: quote it if you report the problem. The request may or may not have been carried out; read the resource before trying again.',
  },
  'temporarily-unavailable': {
    status: 503,
    title: 'The service is temporarily unavailable',
    description: 'The database did not answer in time. Try again shortly.',
  },
} as const satisfies Record<string, ProblemType>

export type ProblemCode = keyof typeof PROBLEM_TYPES

/** The problem `code` with this occurrence's detail and extension members. */
export function problem(
  code: ProblemCode,
  detail: string,
  extensions?: Readonly<Record<string, unknown>>,
): ProblemSpec {
  const { status, title } = PROBLEM_TYPES[code]
  return { status, code, title, detail, ...(extensions ? { extensions } : {}) }
}

/** One field at fault, as a problem's `errors` lists it. */
export interface FieldError {
  readonly field: string
  readonly code: string
  readonly message: string
  readonly params?: Readonly<Record<string, unknown>>
}

/** A problem about fields: its detail says `lead`, then each field's message; `errors` lists them. */
export function fieldsProblem(code: ProblemCode, lead: string, errors: readonly FieldError[]): ProblemSpec {
  return problem(code, `${lead}: ${errors.map((e) => e.message).join('; ')}.`, { errors })
}
