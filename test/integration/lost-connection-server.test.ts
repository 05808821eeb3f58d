/**
 * The hardening issue's outage, on the service as production runs it
 * (`ipic serve` in a process of its own, so an error nobody handles would
 * end it): the database ends the service's sessions while caseworkers and
 * managers browse, and while MI reports download. Requests caught by it get
 * the 503 problem page, downloads are recorded as failed, the process stays
 * up, and the next request is served on a fresh connection.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type pg from 'pg'
import { paths } from '../../src/web/paths.ts'
import { adminClient, asAdmin, backendAppears, terminateBackends } from '../support/backends.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { addMiTestUsers, buildMiFixture, type MiFixture } from '../support/mi.ts'
import { HttpClient, type ServerProcess, startServerProcess } from '../support/server-process.ts'
import { titleOf } from '../support/web.ts'

const skip = testDatabaseUrl()
  ? false
  : 'needs PostgreSQL (DATABASE_URL): PGlite runs inside the service and has no connection to lose'

const PROBLEM_TITLE =
  'Sorry, there is a problem with the service – Identify and prioritise immigration cases – GOV.UK'
/** The brief's promise: once the outage is over, a request is answered within this. */
const ANSWERED_WITHIN_MS = 5000

interface Answer {
  readonly path: string
  readonly status: number | 'no response'
  readonly problemPage: boolean
}

describe('the service losing its database connections', { skip, timeout: 180_000 }, () => {
  let database: TestDatabase
  let url: string
  let fixture: MiFixture
  let server: ServerProcess

  before(async () => {
    database = await openTestDatabase()
    url = database.url as string
    await addMiTestUsers(database)
    fixture = await buildMiFixture(database.db)
    server = await startServerProcess(url, { IPIC_TODAY: '2026-08-01' })
  })
  after(async () => {
    await server?.stop()
    await database?.close()
  })

  /** The process is running and answers a page within the promised time. */
  async function assertServing(client: HttpClient, path: string): Promise<void> {
    assert.ok(server.alive(), `the service stopped:\n${server.output()}`)
    const response = await client.get(path, AbortSignal.timeout(ANSWERED_WITHIN_MS))
    const body = await response.text()
    assert.equal(
      response.status,
      200,
      `${path} answered ${response.status} ${response.headers.get('location') ?? ''}:\n${titleOf(body)}`,
    )
  }

  async function answer(client: HttpClient, path: string): Promise<Answer> {
    try {
      const response = await client.get(path)
      const body = await response.text()
      return {
        path,
        status: response.status,
        problemPage:
          titleOf(body) === PROBLEM_TITLE && /data-testid="error-reference">[0-9A-Z-]+</.test(body),
      }
    } catch {
      return { path, status: 'no response', problemPage: false }
    }
  }

  it('answers 503 or the page while its sessions are ended under load, and stays up', async () => {
    const search = {
      taskType: ['FAILED_TO_REPORT'],
      from: '2026-08-01',
      to: '2026-08-20',
      country: [],
      location: '',
    }
    const caseworkerPages = [
      paths.reviewList('LSE', 'recommended', search),
      paths.reviewSearch('LSE'),
      paths.taskSection(fixture.tasks.P1, 'person-details'),
      paths.reviewList('LSE', 'accepted'),
      paths.taskSection(fixture.tasks.P2, 'person-details'),
      paths.reviewList('LSE', 'rejected'),
    ]
    const managerPages = [
      paths.miDashboard(),
      paths.reviewList('LSE', 'on-hold'),
      paths.taskSection(fixture.tasks.P3, 'person-details'),
    ]
    const visitors = await Promise.all(
      [
        ['cw1', caseworkerPages],
        ['mgr', managerPages],
        ['cw1', [...caseworkerPages].reverse()],
        ['mgr', [...managerPages].reverse()],
      ].map(async ([userId, pages]) => {
        const client = new HttpClient(server.origin)
        await client.signIn(userId as string)
        return { client, pages: pages as string[] }
      }),
    )
    // Every page works before the outage, so that a 200 later means what it says.
    for (const { client, pages } of visitors) for (const path of pages) await assertServing(client, path)

    const answers: Answer[] = []
    let browsing = true
    const browsed = visitors.map(async ({ client, pages }) => {
      for (let turn = 0; browsing; turn += 1) {
        answers.push(await answer(client, pages[turn % pages.length] as string))
      }
    })
    /** Waits until `count` more pages have been served successfully (a generous deadline for a stuck service). */
    async function servedMore(count: number): Promise<void> {
      const target = answers.filter((one) => one.status === 200).length + count
      const deadline = Date.now() + 30_000
      while (answers.filter((one) => one.status === 200).length < target) {
        assert.ok(server.alive(), `the service stopped:\n${server.output()}`)
        assert.ok(
          Date.now() < deadline,
          `the service stopped serving pages: ${JSON.stringify(answers.slice(-8))}`,
        )
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }

    const admin = await adminClient(url)
    let ended = 0
    try {
      for (let round = 0; round < 6; round += 1) {
        await servedMore(8)
        ended += await terminateBackends(admin)
      }
      // Served again after the last outage, under the same load.
      await servedMore(8)
    } finally {
      browsing = false
      await Promise.all(browsed)
      await admin.end()
    }

    assert.ok(ended > 0, 'the test ended none of the service’s sessions')
    assert.ok(server.alive(), `the service stopped:\n${server.output()}`)
    const wrong = answers.filter((one) => !(one.status === 200 || (one.status === 503 && one.problemPage)))
    assert.deepEqual(wrong, [], 'every answer is the page or the 503 problem page')
    for (const { client, pages } of visitors) await assertServing(client, pages[0] as string)
  })

  for (const format of ['xlsx', 'csv'] as const) {
    it(`records a ${format} MI download cut off by the outage as failed, and stays up`, async () => {
      const client = new HttpClient(server.origin)
      await client.signIn('lead')
      const before = await lastDownloadId()
      // The report waits for this lock, so the outage comes while its query is under way.
      const locker = await adminClient(url)
      let download: Promise<string>
      try {
        await locker.query('begin')
        await locker.query('lock table task_events in access exclusive mode')
        download = client
          .get(paths.miReportFile(format, { from: '2026-07-01', to: '2026-07-31' }))
          .then(async (response) => `${response.status}, ${(await response.arrayBuffer()).byteLength} bytes`)
          .catch((error: unknown) => `cut off: ${String(error)}`)
        await backendAppears(locker, `wait_event_type = 'Lock'`)
        // Every session of the service ends; the locker's own is spared (pid <> pg_backend_pid()).
        assert.ok((await terminateBackends(locker)) > 0)
      } finally {
        await locker.query('rollback').catch(() => {})
        await locker.end()
      }
      const outcome = await download
      assert.match(outcome, /^cut off/, `the download did not fail: ${outcome}`)

      const recorded = await downloadEnded(before)
      assert.equal(recorded.outcome, 'FAILED')
      assert.equal(recorded.format, format)
      await assertServing(client, paths.miReport())
    })
  }

  async function lastDownloadId(): Promise<number> {
    return asAdmin(url, async (client) => {
      const result = await client.query<{ id: number | null }>('select max(id) as id from mi_downloads')
      return Number(result.rows[0]?.id ?? 0)
    })
  }

  /** The audit row of the download after `previousId`, once it has an outcome. */
  async function downloadEnded(previousId: number): Promise<{ outcome: string; format: string }> {
    const deadline = Date.now() + 10_000
    return asAdmin(url, async (client: pg.Client) => {
      for (;;) {
        const result = await client.query<{ outcome: string | null; format: string }>(
          'select outcome, format from mi_downloads where id > $1 order by id limit 1',
          [previousId],
        )
        const row = result.rows[0]
        if (row?.outcome) return { outcome: row.outcome, format: row.format }
        assert.ok(Date.now() < deadline, `the download has no outcome: ${JSON.stringify(row)}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })
  }
})
