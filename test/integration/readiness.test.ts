/**
 * Liveness and readiness: `/health` answers while the process is up,
 * whatever the database; `/health/ready` answers 503 while the database
 * does not answer or has migrations still to apply, and 200 once it has
 * them all.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { migrateToLatest, migrations } from '../../src/db/migrate.ts'
import { paths } from '../../src/web/paths.ts'
import { healthRoutes } from '../../src/web/routes/health.ts'
import { testDatabaseUrl } from '../support/database.ts'

/** A database with nothing in it, not even the migrations' table; dropped by `drop`. */
async function emptyDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = testDatabaseUrl()
  if (!url) {
    const database = await openDatabase({ kind: 'pglite', dataDir: '' }, { inMemory: true })
    return { database, drop: () => database.close() }
  }
  const name = `ipic_ready_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: target.toString() }, { poolSize: 2 })
  return {
    database,
    drop: async () => {
      await database.close()
      await admin(`drop database if exists ${name} with (force)`)
    },
  }
}

/** Only the health routes, as the app registers them: they need no session, templates or services. */
async function healthApp(database: Database): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  await app.register(healthRoutes, { database, rules: { version: 'test' } })
  await app.ready()
  return app
}

describe('liveness and readiness', () => {
  let empty: Awaited<ReturnType<typeof emptyDatabase>>
  let app: FastifyInstance
  before(async () => {
    empty = await emptyDatabase()
    app = await healthApp(empty.database)
  })
  after(async () => {
    await app.close()
    await empty.drop()
  })

  it('is not ready while migrations are pending, naming them, and is once they are applied', async () => {
    const pending = await app.inject({ url: paths.healthReady() })
    assert.equal(pending.statusCode, 503)
    assert.deepEqual(pending.json(), {
      status: 'DOWN',
      components: {
        database: { status: 'DOWN', reason: 'migrations are pending', pending: Object.keys(migrations) },
      },
    })
    assert.equal((await app.inject({ url: paths.health() })).statusCode, 200, 'alive all the same')

    await migrateToLatest(empty.database.db as never)
    const ready = await app.inject({ url: paths.healthReady() })
    assert.equal(ready.statusCode, 200)
    assert.deepEqual(ready.json(), { status: 'UP', components: { database: { status: 'UP' } } })
  })

  it('is not ready while the database does not answer, and is alive all the same', async () => {
    const gone = testDatabaseUrl()
      ? await openDatabase(
          { kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/nothing' },
          { poolSize: 1 },
        )
      : await openDatabase({ kind: 'pglite', dataDir: '' }, { inMemory: true })
    if (!testDatabaseUrl()) await gone.close()
    const unreachable = await healthApp(gone)
    try {
      const started = performance.now()
      const answer = await unreachable.inject({ url: paths.healthReady() })
      assert.equal(answer.statusCode, 503)
      assert.deepEqual(answer.json().components.database, {
        status: 'DOWN',
        reason: 'the database did not answer',
      })
      assert.ok(performance.now() - started < 5000, 'answers rather than hanging')
      const alive = await unreachable.inject({ url: paths.health() })
      assert.equal(alive.statusCode, 200)
      assert.deepEqual(alive.json(), { status: 'UP' })
    } finally {
      await unreachable.close()
      if (testDatabaseUrl()) await gone.close()
    }
  })
})
