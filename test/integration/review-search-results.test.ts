/**
 * Searching the region's recommended tasks: the list and its order, narrowing
 * by nationality and location, the search kept in the session and in a URL
 * that can be shared, and region scope.
 */
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import {
  reviewPagesHarness,
  SEARCH,
  searchForm,
  tableRowsOf,
  tabsOf,
  VALID_FORM,
} from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { csrfTokenIn, titleOf } from '../support/web.ts'

describe('review tasks: searching', () => {
  const app = reviewPagesHarness()
  const { signedIn } = app

  beforeEach(async () => {
    await insertReviewTasks(app.database.db, [
      { personId: 'P1', priority: 30, reportingDate: '2026-03-05', referrals: ['RETURNS_PREPARATION'] },
      { personId: 'P2', priority: 50, reportingDate: '2026-03-09', taskType: 'SAFEGUARDING' },
      { personId: 'P3', priority: 30, reportingDate: '2026-03-03', person: { nationality: 'ALB' } },
      { personId: 'P4', priority: 10, reportingDate: '2026-04-20' },
      {
        personId: 'P5',
        priority: 99,
        reportingDate: '2026-03-04',
        region: 'MEE',
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
    ])
  })

  it('lists the matching tasks of the region, highest priority first, then earliest reporting date', async () => {
    const client = await signedIn('lse.worker')
    const form = await client.get(paths.reviewSearch('LSE'))
    const response = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(form.body, { ...VALID_FORM, taskType: SEARCH.taskType }),
    )
    assert.equal(response.statusCode, 303)
    const expectedUrl = paths.reviewList('LSE', 'recommended', { ...SEARCH, to: '2026-03-16' })
    assert.equal(response.headers.location, expectedUrl)
    const list = await client.get(expectedUrl)
    assert.equal(list.statusCode, 200)
    assert.equal(
      titleOf(list.body),
      'Recommended tasks – Review tasks – Identify and prioritise immigration cases – GOV.UK',
    )
    assert.deepEqual(tabsOf(list.body), ['Recommended (3)', 'Accepted (0)', 'Rejected (0)', 'On hold (0)'])
    assert.deepEqual(tableRowsOf(list.body), [
      // Due: a safeguarding referral within 1 working day, a follow-up within 2, from Sunday 1 March.
      ['', '9 March 2026', '2 March 2026 Due soon', 'Grace Okafor', 'Safeguarding referral', '50', ''],
      ['', '3 March 2026', '3 March 2026 Due soon', 'Grace Okafor', 'Failed-to-report follow-up', '30', ''],
      ['RP', '5 March 2026', '3 March 2026 Due soon', 'Grace Okafor', 'Failed-to-report follow-up', '30', ''],
    ])
    assert.match(list.body, /Showing 1 – 3 of 3 results/)
    assert.match(list.body, />\s*Change search\s*</)
    assert.doesNotMatch(list.body, /govuk-pagination/)
    // Each name opens the case; the way back to this page is kept in the session.
    const firstLink = /<a class="govuk-link" href="([^"]+)">Grace Okafor<\/a>/.exec(list.body)?.[1]
    assert.match(firstLink ?? '', /^\/tasks\/\d+$/)
    assert.equal((await client.get(paths.reviewTasks())).headers.location, expectedUrl)
  })

  it('narrows by nationality and by reporting location', async () => {
    const client = await signedIn('lse.worker')
    const albanian = await client.get(
      paths.reviewList('LSE', 'recommended', { ...SEARCH, country: ['ALB', 'AFG'] }),
    )
    assert.deepEqual(tabsOf(albanian.body)[0], 'Recommended (1)')
    assert.deepEqual(
      tableRowsOf(albanian.body).map((row) => row[1]),
      ['3 March 2026'],
    )
    const elsewhere = await client.get(
      paths.reviewList('LSE', 'recommended', { ...SEARCH, location: 'EATON_HOUSE' }),
    )
    assert.equal(elsewhere.statusCode, 200)
    assert.deepEqual(tabsOf(elsewhere.body)[0], 'Recommended (0)')
    assert.match(elsewhere.body, /There are no recommended tasks for this search\./)
  })

  it('keeps the search in the session: the search page shows it again and the tabs count it', async () => {
    const client = await signedIn('lse.worker')
    await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    const again = await client.get(paths.reviewSearch('LSE'))
    assert.doesNotMatch(again.body, /You have not searched for any tasks/)
    assert.match(again.body, /name="from-day" type="text" value="2"/)
    assert.match(again.body, /value="FAILED_TO_REPORT" checked/)
    assert.equal(tabsOf(again.body)[0], 'Recommended (3)')
    assert.equal(
      (await client.get(paths.reviewTasks())).headers.location,
      paths.reviewList('LSE', 'recommended', SEARCH),
    )
    // "Clear data" forgets it.
    const cleared = await client.post(paths.reviewClear(), { _csrf: csrfTokenIn(again.body) })
    assert.equal(cleared.statusCode, 303)
    const empty = await client.get(paths.reviewSearch('LSE'))
    assert.match(empty.body, /You have not searched for any tasks/)
    assert.doesNotMatch(empty.body, /value="FAILED_TO_REPORT" checked/)
  })

  it('refuses "Clear data" without a CSRF token', async () => {
    const client = await signedIn('lse.worker')
    await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.equal((await client.post(paths.reviewClear(), {})).statusCode, 403)
    assert.equal(
      (await client.get(paths.reviewTasks())).headers.location,
      paths.reviewList('LSE', 'recommended', SEARCH),
    )
  })

  it('opens a results URL in a fresh session: it can be bookmarked and shared', async () => {
    const url = paths.reviewList('LSE', 'recommended', SEARCH)
    const colleague = await signedIn('two.regions')
    const shared = await colleague.get(url)
    assert.equal(shared.statusCode, 200)
    assert.equal(tableRowsOf(shared.body).length, 3)
  })

  it('answers "page not found" for a region the user may not see, or one that does not exist', async () => {
    const client = await signedIn('lse.worker')
    for (const url of [
      paths.reviewList('MEE', 'recommended', SEARCH),
      paths.reviewList('MEE', 'accepted'),
      paths.reviewSearch('MEE'),
      paths.reviewList('NOWHERE', 'recommended', SEARCH),
      paths.reviewList('lse', 'recommended', SEARCH),
      '/review-tasks/LSE/closed',
    ]) {
      assert.equal((await client.get(url)).statusCode, 404, url)
    }
    const form = await client.get(paths.reviewSearch('LSE'))
    const post = await client.post(paths.reviewSearch('MEE'), searchForm(form.body, VALID_FORM))
    assert.equal(post.statusCode, 404)
  })

  it("never lists or counts another region's tasks", async () => {
    const client = await signedIn('two.regions')
    const lse = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.doesNotMatch(lse.body, />99</)
    const mee = await client.get(paths.reviewList('MEE', 'recommended', { ...SEARCH, location: '' }))
    assert.deepEqual(tabsOf(mee.body)[0], 'Recommended (1)')
    assert.deepEqual(
      tableRowsOf(mee.body).map((row) => row[5]),
      ['99'],
    )
  })
})
