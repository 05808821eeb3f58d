/**
 * Issue 17 item 6: the service (`ipic serve`, as production runs it) on a
 * PostgreSQL server of the test's own (test/support/own-postgres.ts), while
 * caseworkers browse and decide. When the server stops, every page answers
 * the 503 "Sorry, there is a problem with the service" page without hanging
 * and readiness fails; once it is back the service serves again by itself.
 * The same when the database ends the service's sessions mid-transaction.
 * Either way no decision is lost or doubled.
 *
 * Runs in the PostgreSQL pass of the suite only: it needs PostgreSQL's
 * programs, and once is enough.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addUser } from '../../src/access/users.ts'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { prepareDatabase } from '../../src/db/prepare.ts'
import { paths } from '../../src/web/paths.ts'
import { adminClient, terminateBackends } from '../support/backends.ts'
import { REFERENCE_DIR, testDatabaseUrl } from '../support/database.ts'
import { type Instance, startInstance } from '../support/instances.ts'
import { type OwnPostgres, postgresInstalled, startOwnPostgres } from '../support/own-postgres.ts'
import {
  type Attempt,
  attemptDecision,
  DECISION_ACTIONS,
  isProblemPage,
  seededRandom,
  toldDecisions,
} from '../support/race-client.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { HttpClient } from '../support/server-process.ts'
import { halfWrittenDecisions, lostOrDoubledDecisions, taskLogProblems } from '../support/task-log.ts'
import { TEST_PASSWORD } from '../support/web.ts'

const skip = !testDatabaseUrl()
  ? 'runs in the PostgreSQL pass of the suite (DATABASE_URL)'
  : !postgresInstalled()
    ? 'needs PostgreSQL 15’s programs in /usr/lib/postgresql/15/bin'
    : false

/**
 * The issue's bounds: an answer while the database is away, and serving again once it is back.
 * The issue asks for an answer within 2 seconds; on a machine as loaded as a shared CI runner
 * even a page that never touches the database can take longer, so the test allows 4 seconds of
 * grace. What it catches is a hang: a request left waiting on a database that is not there, for as
 * long as TCP takes to give up, or for ever.
 */
const ISSUE_BOUND_MS = 2000
const LOADED_MACHINE_GRACE_MS = 4000
const ANSWER_WITHIN_MS = ISSUE_BOUND_MS + LOADED_MACHINE_GRACE_MS
const SERVING_AGAIN_WITHIN_MS = 5000

interface Answer {
  readonly what: string
  readonly startedAt: number
  /** 200, 303 and so on; 'problem' for the 503 problem page; 'no answer' when none came. */
  readonly outcome: number | 'problem' | 'no answer'
}

/** A caseworker's browser that notes how long each request waited for its answer. */
class TimedClient extends HttpClient {
  readonly requests: { readonly what: string; readonly startedAt: number; ms: number | 'no answer' }[] = []

  override get(path: string, signal?: AbortSignal): Promise<Response> {
    return this.#timed(`GET ${path}`, () => super.get(path, signal))
  }

  override post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.#timed(`POST ${path}`, () => super.post(path, fields))
  }

  async #timed(what: string, request: () => Promise<Response>): Promise<Response> {
    const entry = { what, startedAt: performance.now(), ms: 'no answer' as number | 'no answer' }
    this.requests.push(entry)
    const response = await request()
    entry.ms = performance.now() - entry.startedAt
    return response
  }
}

interface Caseworker {
  readonly id: string
  readonly client: TimedClient
  readonly attempts: Attempt[]
}

describe('the database failing under the service', { skip, timeout: 120_000 }, () => {
  let own: OwnPostgres
  let database: Database
  let instance: Instance
  let caseworkers: Caseworker[]
  let taskIds: number[]

  before(async () => {
    own = await startOwnPostgres()
    database = await openDatabase({ kind: 'postgres', url: own.url }, { poolSize: 2 })
    await prepareDatabase(database.db, REFERENCE_DIR)
    taskIds = await insertReviewTasks(
      database.db,
      Array.from({ length: 30 }, (_, n) => ({ personId: `F${n}`, region: n % 2 ? 'LSE' : 'MEE' })),
    )
    const ids = ['fault1', 'fault2', 'fault3', 'fault4']
    for (const id of ids) {
      await addUser(database.db, {
        id,
        name: `Fault ${id.slice(5)}`,
        roles: ['CASEWORKER'],
        regions: 'all',
        password: TEST_PASSWORD,
      })
    }
    instance = await startInstance(own.url, { IPIC_TODAY: '2026-03-02' })
    caseworkers = await Promise.all(
      ids.map(async (id) => {
        const client = new TimedClient(`http://${instance.address}`)
        await client.signIn(id)
        return { id, client, attempts: [] }
      }),
    )
  })
  after(async () => {
    await instance?.stop()
    await database?.close()
    await own?.remove()
  })

  /** Caseworkers browsing and deciding until `stop` is called; every answer is kept. */
  function startLoad(seed: number) {
    const answers: Answer[] = []
    const random = seededRandom(seed)
    let going = true
    const timed = async (what: string, work: () => Promise<Answer['outcome']>) => {
      const startedAt = performance.now()
      const outcome = await work().catch(() => 'no answer' as const)
      answers.push({ what, startedAt, outcome })
    }
    const page = (client: HttpClient, path: string) =>
      timed(`GET ${path}`, async () => {
        const response = await client.get(path, AbortSignal.timeout(SERVING_AGAIN_WITHIN_MS * 2))
        const html = await response.text()
        return isProblemPage(response.status, html) ? 'problem' : response.status
      })
    const from = performance.now()
    const running = caseworkers.map(async (caseworker) => {
      while (going) {
        const taskId = taskIds[Math.floor(random() * taskIds.length)] as number
        await page(caseworker.client, paths.task(taskId))
        await page(caseworker.client, paths.reviewList('LSE', 'accepted'))
        const action = DECISION_ACTIONS[Math.floor(random() * DECISION_ACTIONS.length)] ?? 'accept'
        await timed(`decide ${action} ${taskId}`, async () => {
          const attempt = await attemptDecision(caseworker.client, taskId, action)
          caseworker.attempts.push(attempt)
          return attempt.kind === 'unavailable' ? 'problem' : attempt.kind === 'unexpected' ? 500 : 200
        })
      }
    })
    return {
      answers,
      /** Requests not answered within the bound, or not at all, since the load began. */
      slow: () =>
        caseworkers.flatMap((caseworker) =>
          caseworker.client.requests.filter(
            (request) =>
              request.startedAt >= from && (request.ms === 'no answer' || request.ms > ANSWER_WITHIN_MS),
          ),
        ),
      /** Resolves once `count` more answers have come, whatever they were. */
      more: async (count: number) => {
        const target = answers.length + count
        while (answers.length < target) await new Promise((resolve) => setTimeout(resolve, 10))
      },
      stop: async () => {
        going = false
        await Promise.all(running)
      },
    }
  }

  /** Polls a page until it is served; how long that took. */
  async function untilServing(client: HttpClient): Promise<number> {
    const from = performance.now()
    for (;;) {
      const response = await client.get(paths.reviewList('LSE', 'accepted')).catch(() => undefined)
      await response?.body?.cancel()
      if (response?.status === 200) return performance.now() - from
      if (performance.now() - from > 30_000)
        throw new Error(`not serving 30 s after the database returned:\n${instance.output()}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  const readiness = async () => (await fetch(`http://${instance.address}${paths.healthReady()}`)).status

  /** Every decision a caseworker was told was made is in the log once; the log holds no other but those the outage left unknown. */
  async function assertNothingLostOrDoubled(): Promise<void> {
    assert.deepEqual(await taskLogProblems(database.db, { createdByRules: false }), [])
    assert.deepEqual(await halfWrittenDecisions(database.db), [])
    const told = caseworkers.map((caseworker) => toldDecisions(caseworker.id, caseworker.attempts))
    assert.deepEqual(await lostOrDoubledDecisions(database.db, told), [])
    const unexpected = caseworkers.flatMap((caseworker) =>
      caseworker.attempts.filter((a) => a.kind === 'unexpected'),
    )
    assert.deepEqual(unexpected, [])
  }

  it('answers 503 without hanging and fails readiness while the database is stopped, and serves again by itself once it is back', async () => {
    const load = startLoad(6)
    try {
      await load.more(20)
      await own.stop()
      const stoppedAt = performance.now()
      await load.more(20)
      assert.equal(await readiness(), 503, 'not ready while the database is stopped')
      assert.equal(
        (await fetch(`http://${instance.address}${paths.health()}`)).status,
        200,
        'alive all the same',
      )
      const whileStopped = load.answers.filter((answer) => answer.startedAt > stoppedAt)
      assert.ok(whileStopped.length >= 20)
      assert.deepEqual(
        whileStopped.filter((answer) => answer.outcome !== 'problem'),
        [],
        'every request while the database is stopped gets the problem page',
      )

      await own.start()
      const back = await untilServing(caseworkers[0]?.client as HttpClient)
      assert.ok(
        back < SERVING_AGAIN_WITHIN_MS,
        `serving again ${Math.round(back)} ms after the database returned`,
      )
      assert.equal(await readiness(), 200)
      await load.more(20)
    } finally {
      await load.stop()
    }
    assert.deepEqual(load.slow(), [], 'every request was answered, none slowly')
    const wrong = load.answers.filter((answer) => ![200, 303, 'problem'].includes(answer.outcome as never))
    assert.deepEqual(wrong, [])
    assert.ok(instance.process.exitCode === null, `the service stopped:\n${instance.output()}`)
    await assertNothingLostOrDoubled()
  })

  it('answers 503 or the page when the database ends its sessions mid-transaction, and loses or doubles no decision', async () => {
    const admin = await adminClient(own.url)
    const load = startLoad(7)
    let midTransaction = 0
    try {
      await load.more(10)
      // Sessions inside a transaction (a decision being written) are ended as they work.
      const deadline = performance.now() + 20_000
      while (midTransaction < 5 && performance.now() < deadline) {
        midTransaction += await terminateBackends(
          admin,
          `xact_start is not null and application_name <> 'psql'`,
        )
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      await load.more(20)
    } finally {
      await load.stop()
      await admin.end()
    }
    assert.ok(midTransaction >= 5, `only ${midTransaction} sessions were ended mid-transaction`)
    const wrong = load.answers.filter((answer) => ![200, 303, 'problem'].includes(answer.outcome as never))
    assert.deepEqual(wrong, [])
    assert.deepEqual(load.slow(), [], 'every request was answered, none slowly')
    assert.ok(
      load.answers.some((answer) => answer.outcome === 'problem'),
      'no request was caught by the ending',
    )
    const back = await untilServing(caseworkers[1]?.client as HttpClient)
    assert.ok(back < SERVING_AGAIN_WITHIN_MS)
    assert.ok(instance.process.exitCode === null, `the service stopped:\n${instance.output()}`)
    await assertNothingLostOrDoubled()
  })
})
