import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Kysely, sql } from 'kysely'
import { openDatabase } from '../../src/db/connect.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

const onPGlite = () => !process.env.DATABASE_URL

describe('database', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())

  it('returns counts as numbers and dates as ISO strings on either engine', async () => {
    const { rows } = await sql<{ n: unknown; d: unknown; big: unknown }>`
      select count(*) as n, date '2018-07-25' as d, 9007199254740991::int8 as big from countries`.execute(
      database.db,
    )
    assert.equal(typeof rows[0]?.n, 'number')
    assert.equal(rows[0]?.d, '2018-07-25')
    assert.equal(rows[0]?.big, 9007199254740991)
  })

  it('holds the reference data from reference/', async () => {
    const regions = await database.db.selectFrom('rom_regions').select('code').orderBy('position').execute()
    assert.deepEqual(
      regions.map((r) => r.code),
      ['LSE', 'MEE', 'NEYH', 'NW', 'WSW', 'SNI'],
    )
    const reasons = await database.db.selectFrom('rejection_reasons').select('code').execute()
    assert.equal(reasons.length, 12)
  })

  it('leaves the case tables without foreign keys, however old the database (migration 0011)', async () => {
    const caseTableKeys = sql<{ n: number }>`
      select count(*)::int as n from pg_constraint
      where contype = 'f' and conrelid::regclass::text in
        ('persons', 'barriers', 'offences', 'children', 'vulnerability_indicators', 'referrals')`
    assert.equal((await caseTableKeys.execute(database.db)).rows[0]?.n, 0)
    // A database made before the keys were dropped from 0002 still has them until 0011 runs.
    const migration = await import('../../src/db/migrations/0011-bulk-tables-unchecked.ts')
    await database.db.transaction().execute(async (trx) => {
      await sql`alter table barriers add foreign key (person_id) references persons (person_id)`.execute(trx)
      await sql`alter table persons add foreign key (nationality) references countries (code)`.execute(trx)
      assert.equal((await caseTableKeys.execute(trx)).rows[0]?.n, 2)
      await migration.up(trx as unknown as Kysely<unknown>)
      assert.equal((await caseTableKeys.execute(trx)).rows[0]?.n, 0)
    })
  })

  it('survives the server ending an idle pooled connection, and connects afresh', {
    skip: onPGlite() ? 'PGlite has no server to end a connection' : false,
  }, async () => {
    const lost: string[] = []
    const other = await openDatabase(
      { kind: 'postgres', url: database.url ?? '' },
      { poolSize: 1, onLostConnection: (error) => lost.push(error.message) },
    )
    try {
      const pidOf = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(other.db)).rows[0]?.pid
      const first = await pidOf()
      await sql`select pg_terminate_backend(${first}::int)`.execute(database.db)
      for (let wait = 0; lost.length === 0 && wait < 50; wait++) await new Promise((r) => setTimeout(r, 20))
      assert.match(lost[0] ?? '', /terminating connection due to administrator command/)
      const second = await pidOf()
      assert.ok(second !== undefined && second !== first, 'a new connection')
    } finally {
      await other.close()
    }
  })

  it('rolls a failed transaction back whole', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('business_areas')
          .values({ code: 'TEMP_AREA', name: 'Temp', short_name: 'T' })
          .execute()
        throw new Error('boom')
      }),
    )
    const row = await database.db
      .selectFrom('business_areas')
      .select('code')
      .where('code', '=', 'TEMP_AREA')
      .executeTakeFirst()
    assert.equal(row, undefined)
  })
})
