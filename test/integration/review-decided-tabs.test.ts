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
      [
        '',
        '10 March 2026',
        'Grace Okafor',
        'Failed-to-report follow-up',
        '10',
        '',
        'Lee Worker',
        '1 March 2026',
      ],
    ])
    assert.match(accepted.body, />\s*Search tasks\s*</)
    const onHold = await client.get(paths.reviewList('LSE', 'on-hold'))
    assert.deepEqual(
      tableRowsOf(onHold.body).map((row) => row[1]),
      ['1 May 2026'],
    )
  })

  it('narrows the decided tabs by the search’s task types but not by its reporting dates', async () => {
    const client = await signedIn('lse.worker')
    const searched = await client.get(paths.reviewList('LSE', 'on-hold', SEARCH))
    // D4's reporting date (1 May) is outside the search's range: it is listed all the same.
    assert.deepEqual(tabsOf(searched.body), [
      'Recommended (0)',
      'Accepted (1)',
      'Rejected (1)',
      'On hold (1)',
    ])
    assert.deepEqual(
      tableRowsOf(searched.body).map((row) => row[1]),
      ['1 May 2026'],
    )
    const otherType = await client.get(
      paths.reviewList('LSE', 'on-hold', { ...SEARCH, taskType: ['DETENTION_REVIEW'] }),
    )
    assert.deepEqual(tabsOf(otherType.body), [
      'Recommended (0)',
      'Accepted (0)',
      'Rejected (0)',
      'On hold (0)',
    ])
  })

  it('lists work decided yesterday whose reporting date has passed, until its retention ends', async () => {
    // Today is 2 March 2026; the search starts today. Accepted tasks stay 5 days, rejected 20.
    await insertReviewTasks(app.database.db, [
      {
        personId: 'P1',
        status: 'ON_HOLD',
        reportingDate: '2026-03-01',
        changedAt: new Date('2026-03-01T16:00:00Z'),
        changedBy: 'lse.worker',
      },
      {
        personId: 'P2',
        status: 'ACCEPTED',
        reportingDate: '2026-02-20',
        changedAt: new Date('2026-02-25T00:30:00Z'),
        changedBy: 'lse.worker',
      },
      {
        // Accepted on 24 February, London time: its 5 days ended yesterday.
        personId: 'P3',
        status: 'ACCEPTED',
        reportingDate: '2026-02-20',
        changedAt: new Date('2026-02-24T23:59:00Z'),
        changedBy: 'lse.worker',
      },
      {
        personId: 'P4',
        status: 'REJECTED',
        reportingDate: null,
        changedAt: new Date('2026-02-10T00:00:00Z'),
        changedBy: 'lse.worker',
      },
      // Still waiting, but its reporting event has passed: the Recommended tab keeps to the search's dates.
      { personId: 'P5', status: 'RECOMMENDED', reportingDate: '2026-02-27' },
    ])
    const client = await signedIn('lse.worker')
    const onHold = await client.get(paths.reviewList('LSE', 'on-hold', SEARCH))
    assert.deepEqual(
      tableRowsOf(onHold.body).map((row) => row[1]),
      ['1 March 2026', '1 May 2026'],
    )
    assert.match(
      onHold.body,
      /Tasks on hold stay on this tab until someone accepts or rejects them, whatever their reporting date\./,
    )
    const accepted = await client.get(paths.reviewList('LSE', 'accepted', SEARCH))
    assert.deepEqual(
      tableRowsOf(accepted.body).map((row) => [row[1], row[7]]),
      [
        ['20 February 2026', '25 February 2026'],
        ['10 March 2026', '1 March 2026'],
      ],
    )
    assert.match(accepted.body, /Accepted tasks stay on this tab for 5 days after the decision/)
    const rejected = await client.get(paths.reviewList('LSE', 'rejected', SEARCH))
    assert.deepEqual(
      tableRowsOf(rejected.body).map((row) => [row[1], row[7]]),
      [
        ['10 March 2026', '11 February 2026'],
        ['Not known', '10 February 2026'],
      ],
    )
    assert.match(rejected.body, /Rejected tasks stay on this tab for 20 days after the decision/)
    const recommended = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.deepEqual(tabsOf(recommended.body), [
      'Recommended (0)',
      'Accepted (2)',
      'Rejected (2)',
      'On hold (2)',
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
