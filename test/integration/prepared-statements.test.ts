import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Kysely, sql } from 'kysely'
import type { IsoDate } from '../../src/dates.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { isPreparable, MAX_STATEMENTS, MAX_TEXT, PreparingClient } from '../../src/db/prepared-client.ts'
import type { Tables } from '../../src/db/tables.ts'
import type { ListWhere } from '../../src/review/list-query.ts'
import { listTasks } from '../../src/review/lists.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

const ON_POSTGRES = process.env.DATABASE_URL ? false : 'prepared statements are a PostgreSQL client feature'

describe('statements prepared once per connection', () => {
  it('prepares what a page sends with values, and nothing else', () => {
    assert.equal(isPreparable('select * from users where id = $1', ['jo']), true)
    assert.equal(isPreparable('  WITH x as (select $1::int) select * from x', [1]), true)
    assert.equal(isPreparable('insert into sessions (id) values ($1)', ['a']), true)
    assert.equal(isPreparable('select count(*) from users', []), false, 'no values: nothing to gain')
    assert.equal(isPreparable('begin', []), false)
    assert.equal(isPreparable('create temp table x as select $1::int as n', [1]), false, 'DDL')
    assert.equal(isPreparable(`select ${'1, '.repeat(MAX_TEXT)}$1`, [1]), false, 'one-off, very long')
  })

  describe('on PostgreSQL', { skip: ON_POSTGRES }, () => {
    let database: TestDatabase
    before(async () => {
      database = await openTestDatabase()
    })
    after(() => database?.close())

    async function onOneConnection<T>(work: (client: PreparingClient) => Promise<T>): Promise<T> {
      const client = (await database.pool?.connect()) as unknown as PreparingClient & { release(): void }
      assert.ok(client instanceof PreparingClient, 'the pool hands out preparing clients')
      try {
        return await work(client)
      } finally {
        client.release()
      }
    }

    const preparedOf = async (client: PreparingClient): Promise<string[]> => {
      const result: { rows: { statement: string }[] } = await client.query(
        'select statement from pg_prepared_statements',
      )
      return result.rows.map((row) => row.statement)
    }

    it('prepares a statement the first time and reuses it, with the right rows each time', async () => {
      await onOneConnection(async (client) => {
        const text = 'select code from rom_regions where code = $1'
        assert.deepEqual((await client.query(text, ['LSE'])).rows, [{ code: 'LSE' }])
        assert.deepEqual((await client.query(text, ['NW'])).rows, [{ code: 'NW' }])
        assert.deepEqual((await client.query(text, ['nowhere'])).rows, [])
        const prepared = await preparedOf(client)
        assert.equal(prepared.filter((statement) => statement === text).length, 1)
      })
    })

    it('goes through Kysely like any other query, values bound', async () => {
      const found = await database.db
        .selectFrom('rom_regions')
        .select('name')
        .where('code', '=', 'MEE')
        .executeTakeFirst()
      assert.equal(found?.name, 'Midlands and East')
      const countOf = (code: string) =>
        sql<{ n: number }>`select count(*)::int as n from rom_regions where code = ${code}`.execute(
          database.db,
        )
      assert.equal((await countOf("LSE' or 'x' = 'x")).rows[0]?.n, 0, 'a value is never read as SQL')
    })

    it('stops preparing once a connection holds as many statements as it may', async () => {
      await onOneConnection(async (client) => {
        const before = (await preparedOf(client)).length
        for (let i = 0; i < MAX_STATEMENTS + 5; i++) {
          const { rows } = await client.query(`select $1::int + ${i} as n`, [1])
          assert.equal(rows[0]?.n, 1 + i)
        }
        assert.ok((await preparedOf(client)).length <= Math.max(before, MAX_STATEMENTS))
      })
    })

    it('plans a list page once on the plan-once pool, where the other pool leaves it to PostgreSQL', async () => {
      const where: ListWhere = {
        region: 'LSE',
        scope: { all: false, codes: ['LSE'] },
        today: '2026-03-02' as IsoDate,
        retention: { acceptedDays: 5, rejectedDays: 20 },
        search: null,
      }
      const plansOf = async (db: Kysely<Tables>) => {
        const { rows } = await sql<{ generic: number; custom: number }>`
          select coalesce(sum(generic_plans), 0)::int as generic, coalesce(sum(custom_plans), 0)::int as custom
          from pg_prepared_statements where statement like '%page_tasks%'`.execute(db)
        return rows[0]
      }
      const planOnce = await openDatabase(
        { kind: 'postgres', url: database.url ?? '' },
        { poolSize: 1, planOncePoolSize: 1 },
      )
      try {
        for (let i = 0; i < 8; i++) {
          await listTasks(planOnce.planOnce, 'accepted', where, 1, { total: 0, pageStarts: [] })
          await listTasks(planOnce.db, 'accepted', where, 1, { total: 0, pageStarts: [] })
        }
        assert.deepEqual(await plansOf(planOnce.planOnce), { generic: 8, custom: 0 })
        // PostgreSQL's own choice: five custom plans at least, before it weighs a generic one.
        assert.ok(((await plansOf(planOnce.db))?.custom ?? 0) >= 5)
      } finally {
        await planOnce.close()
      }
    })

    it('answers with the new columns when a migration changes a table a prepared statement selects', async () => {
      await onOneConnection(async (client) => {
        await client.query('create table prepared_probe (id int primary key)')
        try {
          const text = 'select * from prepared_probe where id = $1'
          await client.query('insert into prepared_probe values (1)')
          assert.deepEqual((await client.query(text, [1])).rows, [{ id: 1 }])
          await client.query('alter table prepared_probe add column note text')
          // PostgreSQL analyses a statement prepared through the protocol again, `*` and all.
          assert.deepEqual((await client.query(text, [1])).rows, [{ id: 1, note: null }])
        } finally {
          await client.query('drop table prepared_probe')
        }
      })
    })
  })
})
