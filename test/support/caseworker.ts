/**
 * One caseworker for tests of rule runs and decisions: the users row, and the
 * user as decideTask takes it.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'

export const CASEWORKER = { id: 'cw1', regions: { all: false as const, codes: ['LSE', 'MEE'] } }

export async function addCaseworker(db: Kysely<Tables>): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: CASEWORKER.id,
      name: 'Casey Worker',
      roles: ['CASEWORKER'],
      regions: [...CASEWORKER.regions.codes],
      password_hash: null,
    })
    .execute()
}
