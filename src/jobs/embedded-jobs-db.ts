/**
 * pg-boss's way into the embedded database: through the service's own
 * Kysely instance, so that its statements take their turn on the one PGlite
 * connection like every other query, between transactions and never inside
 * one. pg-boss's own PGlite adapter sends them to PGlite directly, where
 * they would run inside whatever transaction the service has open at that
 * moment (a job's completion undone if a page's transaction then rolled
 * back) and, after an error of its own, would roll that transaction back.
 */
import { CompiledQuery, type Kysely } from 'kysely'
import type { Db } from 'pg-boss'
import type { Tables } from '../db/tables.ts'

export function embeddedJobsDb(db: Kysely<Tables>): Db {
  return {
    async executeSql(text, values) {
      // Without parameters the driver uses the simple protocol: pg-boss's schema changes are several statements.
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []))
      return { rows: result.rows as unknown[] }
    },
  }
}
