import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { frozenClock } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import type { ListWhere } from '../../src/review/list-query.ts'
import { indexTab, listTasks, PAGE_SIZE } from '../../src/review/lists.ts'
import { listStamp, MAX_AGE_MS, PageIndexCache } from '../../src/review/page-index-cache.ts'
import { CHANGE_SLOTS, countRegionChange } from '../../src/tasks/region-changes.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { insertReviewTasks, type ReviewTaskFixture } from '../support/review-tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
} from '../support/web.ts'

const TODAY = '2026-03-02'
const RETENTION = { acceptedDays: 5, rejectedDays: 20 }

function where(overrides: Partial<ListWhere> = {}): ListWhere {
  return {
    region: 'LSE',
    scope: { all: false, codes: ['LSE', 'MEE'] },
    today: TODAY as IsoDate,
    retention: RETENTION,
    search: null,
    ...overrides,
  }
}

/**
 * 250 tasks with many ties: five priorities, four reporting dates (one of
 * them none), so most pages start in the middle of a run of equal priority
 * and date, where only the task ID decides the order.
 */
function tiedFixtures(count: number, prefix = 'T'): ReviewTaskFixture[] {
  const dates = ['2026-03-05', null, '2026-03-03', '2026-03-20']
  return Array.from({ length: count }, (_, n) => ({
    personId: `${prefix}${String(n).padStart(3, '0')}`,
    priority: [10, 7.25, 10, 3, 7.25, 0][n % 6] ?? 0,
    reportingDate: dates[n % dates.length] ?? null,
  }))
}

/** The tab order worked out in JavaScript: priority down, date up with none last, then task ID. */
function expectedOrder(fixtures: readonly ReviewTaskFixture[], ids: readonly number[]): number[] {
  return fixtures
    .map((fixture, n) => ({ id: ids[n] ?? 0, priority: fixture.priority ?? 10, date: fixture.reportingDate }))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        (a.date ?? '9999-12-31').localeCompare(b.date ?? '9999-12-31') ||
        a.id - b.id,
    )
    .map((task) => task.id)
}

describe('review lists: page index, deep pages and keeping the index', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())
  beforeEach(() => database.reset())

  describe('pages', () => {
    it('splits the tab into pages of 100 in the tab order, across runs of equal priority and date', async () => {
      const fixtures = tiedFixtures(250)
      const ids = await insertReviewTasks(database.db, fixtures)
      const expected = expectedOrder(fixtures, ids)

      const index = await indexTab(database.db, 'recommended', where())
      assert.equal(index.total, 250)
      assert.equal(index.pageStarts.length, 3)
      assert.deepEqual(
        index.pageStarts.map((start) => Number(start.id)),
        [expected[0], expected[100], expected[200]],
      )

      const pages = await Promise.all(
        [1, 2, 3].map((page) => listTasks(database.db, 'recommended', where(), page, index)),
      )
      assert.deepEqual(
        pages.map((page) => page.rows.length),
        [100, 100, 50],
      )
      assert.deepEqual(
        pages.flatMap((page) => page.rows.map((row) => row.taskId)),
        expected,
      )
      for (const page of pages) assert.equal(page.total, 250)

      const beyond = await listTasks(database.db, 'recommended', where(), 4, index)
      assert.deepEqual(beyond.rows, [])
      assert.equal(beyond.total, 250)
    })

    it('has exactly 100 on the last page when the tab holds a multiple of 100', async () => {
      await insertReviewTasks(database.db, tiedFixtures(200))
      const index = await indexTab(database.db, 'recommended', where())
      assert.equal(index.pageStarts.length, 2)
      assert.equal((await listTasks(database.db, 'recommended', where(), 2, index)).rows.length, 100)
      assert.deepEqual((await listTasks(database.db, 'recommended', where(), 3, index)).rows, [])
    })

    it('indexes an empty tab as no pages, and a search only over what it matches', async () => {
      await insertReviewTasks(database.db, [
        ...tiedFixtures(120),
        { personId: 'ALBANIAN', priority: 50, taskType: 'SAFEGUARDING', person: { nationality: 'ALB' } },
      ])
      const empty = await indexTab(database.db, 'accepted', where())
      assert.deepEqual(empty, { total: 0, pageStarts: [] })

      const search = {
        taskTypes: ['SAFEGUARDING'],
        from: TODAY as IsoDate,
        to: '2026-03-29' as IsoDate,
        countries: ['ALB'],
        location: null,
      }
      const index = await indexTab(database.db, 'recommended', where({ search }))
      assert.equal(index.total, 1)
      const page = await listTasks(database.db, 'recommended', where({ search }), 1, index)
      assert.deepEqual(
        page.rows.map((row) => row.personId),
        ['ALBANIAN'],
      )
    })

    it("indexes nothing of a region outside the user's scope", async () => {
      await insertReviewTasks(database.db, tiedFixtures(10))
      const outside = where({ scope: { all: false, codes: ['MEE'] } })
      assert.deepEqual(await indexTab(database.db, 'recommended', outside), { total: 0, pageStarts: [] })
      assert.deepEqual((await listTasks(database.db, 'recommended', outside, 1)).rows, [])
    })
  })

  describe('keeping page indexes', () => {
    let now: number
    let cache: PageIndexCache
    beforeEach(() => {
      now = Date.parse('2026-03-02T09:00:00Z')
      cache = new PageIndexCache({ now: () => now })
    })

    it('keeps an index until it is too old, then rebuilds it behind the old one; page 1 is always live', async () => {
      await insertReviewTasks(database.db, tiedFixtures(150))
      const first = await cache.indexFor(database.db, 'recommended', where(), 'run-1')
      assert.equal(first.total, 150)

      const [urgent] = await insertReviewTasks(database.db, [{ personId: 'URGENT', priority: 99 }])
      now += MAX_AGE_MS - 1
      const kept = await cache.indexFor(database.db, 'recommended', where(), 'run-1')
      assert.equal(kept, first, 'the same index, not rebuilt')
      const page = await listTasks(database.db, 'recommended', where(), 1, kept)
      assert.equal(page.rows[0]?.taskId, urgent, 'the rows are read live')
      assert.equal(page.total, 150, 'the total is the kept one')

      now += 1
      const stale = await cache.indexFor(database.db, 'recommended', where(), 'run-1')
      assert.equal(stale, first, 'the old index answers while the new one is built')
      await cache.refreshed()
      const rebuilt = await cache.indexFor(database.db, 'recommended', where(), 'run-1')
      assert.notEqual(rebuilt, first)
      assert.equal(rebuilt.total, 151)
    })

    it('rebuilds when a rule run has started or finished since', async () => {
      await insertReviewTasks(database.db, tiedFixtures(5))
      const before = await listStamp(database.db, 'LSE')
      const first = await cache.indexFor(database.db, 'recommended', where(), before)
      await insertReviewTasks(database.db, tiedFixtures(3, 'NEW'))
      await sql`insert into rule_sets (version, loaded_at, files) values ('v1', now(), '[]')`.execute(
        database.db,
      )
      await sql`insert into rule_runs (rule_set_version, trigger, started_at, status)
                values ('v1', 'manual', now(), 'RUNNING')`.execute(database.db)
      const started = await listStamp(database.db, 'LSE')
      assert.notEqual(started, before)
      const during = await cache.indexFor(database.db, 'recommended', where(), started)
      assert.equal(during.total, 8)
      assert.notEqual(during, first)

      await sql`update rule_runs set status = 'COMPLETED', finished_at = now()`.execute(database.db)
      assert.notEqual(await listStamp(database.db, 'LSE'), started)
    })

    it("moves a region's stamp when a change in it is counted, in whichever slot, and only that region's", async () => {
      const [lse, mee] = [await listStamp(database.db, 'LSE'), await listStamp(database.db, 'MEE')]
      const count = (romRegion: string, taskId: number) =>
        database.db.transaction().execute((trx) => countRegionChange(trx, { romRegion, taskId }))
      await count('LSE', 1)
      const counted = await listStamp(database.db, 'LSE')
      assert.notEqual(counted, lse)
      assert.equal(await listStamp(database.db, 'MEE'), mee, 'another region keeps its stamp')
      await count('LSE', 1 + CHANGE_SLOTS)
      const again = await listStamp(database.db, 'LSE')
      assert.notEqual(again, counted, 'every change moves it again, in the same slot')
      await count('LSE', 2)
      assert.notEqual(await listStamp(database.db, 'LSE'), again, 'and in another slot')
      const rolledBack = database.db.transaction().execute(async (trx) => {
        await countRegionChange(trx, { romRegion: 'MEE', taskId: 3 })
        throw new Error('the decision failed')
      })
      await assert.rejects(rolledBack, /the decision failed/)
      assert.equal(await listStamp(database.db, 'MEE'), mee, 'a change rolled back is not counted')
    })

    it("forgets a region's indexes and counts when told, and only that region's", async () => {
      await insertReviewTasks(database.db, [
        ...tiedFixtures(4),
        ...tiedFixtures(2, 'M').map((fixture) => ({ ...fixture, region: 'MEE' })),
      ])
      const mee = where({ region: 'MEE' })
      await cache.indexFor(database.db, 'recommended', where(), 's')
      await cache.indexFor(database.db, 'recommended', mee, 's')
      assert.equal((await cache.countsFor(database.db, where(), 's')).recommended, 4)

      await database.db.updateTable('tasks').set({ status: 'ACCEPTED' }).execute()
      cache.forgetRegion('LSE')
      assert.equal((await cache.indexFor(database.db, 'recommended', where(), 's')).total, 0)
      assert.deepEqual(await cache.countsFor(database.db, where(), 's'), {
        recommended: 0,
        accepted: 4,
        rejected: 0,
        onHold: 0,
      })
      assert.equal((await cache.indexFor(database.db, 'recommended', mee, 's')).total, 2, 'MEE is kept')
    })

    it('builds an index once for callers asking at the same time, and keeps each search apart', async () => {
      await insertReviewTasks(database.db, tiedFixtures(30))
      const a = cache.indexFor(database.db, 'recommended', where(), 's')
      const b = cache.indexFor(database.db, 'recommended', where(), 's')
      assert.equal(a, b)
      const search = {
        taskTypes: ['SAFEGUARDING'],
        from: TODAY as IsoDate,
        to: '2026-03-29' as IsoDate,
        countries: [],
        location: null,
      }
      assert.equal((await cache.indexFor(database.db, 'recommended', where({ search }), 's')).total, 0)
      assert.equal((await a).total, 30)
    })

    it('keeps no more searches than it may', async () => {
      const small = new PageIndexCache({ maxEntries: 2 })
      for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) {
        await small.indexFor(database.db, 'recommended', where({ today: day as IsoDate }), 's')
      }
      assert.equal(small.size, 2)
    })
  })

  describe('on the web', () => {
    let web: TestApp
    before(async () => {
      web = await startTestApp(database, { clock: frozenClock(new Date(`${TODAY}T09:00:00Z`)) })
    })
    after(() => web.close())

    it('counts a decision made through the server at once, and pages deep results', async () => {
      await addTestUser(database, { id: 'lse.worker', name: 'Lee Worker', regions: ['LSE'] })
      const ids = await insertReviewTasks(
        database.db,
        Array.from({ length: 230 }, (_, n) => ({
          personId: `W${String(n).padStart(3, '0')}`,
          priority: 300 - n,
          taskType: 'FAILED_TO_REPORT',
          reportingDate: '2026-03-10',
        })),
      )
      const client = await signedInClient(web.app, 'lse.worker')
      const search = {
        taskType: ['FAILED_TO_REPORT'],
        from: TODAY,
        to: '2026-03-29',
        country: [] as string[],
        location: '',
      }
      const tabs = (html: string) =>
        [...html.matchAll(/<a class="moj-sub-navigation__link"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]?.trim())

      const third = await client.get(paths.reviewList('LSE', 'recommended', search, 3))
      assert.equal(third.statusCode, 200)
      assert.ok(textOf(third.body).includes('Showing 201 – 230 of 230 results'))
      assert.ok(third.body.includes(`/tasks/${ids[200]}`), 'page 3 starts with the 201st task')
      assert.ok(!third.body.includes(`/tasks/${ids[199]}"`), 'and not with the 200th')
      assert.equal((await client.get(paths.reviewList('LSE', 'recommended', search, 4))).statusCode, 404)

      const taskId = ids[0] ?? 0
      const form = await client.get(paths.taskDecision(taskId, 'accept'))
      const accepted = await client.post(paths.taskDecision(taskId, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version: '1',
        checksConfirmed: 'yes',
      })
      assert.equal(accepted.statusCode, 303)

      const after = await client.get(paths.reviewList('LSE', 'recommended', search))
      assert.deepEqual(tabs(after.body), ['Recommended (229)', 'Accepted (1)', 'Rejected (0)', 'On hold (0)'])
      assert.ok(!after.body.includes(`/tasks/${taskId}"`))
      assert.ok(after.body.includes(`/tasks/${ids[1]}`))
      assert.ok(textOf(after.body).includes(`Showing 1 – ${PAGE_SIZE} of 229 results`))
    })
  })
})
