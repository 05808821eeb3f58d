/**
 * The audit events of the API's machine clients (src/access/
 * machine-clients.ts): a client registered or revoked, and a request the
 * API refused, naming the client when it is known.
 */
import type { ChangedBy } from './changed-by.ts'

/** The longest text kept from a refused API request (a client ID tried, a path): enough to recognise it. */
export const MAX_REFUSED_TEXT_LENGTH = 100

export type ApiClientAuditEvent =
  | ({
      readonly kind: 'client-added'
      readonly at: Date
      readonly clientId: string
      readonly name: string
      readonly scopes: readonly string[]
      /** 'all', or the ROM region codes. */
      readonly regions: 'all' | readonly string[]
    } & ChangedBy)
  | ({ readonly kind: 'client-revoked'; readonly at: Date; readonly clientId: string } & ChangedBy)
  | {
      readonly kind: 'api-refused'
      readonly at: Date
      /** The registered client the request came from, when it named one (an unexpired token, a known client ID). */
      readonly clientId: string | null
      /** A client ID that names no registered client, as sent (kept cut to MAX_REFUSED_TEXT_LENGTH). */
      readonly attemptedClientId?: string | undefined
      readonly method: string
      /** The path asked for, without its query (kept cut to MAX_REFUSED_TEXT_LENGTH). */
      readonly path: string
      readonly status: number
      /** A code: 'invalid_client', 'invalid_token', 'insufficient_scope'… */
      readonly reason: string
      /** Why, in a few words: which claim was wrong, which scope was needed. */
      readonly detail: string
    }
