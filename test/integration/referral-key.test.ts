/**
 * The review lists' Referral column explained: each code is an abbreviation
 * of the business area that referred the person, and the page has a key to
 * every code from the reference data.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { referralMarkup } from '../../src/web/view-models/referral-key.ts'
import { reviewPagesHarness, SEARCH } from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { textOf } from '../support/web.ts'

describe('the review lists’ referral codes', () => {
  const app = reviewPagesHarness()

  it('marks each code as an abbreviation of its business area and keys every code on the page', async () => {
    await insertReviewTasks(app.database.db, [
      { personId: 'K1', createdAt: new Date('2026-03-02T10:00:00Z'), priority: 50 },
      { personId: 'K2', createdAt: new Date('2026-03-02T10:00:00Z'), priority: 40 },
    ])
    await app.database.db
      .insertInto('referrals')
      .values({ person_id: 'K1', position: 1, business_area: 'CRIMINAL_CASEWORK', referred_on: '2026-02-01' })
      .execute()
    const page = await (await app.signedIn('lse.worker')).get(paths.reviewList('LSE', 'recommended', SEARCH))
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<td class="govuk-table__cell"><abbr title="Criminal Casework">CC<\/abbr><\/td>/)
    const key = /<details[\s\S]*?What the referral codes mean[\s\S]*?<\/details>/.exec(page.body)?.[0] ?? ''
    assert.match(
      textOf(key),
      /RP Returns Preparation CC Criminal Casework AC Asylum Casework DC Detained Casework SH Safeguarding Hub/,
    )
  })

  it('writes a code the key does not know as it is, escaped, and nothing for no referral', () => {
    const key = [{ code: 'CC', name: 'Criminal "Casework"' }]
    assert.equal(referralMarkup('CC', key), '<abbr title="Criminal &quot;Casework&quot;">CC</abbr>')
    assert.equal(referralMarkup('<X>', key), '&lt;X&gt;')
    assert.equal(referralMarkup(null, key), '')
  })
})
