import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'
import { ReusableStatement } from '../../src/db/reusable-statement.ts'
import type { Tables } from '../../src/db/tables.ts'

const db = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (d) => new PostgresIntrospector(d),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

describe('a reusable statement', () => {
  it('builds each shape once and binds each call’s values where the builder put them', () => {
    let builds = 0
    const statement = new ReusableStatement(
      (q: Kysely<Tables>, [id, ...regions]: readonly [number, ...string[]], shape) => {
        builds++
        return q
          .selectFrom('tasks')
          .select('id')
          .where('id', '=', id)
          .$if(shape !== 'any region', (query) => query.where('rom_region', 'in', regions))
      },
    )
    const one = statement.bind(db, '1 region', [7, 'LSE'])
    const again = statement.bind(db, '1 region', [8, 'NW'])
    const any = statement.bind(db, 'any region', [9])
    assert.equal(builds, 2)
    assert.equal(one.sql, again.sql)
    assert.deepEqual(one.parameters, [7, 'LSE'])
    assert.deepEqual(again.parameters, [8, 'NW'])
    assert.equal(any.sql, 'select "id" from "tasks" where "id" = $1')
    assert.deepEqual(any.parameters, [9])
  })

  it('refuses a builder that does not put every value into the statement', () => {
    const statement = new ReusableStatement((q: Kysely<Tables>, [id]: readonly [number, string]) =>
      q.selectFrom('tasks').select('id').where('id', '=', id),
    )
    assert.throws(() => statement.bind(db, 'one', [1, 'unused']), /binds 1 of its 2 values/)
  })
})
