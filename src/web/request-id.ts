/**
 * A request ID for every request: it labels each log line about the request
 * and is sent back in the `x-request-id` header. An ID from a proxy in front
 * of the service is kept, so one request can be followed across both logs;
 * anything that does not look like an ID is replaced rather than logged.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const REQUEST_ID_HEADER = 'x-request-id'

const PLAUSIBLE_ID = /^[A-Za-z0-9._:-]{1,64}$/

export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER]
  return typeof incoming === 'string' && PLAUSIBLE_ID.test(incoming) ? incoming : randomUUID()
}
