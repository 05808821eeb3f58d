/**
 * pg-cursor's cursor, except that closing it does not wait on a connection
 * that has gone.
 *
 * close() waits for the server to say it is ready for the next query; a
 * server that has ended the session never says so (a known pg-cursor
 * problem). Kysely closes the cursor whenever a stream stops, so a report
 * streaming when its connection was lost waited for ever: its error never
 * reached the download (whose audit row then never got an outcome), and its
 * connection was never given back to the pool.
 */
import type pg from 'pg'
import Cursor from 'pg-cursor'

export class LostConnectionSafeCursor<Row = unknown> extends Cursor<Row> {
  override close(): Promise<void>
  override close(callback: (error: Error) => void): undefined
  override close(callback?: (error: Error) => void): Promise<void> | undefined {
    const closed = this.#closeUnlessLost()
    if (!callback) return closed
    // pg-cursor's callbacks are called with no error on success, whatever its types say.
    closed.then(() => (callback as (error?: Error) => void)(), callback)
    return undefined
  }

  async #closeUnlessLost(): Promise<void> {
    // pg-cursor keeps the connection it was submitted on; its types leave it out.
    const connection = (this as unknown as { connection: pg.Connection | null }).connection
    if (!connection) return super.close()
    // A socket already closed: nothing to tell the server, and nobody to answer.
    if (connection.stream.destroyed) return
    let onEnd = () => {}
    const ended = new Promise<void>((resolve) => {
      onEnd = resolve
      connection.once('end', onEnd)
    })
    try {
      await Promise.race([super.close(), ended])
    } finally {
      connection.removeListener('end', onEnd)
    }
  }
}
