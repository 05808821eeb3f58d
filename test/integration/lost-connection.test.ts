/**
 * A connection the server ends while the service uses it: the work on it
 * fails with an error that says the connection was lost, nothing is left
 * waiting, the process carries on, and the next query gets a fresh
 * connection. Every way the service holds a connection: a query, a
 * transaction between statements, a cursor between chunks, a client checked
 * out by hand (COPY, bulk sessions).
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import type pg from 'pg'
import { isLostConnection } from '../../src/db/lost-connection.ts'
import { adminClient, backendAppears, terminateBackends } from '../support/backends.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'

const skip = testDatabaseUrl()
  ? false
  : 'needs PostgreSQL (DATABASE_URL): PGlite runs in this process and has no connection to lose'

describe('a database connection lost while in use', { skip, timeout: 60_000 }, () => {
  let database: TestDatabase
  let pool: pg.Pool
  let admin: pg.Client
  /** Errors nothing handled: a pg client's 'error' event with no listener ends up here. */
  const uncaught: unknown[] = []
  const onUncaught = (error: unknown) => uncaught.push(error)

  before(async () => {
    process.on('uncaughtException', onUncaught)
    database = await openTestDatabase()
    pool = database.pool as pg.Pool
    admin = await adminClient(database.url as string)
  })
  after(async () => {
    process.off('uncaughtException', onUncaught)
    await admin?.end()
    await database?.close()
  })
  beforeEach(() => {
    uncaught.length = 0
  })
  afterEach(async () => {
    // The service carries on: a fresh connection answers, and no client is left checked out.
    const answer = await sql<{ one: number }>`select 1 as one`.execute(database.db)
    assert.equal(answer.rows[0]?.one, 1)
    assert.equal(pool.totalCount - pool.idleCount, 0, 'a client is still checked out')
    assert.deepEqual(uncaught, [])
  })

  /** Resolves once the pool has dropped a client and its socket has closed (pg-pool's 'remove'). */
  const clientRemoved = () => once(pool, 'remove')

  /** Resolves when `client`'s socket has closed (events.once would reject on the 'error' that comes first). */
  const endOf = (client: pg.ClientBase) => new Promise<void>((resolve) => client.once('end', () => resolve()))

  /** What `work` failed with; its failure is taken at once, so it is never an unhandled rejection. */
  const failureOf = (work: Promise<unknown>): Promise<unknown> =>
    work.then(
      () => new Error('it succeeded'),
      (error: unknown) => error,
    )

  function assertLost(error: unknown): void {
    assert.ok(isLostConnection(error), `not a lost connection: ${String(error)}`)
  }

  it('fails a running query with a lost-connection error', async () => {
    const removed = clientRemoved()
    const sleeping = failureOf(sql`select pg_sleep(60)`.execute(database.db))
    await backendAppears(admin, `query like 'select pg_sleep(60)%'`)
    assert.equal(await terminateBackends(admin, `query like 'select pg_sleep(60)%'`), 1)
    assertLost(await sleeping)
    await removed
  })

  it('fails a transaction whose connection is lost between its statements', async () => {
    const removed = clientRemoved()
    const acquired = once(pool, 'acquire') as Promise<[pg.PoolClient]>
    let terminated = () => {}
    const resume = new Promise<void>((resolve) => {
      terminated = resolve
    })
    const transaction = failureOf(
      database.db.transaction().execute(async (trx) => {
        await sql`select 'in the transaction'`.execute(trx)
        await resume
        await sql`select 'after the loss'`.execute(trx)
      }),
    )
    const [client] = await acquired
    const ended = endOf(client)
    await backendAppears(admin, `state = 'idle in transaction'`)
    assert.equal(await terminateBackends(admin, `state = 'idle in transaction'`), 1)
    // The client is checked out but idle: pg reports the loss as the client's 'error' event.
    await ended
    terminated()
    assertLost(await transaction)
    await removed
  })

  it('fails a cursor between chunks instead of waiting for ever to close it', async () => {
    const removed = clientRemoved()
    const rows = database.db
      .selectFrom(sql<{ n: number }>`generate_series(1, 1000000)`.as('series'))
      .select(sql<number>`series`.as('n'))
      .stream(100)
    const iterator = rows[Symbol.asyncIterator]()
    assert.equal((await iterator.next()).value?.n, 1)
    assert.equal(await terminateBackends(admin, `query like '%generate_series%'`), 1)
    // The stream's client is given back (and dropped) only once the stream has ended.
    assertLost(
      await failureOf(
        (async () => {
          for (;;) if ((await iterator.next()).done) return
        })(),
      ),
    )
    await removed
  })

  it('survives losing a client checked out by hand, as COPY and bulk sessions hold one', async () => {
    const client = await pool.connect()
    const { pid } = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0] ?? {}
    const ended = endOf(client)
    assert.equal(await terminateBackends(admin, `pid = ${Number(pid)}`), 1)
    await ended
    assertLost(await failureOf(client.query('select 1')))
    const removed = clientRemoved()
    client.release()
    await removed
  })
})
