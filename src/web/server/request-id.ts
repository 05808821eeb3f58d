/**
 * A request ID for every request: it labels each log line about the request
 * and is sent back in the `x-request-id` header.
 *
 * The ID is always the service's own. One that arrives with the request is
 * only a header, which any client can set: taken as ours, it could make two
 * requests' log lines look like one request's, or pin a support reference on
 * somebody else's request. So an incoming ID (from a proxy in front, which
 * lets one request be followed across both logs) is kept apart, as the
 * `clientRequestId` field of the request's log lines, tidied first so that a
 * hostile header cannot write whatever it likes into the logs.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyServerOptions } from 'fastify'

export const REQUEST_ID_HEADER = 'x-request-id'

/** Longer than any proxy's IDs; the rest of a longer header is dropped. */
export const MAX_CLIENT_REQUEST_ID_LENGTH = 64
const NOT_ID_CHARACTERS = /[^A-Za-z0-9._:-]/g

export function newRequestId(): string {
  return randomUUID()
}

/** The incoming `x-request-id` with anything but letters, digits and `._:-` removed and its length capped; undefined if nothing is left. */
export function clientRequestIdOf(request: IncomingMessage): string | undefined {
  const incoming = request.headers[REQUEST_ID_HEADER]
  if (typeof incoming !== 'string') return undefined
  const tidied = incoming.replace(NOT_ID_CHARACTERS, '').slice(0, MAX_CLIENT_REQUEST_ID_LENGTH)
  return tidied === '' ? undefined : tidied
}

/** Fastify's request logger, with the client's request ID beside our own where one came. */
export const requestLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
  request,
) => {
  const clientRequestId = clientRequestIdOf(request)
  return logger.child(clientRequestId === undefined ? bindings : { ...bindings, clientRequestId }, options)
}
