import type { Kysely } from 'kysely'
import { migrateToLatest } from './migrate.ts'
import { loadReferenceData, type ReferenceData } from './reference-data.ts'
import type { Tables } from './tables.ts'

/** What `ipic migrate` does, and what start-up does first: the schema, then the reference data. */
export async function prepareDatabase(
  db: Kysely<Tables>,
  referenceDir: string,
): Promise<{ applied: string[]; reference: ReferenceData }> {
  const applied = await migrateToLatest(db as Kysely<unknown>)
  const reference = await loadReferenceData(db, referenceDir)
  return { applied, reference }
}
