/** The ROM regions, in their reference-data order, for region choices and names on MI pages. */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'

export async function romRegionList(db: Kysely<Tables>): Promise<{ code: string; name: string }[]> {
  return db.selectFrom('rom_regions').select(['code', 'name']).orderBy('position').execute()
}
