/**
 * pg-boss's way into the embedded database: through the service's own
 * Kysely instance, so that its statements take their turn on the one PGlite
 * connection like every other query, between transactions and never inside
 * one. pg-boss's own PGlite adapter sends them to PGlite directly, where
 * they would run inside whatever transaction the service has open at that
 * moment (a job's completion undone if a page's transaction then rolled
 * back) and, after an error of its own, would roll that transaction back.
 */
import type { PGlite } from '@electric-sql/pglite'
import type { Kysely } from 'kysely'
import type { Db } from 'pg-boss'
import type { Tables } from '../db/tables.ts'

export function embeddedJobsDb(db: Kysely<Tables>, pglite: PGlite): Db {
  return {
    executeSql: (text, values) =>
      // Holding Kysely's one connection while PGlite is asked directly: pg-boss needs the rows of
      // every statement of a query of several, which a Kysely query gives only for the last.
      db.connection().execute(async () => {
        if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows }
        return { rows: (await pglite.exec(text)).flatMap((result) => result.rows) }
      }),
  }
}
