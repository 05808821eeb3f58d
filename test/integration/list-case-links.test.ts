/**
 * The review lists link each name to its case only for those who may open
 * cases: an administrator or a national analyst reviews the lists but opens
 * no case, so a link would only lead them to "You do not have permission".
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, SEARCH, tableRowsOf } from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'

describe('the review lists’ links to cases', () => {
  const app = reviewPagesHarness()

  it('links each name to its case for a caseworker, and gives an administrator the names alone', async () => {
    await insertReviewTasks(app.database.db, [
      {
        personId: 'L1',
        createdAt: new Date('2026-03-02T10:00:00Z'),
        person: { given_names: 'Lin', family_name: 'Ked' },
      },
    ])
    const list = paths.reviewList('LSE', 'recommended', SEARCH)
    const caseworker = await (await app.signedIn('lse.worker')).get(list)
    assert.equal(caseworker.statusCode, 200)
    assert.match(caseworker.body, /<a class="govuk-link" href="\/tasks\/\d+">Lin Ked<\/a>/)

    const administrator = await (await app.signedIn('national')).get(list)
    assert.equal(administrator.statusCode, 200)
    const row = tableRowsOf(administrator.body)[0] ?? []
    assert.ok(row.includes('Lin Ked'), `the name is shown: ${JSON.stringify(row)}`)
    assert.doesNotMatch(
      administrator.body,
      /href="\/tasks\//,
      'no link to a case the administrator may not open',
    )
  })
})
