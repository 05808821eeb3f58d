/**
 * The MI report streams: a download that the browser abandons part-way
 * stops the query (on PostgreSQL the CSV's COPY, or the cursor) and gives
 * its database connection back.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { type IncomingMessage, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { frozenClock } from '../../src/clock.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addMiTestUsers, buildMiFixture } from '../support/mi.ts'
import { startTestApp, type TestApp, WebClient } from '../support/web.ts'

/** Enough rows that the file cannot fit in the socket's buffers. */
const EXTRA_TASKS = 20_000

describe('MI report streaming', () => {
  let database: TestDatabase
  let web: TestApp
  let origin: string
  let cookie: string

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    await buildMiFixture(database.db)
    // Many more accepted tasks for P1, written as set-based SQL for speed.
    await sql`
      with made as (
        insert into tasks (person_id, task_type, rom_region, priority, status, version, rule_code,
          rule_set_version, explanation, created_at, status_changed_at, status_changed_by)
        select 'P1', 'FAILED_TO_REPORT', 'LSE', 1, 'WITHDRAWN', 1, 'FAILED_TO_REPORT', 'mi-v1', '{}'::jsonb,
          timestamptz '2026-07-02 08:00Z', timestamptz '2026-07-02 08:00Z', null
        from generate_series(1, ${EXTRA_TASKS}::int)
        returning id
      )
      insert into task_events (task_id, task_version, status, occurred_at, run_id, rule_set_version)
      select id, 1, 'WITHDRAWN', timestamptz '2026-07-02 08:00Z', 1, 'mi-v1' from made
    `.execute(database.db)
    web = await startTestApp(database, { clock: frozenClock(new Date('2026-08-01T09:00:00Z')) })
    await web.app.listen({ port: 0, host: '127.0.0.1' })
    origin = `http://127.0.0.1:${(web.app.server.address() as AddressInfo).port}`
    const client = new WebClient(web.app)
    await client.signIn('lead')
    cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  })
  after(async () => {
    await web.close()
    await database.close()
  })

  async function auditRows() {
    return database.db.selectFrom('mi_downloads').selectAll().orderBy('id').execute()
  }

  /** Starts a download over a real socket and returns once its first bytes arrive. */
  async function startDownload(format: 'csv' | 'xlsx'): Promise<IncomingMessage> {
    const url = `${origin}${paths.miReportFile(format, { from: '2026-07-01', to: '2026-07-31' })}`
    const sent = request(url, { headers: { cookie } })
    sent.end()
    const [response] = (await once(sent, 'response')) as [IncomingMessage]
    assert.equal(response.statusCode, 200)
    await once(response, 'data')
    return response
  }

  /** Report queries (COPY or cursor) the server is still running, once it has had time to stop them. */
  async function reportsRunning(): Promise<number> {
    for (let attempt = 0; ; attempt += 1) {
      const running = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
          and query like '%latest_referral%'`.execute(database.db)
      const n = running.rows[0]?.n ?? 0
      if (n === 0 || attempt === 50) return n
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  async function endedDownload() {
    for (;;) {
      const last = (await auditRows()).at(-1)
      if (last?.outcome) return last
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  for (const format of ['csv', 'xlsx'] as const) {
    it(`stops the ${format} query when the client disconnects, and frees the connection`, async () => {
      const response = await startDownload(format)
      // Stop reading and hang up, as a browser does when the download is cancelled.
      response.pause()
      response.destroy()
      const ended = await endedDownload()
      assert.equal(ended.outcome, 'ABORTED')
      if (database.pool) {
        // Only PostgreSQL streams (the CSV through COPY, Excel through a cursor); PGlite hands over
        // the whole result at once.
        assert.ok((ended.rows ?? 0) < EXTRA_TASKS, `stopped early: ${ended.rows} rows`)
        // Every connection is back in the pool, and none is stuck in a query.
        assert.equal(database.pool.totalCount - database.pool.idleCount, 0)
        assert.equal(database.pool.waitingCount, 0)
        // Nor is the server still working on the abandoned report.
        assert.equal(await reportsRunning(), 0)
      }
      const next = await sql<{ n: number }>`select count(*)::int as n from task_events`.execute(database.db)
      assert.equal(next.rows[0]?.n, EXTRA_TASKS + 8)
    })
  }

  it('streams the whole file when the client reads it all', async () => {
    const response = await startDownload('csv')
    let bytes = 0
    for await (const chunk of response) bytes += (chunk as Buffer).length
    const ended = await endedDownload()
    assert.equal(ended.outcome, 'COMPLETED')
    assert.equal(ended.rows, EXTRA_TASKS + 8)
    assert.ok(bytes > 0)
  })
})
