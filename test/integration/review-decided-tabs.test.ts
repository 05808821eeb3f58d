/**
 * The Accepted, Rejected and On hold tabs: listed before any search, narrowed
 * by one, and reached from a bare tab link.
 */
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, SEARCH, tableRowsOf, tabsOf } from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'

describe('review tasks: decided tabs', () => {
  const app = reviewPagesHarness()
  const { signedIn } = app

  beforeEach(async () => {
    await insertReviewTasks(app.database.db, [
      {
        personId: 'D1',
        status: 'ACCEPTED',
        changedAt: new Date('2026-03-01T10:00:00Z'),
        changedBy: 'lse.worker',
      },
      {
        personId: 'D2',
        status: 'ACCEPTED',
        changedAt: new Date('2026-02-20T10:00:00Z'),
        changedBy: 'lse.worker',
      },
      {
        personId: 'D3',
        status: 'REJECTED',
        changedAt: new Date('2026-02-11T10:00:00Z'),
        changedBy: 'lse.worker',
      },
      {
        personId: 'D4',
        status: 'ON_HOLD',
        changedAt: new Date('2025-12-01T10:00:00Z'),
        changedBy: 'lse.worker',
        reportingDate: '2026-05-01',
      },
      {
        personId: 'D5',
        status: 'ON_HOLD',
        region: 'MEE',
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
    ])
  })

  it('lists decided tasks of the region with who decided and when, before any search', async () => {
    const client = await signedIn('lse.worker')
    const accepted = await client.get(paths.reviewList('LSE', 'accepted'))
    assert.equal(accepted.statusCode, 200)
    assert.deepEqual(tabsOf(accepted.body), [
      'Recommended (0)',
      'Accepted (1)',
      'Rejected (1)',
      'On hold (1)',
    ])
    assert.deepEqual(tableRowsOf(accepted.body), [
      ['', '10 March 2026', 'Grace Okafor', 'Failed-to-report follow-up', '10', 'Lee Worker', '1 March 2026'],
    ])
    assert.match(accepted.body, />\s*Search tasks\s*</)
    const onHold = await client.get(paths.reviewList('LSE', 'on-hold'))
    assert.deepEqual(
      tableRowsOf(onHold.body).map((row) => row[1]),
      ['1 May 2026'],
    )
  })

  it('applies the search to the decided tabs too', async () => {
    const client = await signedIn('lse.worker')
    const searched = await client.get(paths.reviewList('LSE', 'on-hold', SEARCH))
    assert.deepEqual(tabsOf(searched.body), [
      'Recommended (0)',
      'Accepted (1)',
      'Rejected (1)',
      'On hold (0)',
    ])
  })

  it('sends a bare tab link (from a decision page) to that tab of the region and search in the session', async () => {
    // Before any region is chosen: a one-region user goes straight to the tab, others choose first.
    const twoRegions = await signedIn('two.regions')
    assert.equal((await twoRegions.get(paths.reviewTab('accepted'))).headers.location, paths.reviewRegion())
    const client = await signedIn('lse.worker')
    assert.equal(
      (await client.get(paths.reviewTab('accepted'))).headers.location,
      paths.reviewList('LSE', 'accepted'),
    )
    await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    const response = await client.get(paths.reviewTab('rejected'))
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.reviewList('LSE', 'rejected', SEARCH))
    assert.equal((await client.get('/review-tasks/closed')).statusCode, 404)
  })

  it('sends the Recommended tab without a search to the search form', async () => {
    const client = await signedIn('lse.worker')
    const response = await client.get(paths.reviewList('LSE', 'recommended'))
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, paths.reviewSearch('LSE'))
  })
})
