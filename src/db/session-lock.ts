/**
 * Lets processes sharing one PostgreSQL database take turns at a piece of
 * work: a session advisory lock, held on a connection of its own while the
 * work runs on any others. A process that dies mid-way releases it when its
 * connection drops. On PGlite there is one process per data directory
 * (directory-lock.ts) and one connection, so the work simply runs.
 */
import type { Database } from './connect.ts'

export async function takingTurns<T>(database: Database, name: string, work: () => Promise<T>): Promise<T> {
  if (!database.pool) return work()
  const client = await database.pool.connect()
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name])
    return await work()
  } finally {
    // Closed rather than returned to the pool: closing the session ends its lock, whatever happened.
    client.release(true)
  }
}
