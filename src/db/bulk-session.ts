/**
 * One database session held for a bulk job (an import): plain SQL plus
 * COPY FROM, which Kysely does not do, on whichever engine is open.
 *
 * Session state (temporary tables, advisory locks, transactions) belongs to
 * the job alone: on PostgreSQL the connection is closed afterwards rather
 * than returned to the pool; on PGlite, whose single session is shared, the
 * job holds Kysely's connection so no other query interleaves with it, and
 * must tidy up after itself. While a PGlite job runs, `database.db` waits:
 * the job must use only its session.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom } from 'pg-copy-streams'
import type { Database } from './connect.ts'

export interface BulkSession {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>
  /** `COPY table (columns) FROM` the given lines, in COPY's text format (UTF-8 when bytes). */
  copyIn(table: string, columns: readonly string[], lines: string | Uint8Array): Promise<void>
}

export async function withBulkSession<T>(
  database: Database,
  work: (session: BulkSession) => Promise<T>,
): Promise<T> {
  if (database.pool) {
    const client = await database.pool.connect()
    try {
      return await work({
        query: async (text, params) => (await client.query({ text, values: params ? [...params] : [] })).rows,
        copyIn: (table, columns, lines) =>
          pipeline(
            Readable.from([lines]),
            client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)),
          ),
      })
    } finally {
      // Closed, not pooled: nothing the job left in its session can reach another user.
      client.release(true)
    }
  }
  const pglite = database.pglite
  if (!pglite) throw new Error('The database has neither a pool nor an embedded instance')
  return database.db.connection().execute(() =>
    work({
      query: async (text, params) => (await pglite.query(text, params ? [...params] : [])).rows as never,
      copyIn: async (table, columns, lines) => {
        await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], {
          blob: new Blob([lines]),
        })
      },
    }),
  )
}
