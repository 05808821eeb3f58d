import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

/** Each index the migration drops or adds, by name. */
const DROPPED = [
  'persons_region_reporting',
  'task_assignments_task',
  'mi_downloads_started',
  'rule_set_publications_newest',
  'reporting_locations_region',
]
const ADDED = 'persons_region'

async function indexDefinitions(db: Kysely<Tables>): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes where schemaname = 'public'`.execute(db)
  return new Map(rows.map((row) => [row.name, row.definition]))
}

class RolledBack extends Error {}

/** Runs `work` in a transaction that is always rolled back, so the migrated database stays as it was. */
async function rolledBack(
  db: Kysely<Tables>,
  work: (trx: Transaction<Tables>) => Promise<void>,
): Promise<void> {
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await work(trx)
      throw new RolledBack()
    }),
    RolledBack,
  )
}

describe('migration 0031: the indexes no query uses', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())

  it('leaves a migrated database without them, and persons indexed by region alone', async () => {
    const definitions = await indexDefinitions(database.db)
    for (const name of DROPPED) assert.equal(definitions.has(name), false, `${name} is still there`)
    assert.match(definitions.get(ADDED) ?? '', /ON public\.persons USING btree \(rom_region\)$/)
  })

  it('keeps every index it does not name, unique ones and those the pages, MI and runs read', async () => {
    const definitions = await indexDefinitions(database.db)
    for (const kept of [
      'persons_pkey',
      'task_assignments_task_id_task_version_kind_key',
      'task_assignments_occurred',
      'case_openings_task',
      'tasks_review_order',
      'tasks_assigned',
      'sessions_expiry',
      'sign_in_attempts_time',
      'audit_events_person',
    ]) {
      assert.equal(definitions.has(kept), true, `${kept} was dropped`)
    }
  })

  it('puts them back as they were when undone, and drops them again when redone', async () => {
    const migration = await import('../../src/db/migrations/0031-unused-indexes.ts')
    const before = await indexDefinitions(database.db)
    await rolledBack(database.db, async (trx) => {
      await migration.down(trx as unknown as Kysely<unknown>)
      const undone = await indexDefinitions(trx)
      for (const name of DROPPED) assert.equal(undone.has(name), true, `${name} was not put back`)
      assert.match(
        undone.get('persons_region_reporting') ?? '',
        /ON public\.persons USING btree \(rom_region, next_reporting_date\)$/,
      )
      assert.equal(undone.has(ADDED), false)
      await migration.up(trx as unknown as Kysely<unknown>)
      assert.deepEqual(await indexDefinitions(trx), before)
    })
  })
})
