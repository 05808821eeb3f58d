/**
 * Two instances of the service on one database, each with its own services
 * (and so its own review-list cache): what one does, the other shows on
 * its very next request. On PostgreSQL each instance has its own pools, as
 * two processes would; the embedded database is one process by definition,
 * so there the two share its one connection but nothing else.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { addTestUser, csrfTokenIn, signedInClient, startTestApp, type TestApp } from '../support/web.ts'

const TODAY = '2026-03-02'
const SEARCH = { taskType: ['FAILED_TO_REPORT'], from: TODAY, to: '2026-03-29', country: [], location: '' }
const DUE = { taskType: 'FAILED_TO_REPORT', reportingDate: '2026-03-10' }

/** The tab links' words: "Recommended (3)" and so on. */
function tabs(html: string): (string | undefined)[] {
  return [...html.matchAll(/<a class="moj-sub-navigation__link"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]?.trim())
}

describe('two instances on one database', () => {
  let database: TestDatabase
  let second: TestDatabase
  let one: TestApp
  let other: TestApp
  before(async () => {
    database = await openTestDatabase()
    const own = database.url
      ? await openDatabase({ kind: 'postgres', url: database.url }, { poolSize: 3 })
      : undefined
    second = own ? { ...database, ...own } : database
    const clock = frozenClock(new Date(`${TODAY}T09:00:00Z`))
    one = await startTestApp(database, { clock })
    other = await startTestApp(second, { clock })
  })
  after(async () => {
    await other.close()
    await one.close()
    if (second !== database) await second.close()
    await database.close()
  })

  it("shows a decision made through one instance in the other's tab counts on its very next request", async () => {
    await addTestUser(database, { id: 'lse.worker', name: 'Lee Worker', regions: ['LSE', 'MEE'] })
    const ids = await insertReviewTasks(database.db, [
      ...Array.from({ length: 3 }, (_, n) => ({ personId: `L${n}`, ...DUE })),
      { personId: 'M0', region: 'MEE', ...DUE },
    ])
    const onOne = await signedInClient(one.app, 'lse.worker')
    const onOther = await signedInClient(other.app, 'lse.worker')
    const counted = async (region: string) =>
      tabs((await onOther.get(paths.reviewList(region, 'recommended', SEARCH))).body)
    assert.deepEqual(await counted('LSE'), ['Recommended (3)', 'Accepted (0)', 'Rejected (0)', 'On hold (0)'])
    assert.deepEqual(await counted('MEE'), ['Recommended (1)', 'Accepted (0)', 'Rejected (0)', 'On hold (0)'])

    const taskId = ids[0] ?? 0
    const form = await onOne.get(paths.taskDecision(taskId, 'accept'))
    const accepted = await onOne.post(paths.taskDecision(taskId, 'accept'), {
      _csrf: csrfTokenIn(form.body),
      version: '1',
      checksConfirmed: 'yes',
    })
    assert.equal(accepted.statusCode, 303)

    assert.deepEqual(await counted('LSE'), ['Recommended (2)', 'Accepted (1)', 'Rejected (0)', 'On hold (0)'])
    const page = await onOther.get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.ok(!page.body.includes(`/tasks/${taskId}"`), 'nor is the decided task listed')
    assert.deepEqual(await counted('MEE'), ['Recommended (1)', 'Accepted (0)', 'Rejected (0)', 'On hold (0)'])
  })

  it('keeps a session signed in through one instance on the other (the sessions are in the database)', async () => {
    await addTestUser(database, { id: 'mee.worker', name: 'Mo Worker', regions: ['MEE'] })
    const client = await signedInClient(one.app, 'mee.worker')
    const answer = await other.app.inject({
      method: 'GET',
      url: paths.reviewList('MEE', 'recommended', SEARCH),
      cookies: Object.fromEntries(client.cookies),
    })
    assert.equal(answer.statusCode, 200)
    assert.ok(answer.body.includes('Mo Worker'), 'signed in as the same user')
  })
})
