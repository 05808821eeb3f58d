/**
 * Choosing the ROM region to review: skipped for one region, limited to the
 * user's regions (or every region for a national role), and kept in the
 * session.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, tabsOf } from '../support/review-pages.ts'
import { csrfTokenIn, errorSummaryOf, titleOf } from '../support/web.ts'

describe('review tasks: choosing a region', () => {
  const { signedIn } = reviewPagesHarness()

  it('skips the region page for someone with one region, and shows the empty search', async () => {
    const client = await signedIn('lse.worker')
    const start = await client.get(paths.reviewTasks())
    assert.equal(start.statusCode, 303)
    assert.equal(start.headers.location, paths.reviewRegion())
    const region = await client.get(paths.reviewRegion())
    assert.equal(region.statusCode, 303)
    assert.equal(region.headers.location, paths.reviewSearch('LSE'))
    const search = await client.get(paths.reviewSearch('LSE'))
    assert.equal(search.statusCode, 200)
    assert.equal(titleOf(search.body), 'Review tasks – Identify and prioritise immigration cases – GOV.UK')
    assert.match(search.body, /You have not searched for any tasks\./)
    assert.match(search.body, /ROM region: <strong>London and South East<\/strong>/)
    assert.doesNotMatch(search.body, /Change region/, 'nothing to change to')
    assert.deepEqual(tabsOf(search.body), ['Recommended (0)', 'Accepted (0)', 'Rejected (0)', 'On hold (0)'])
    // The service navigation marks the section.
    assert.match(
      search.body,
      /govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="\/review-tasks" aria-current="true">/,
    )
  })

  it('offers only the regions the user works in, and goes on to the chosen one', async () => {
    const client = await signedIn('two.regions')
    const page = await client.get(paths.reviewRegion())
    assert.equal(page.statusCode, 200)
    assert.equal(
      titleOf(page.body),
      'Select your ROM region – Identify and prioritise immigration cases – GOV.UK',
    )
    const options = [...page.body.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1])
    assert.deepEqual(options, ['', 'LSE', 'MEE'])
    const chosen = await client.post(paths.reviewRegion(), { _csrf: csrfTokenIn(page.body), region: 'MEE' })
    assert.equal(chosen.statusCode, 303)
    assert.equal(chosen.headers.location, paths.reviewSearch('MEE'))
    const search = await client.get(paths.reviewSearch('MEE'))
    assert.match(search.body, /ROM region: <strong>Midlands and East<\/strong>/)
    assert.match(search.body, new RegExp(`href="${paths.reviewRegion()}">Change region`))
    // Coming back to "Review tasks" returns to the region in the session.
    assert.equal((await client.get(paths.reviewTasks())).headers.location, paths.reviewSearch('MEE'))
  })

  it('asks for a region when none is chosen', async () => {
    const client = await signedIn('two.regions')
    const page = await client.get(paths.reviewRegion())
    const response = await client.post(paths.reviewRegion(), { _csrf: csrfTokenIn(page.body), region: '' })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummaryOf(response.body), [['Select your ROM region', '#region']])
    assert.match(titleOf(response.body), /^Error: Select your ROM region/)
  })

  it('refuses a region the user does not work in', async () => {
    const client = await signedIn('two.regions')
    const page = await client.get(paths.reviewRegion())
    const response = await client.post(paths.reviewRegion(), {
      _csrf: csrfTokenIn(page.body),
      region: 'NW',
    })
    assert.equal(response.statusCode, 403)
    assert.equal(
      (await client.get(paths.reviewTasks())).headers.location,
      paths.reviewRegion(),
      'nothing saved',
    )
  })

  it('lets a national role choose from every region', async () => {
    const client = await signedIn('national')
    const page = await client.get(paths.reviewRegion())
    const options = [...page.body.matchAll(/<option value="([^"]+)"/g)].map((match) => match[1])
    assert.deepEqual(options, ['LSE', 'MEE', 'NEYH', 'NW', 'WSW', 'SNI'])
  })

  it('lets a manager review tasks in their region', async () => {
    const client = await signedIn('mee.manager')
    assert.equal((await client.get(paths.reviewRegion())).headers.location, paths.reviewSearch('MEE'))
    assert.equal((await client.get(paths.reviewSearch('MEE'))).statusCode, 200)
    assert.equal((await client.get(paths.reviewSearch('LSE'))).statusCode, 404)
  })

  it('refuses a user whose roles do not include reviewing tasks', async () => {
    const client = await signedIn('author')
    assert.equal((await client.get(paths.reviewRegion())).statusCode, 403)
    assert.equal((await client.get(paths.reviewSearch('LSE'))).statusCode, 403)
  })

  it('refuses a form without its CSRF token and saves nothing', async () => {
    const client = await signedIn('two.regions')
    await client.get(paths.reviewRegion())
    const response = await client.post(paths.reviewRegion(), { region: 'MEE' })
    assert.equal(response.statusCode, 403)
    const forged = await client.post(paths.reviewRegion(), { _csrf: 'forged', region: 'MEE' })
    assert.equal(forged.statusCode, 403)
    assert.equal((await client.get(paths.reviewTasks())).headers.location, paths.reviewRegion())
  })
})
