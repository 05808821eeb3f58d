/**
 * A connection to PostgreSQL that has gone: the server restarted or failed
 * over, an administrator ended the session, the network dropped. This module
 * is the one place that says which errors mean that (so the web can answer
 * "try again" with a 503 rather than a 500), and the one place that makes
 * every pooled connection survivable.
 *
 * A pg client whose socket ends emits 'error'; an EventEmitter's 'error'
 * with no listener ends the whole process. pg-pool listens only while a
 * client is idle in the pool, so a client checked out for a query, a
 * transaction, a cursor or a COPY had no listener at all: one ended session
 * under load took the service down.
 */
import type pg from 'pg'

/**
 * pg's own words for a socket that ended under a client, or a query sent on
 * one that had. The last: a client the server ended with a FATAL error is
 * closed at once (watchForLostConnections, below), so the statement that
 * follows on it, such as the ROLLBACK of a transaction whose session was
 * ended, fails with pg's words for a closed client, and that error is the
 * one the request sees.
 */
const LOST_MESSAGES: ReadonlySet<string> = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  // pg-pool's, when no connection came within the pool's connection timeout: every one busy, or the
  // server not answering. The database cannot serve this request now; the answer is "try again".
  'timeout exceeded when trying to connect',
])

/**
 * SQLSTATEs: 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown),
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or in
 * recovery), and class 08, connection exception.
 */
const LOST_SQLSTATE = /^(57P0[123]|08[0-9A-Z]{3})$/

/** The socket's own failures: reset, refused, or written to after the other end closed. */
const LOST_SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE'])

/** Whether `error`, or an error it was caused by, says the database connection was lost. */
export function isLostConnection(error: unknown): boolean {
  const seen = new Set<unknown>()
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current)
    if (LOST_MESSAGES.has(current.message)) return true
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_SOCKET_CODES.has(code))) return true
  }
  return false
}

/**
 * Listens on every client `pool` makes, from the moment it connects until it
 * is closed, whether idle, checked out or streaming; `onLost` hears about
 * each lost connection once. The request using it sees its query fail, and
 * pg-pool drops the client when it is given back, so the next request gets a
 * fresh connection.
 */
export function watchForLostConnections(pool: pg.Pool, onLost: (error: Error) => void = () => {}): void {
  // pg-pool passes on an idle client's error here after dropping the client; the client's own
  // listener below has reported it already, and without a listener here the process would end.
  pool.on('error', () => {})
  // 'connect' is pg-pool's event for each new client, emitted before anyone can use it.
  pool.on('connect', (client) => {
    let reported = false
    client.on('error', (error) => {
      if (reported) return
      reported = true
      onLost(error)
    })
    // A FATAL error ends the server's session: its socket closes a moment later. Ending the client
    // now tells pg-pool not to hand it out again in between, when the query that got the error
    // gives the client back before the socket has closed.
    client.connection.on('errorMessage', (message: { severity?: string }) => {
      if (message.severity === 'FATAL') client.end().catch(() => {})
    })
  })
}

/**
 * Runs `write` again when it fails because its connection was lost, up to
 * `attempts` times in all, waiting a little longer before each (50 ms, then
 * 100, 200, …). Only for a write that is safe to repeat (it sets values, it
 * does not add to them) and that must land although the outage that caused
 * it may still be ending: the record of how an MI download ended, say. When
 * the server ends every session, the pool still holds idle clients it has
 * not yet heard are gone, and may hand out several in turn; the waits give
 * it time to hear, so a later attempt gets a fresh connection. Any other
 * error, or the last attempt's, is thrown.
 */
export async function retryOnLostConnection<T>(
  write: () => Promise<T>,
  { attempts = 6, firstWaitMs = 50 }: { readonly attempts?: number; readonly firstWaitMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (error) {
      if (attempt >= attempts || !isLostConnection(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, firstWaitMs * 2 ** (attempt - 1)))
    }
  }
}
