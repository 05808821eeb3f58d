/**
 * Results 100 to a page: GOV.UK pagination keeping the search, the way back
 * from a case to its page and tab, and pages that no longer exist.
 */
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, SEARCH, tableRowsOf } from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { titleOf } from '../support/web.ts'

describe('review tasks: pages of results', () => {
  const app = reviewPagesHarness()
  const { signedIn } = app

  beforeEach(async () => {
    await insertReviewTasks(
      app.database.db,
      Array.from({ length: 150 }, (_, index) => ({
        personId: `P${String(index).padStart(3, '0')}`,
        priority: 200 - index,
        reportingDate: '2026-03-10',
      })),
    )
  })

  it('shows 100 a page with GOV.UK pagination that keeps the search', async () => {
    const client = await signedIn('lse.worker')
    const first = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.equal(tableRowsOf(first.body).length, 100)
    assert.match(first.body, /Showing 1 – 100 of 150 results/)
    assert.equal(
      titleOf(first.body),
      'Recommended tasks (page 1 of 2) – Review tasks – Identify and prioritise immigration cases – GOV.UK',
    )
    assert.equal(tableRowsOf(first.body)[0]![5], '200')
    const next = paths.reviewList('LSE', 'recommended', SEARCH, 2).replaceAll('&', '&amp;')
    assert.match(
      first.body,
      new RegExp(
        `class="govuk-pagination__next">\\s*<a class="govuk-link govuk-pagination__link" href="${next.replace(/[?]/g, '\\?')}"`,
      ),
    )
    assert.doesNotMatch(first.body, /govuk-pagination__prev/)

    const second = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2))
    assert.equal(second.statusCode, 200)
    assert.equal(tableRowsOf(second.body).length, 50)
    assert.equal(tableRowsOf(second.body)[0]![5], '100')
    assert.match(second.body, /Showing 101 – 150 of 150 results/)
    assert.match(second.body, /govuk-pagination__prev/)
    assert.doesNotMatch(second.body, /govuk-pagination__next/)
  })

  it('links each row to its case alone, and the case leads back to the same page of the same tab', async () => {
    const client = await signedIn('lse.worker')
    const second = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2))
    const links = [...second.body.matchAll(/<a class="govuk-link" href="(\/tasks\/[^"]*)"/g)].map(
      ([, href]) => href,
    )
    assert.equal(links.length, 50)
    assert.ok(
      links.every((href) => /^\/tasks\/\d+$/.test(href ?? '')),
      'no search repeated in every row',
    )
    const opened = await client.get(links[0] ?? '')
    assert.equal(opened.statusCode, 303)
    const casePage = await client.get(opened.headers.location as string)
    assert.ok(casePage.body.includes(`href="${paths.reviewTasks()}"`), 'Back to recommended cases')
    assert.equal(
      (await client.get(paths.reviewTasks())).headers.location,
      paths.reviewList('LSE', 'recommended', SEARCH, 2),
    )
    // The tab is kept too: back from a case opened on the Accepted tab goes to the Accepted tab.
    await client.get(paths.reviewList('LSE', 'accepted', SEARCH))
    assert.equal(
      (await client.get(paths.reviewTasks())).headers.location,
      paths.reviewList('LSE', 'accepted', SEARCH),
    )
  })

  it('goes back to the last page there still is when decisions have shortened the list', async () => {
    const client = await signedIn('lse.worker')
    await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2))
    await app.database.db
      .updateTable('tasks')
      .set({ status: 'ACCEPTED', status_changed_at: new Date() })
      .where('person_id', '>=', 'P090')
      .execute()
    app.web.services.reviewLists.forgetAll()
    assert.equal(
      (await client.get(paths.reviewTasks())).headers.location,
      paths.reviewList('LSE', 'recommended', SEARCH),
    )
  })

  it('answers "page not found" for a page past the end or not a page number', async () => {
    const client = await signedIn('lse.worker')
    assert.equal((await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 3))).statusCode, 404)
    const base = paths.reviewList('LSE', 'recommended', SEARCH)
    for (const page of ['0', '-1', 'two', '1.5']) {
      assert.equal((await client.get(`${base}&page=${page}`)).statusCode, 404, page)
    }
  })
})
