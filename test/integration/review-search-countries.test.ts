/**
 * Adding and removing countries of nationality with the form's own buttons,
 * as a browser without JavaScript does.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, searchForm, VALID_FORM } from '../support/review-pages.ts'
import { errorSummaryOf } from '../support/web.ts'

describe('review tasks: countries of nationality without JavaScript', () => {
  const { signedIn } = reviewPagesHarness()

  it('adds countries with the Add button, lists each with a remove button, and searches with them', async () => {
    const client = await signedIn('lse.worker')
    const form = await client.get(paths.reviewSearch('LSE'))
    const added = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(form.body, { ...VALID_FORM, action: 'add-country', addCountry: 'ALB' }),
    )
    assert.equal(added.statusCode, 200)
    assert.match(added.body, /<input type="hidden" name="country" value="ALB">\s*Albania/)
    assert.match(added.body, /name="remove" value="ALB"/)
    assert.doesNotMatch(added.body, /<option value="ALB">/, 'no longer offered')
    // The rest of the form is kept.
    assert.match(added.body, /name="to-day" type="text" value="16"/)

    const second = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(added.body, { ...VALID_FORM, country: ['ALB'], action: 'add-country', addCountry: 'AFG' }),
    )
    assert.match(second.body, /value="ALB">\s*Albania/)
    assert.match(second.body, /value="AFG">\s*Afghanistan/)

    const removed = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(second.body, { ...VALID_FORM, country: ['ALB', 'AFG'], remove: 'ALB' }),
    )
    assert.doesNotMatch(removed.body, /name="country" value="ALB"/)
    assert.match(removed.body, /name="country" value="AFG"/)

    const searched = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(removed.body, { ...VALID_FORM, country: ['AFG'], action: 'search' }),
    )
    assert.equal(searched.statusCode, 303)
    assert.match(searched.headers.location as string, /country=AFG/)
  })

  it('asks for a country when Add is pressed with none chosen', async () => {
    const client = await signedIn('lse.worker')
    const form = await client.get(paths.reviewSearch('LSE'))
    const response = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(form.body, { ...VALID_FORM, action: 'add-country', addCountry: '' }),
    )
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummaryOf(response.body), [
      ['Select a country of nationality to add', '#add-country'],
    ])
  })

  it('refuses to add a country that is not on the list', async () => {
    const client = await signedIn('lse.worker')
    const form = await client.get(paths.reviewSearch('LSE'))
    const response = await client.post(
      paths.reviewSearch('LSE'),
      searchForm(form.body, { ...VALID_FORM, action: 'add-country', addCountry: 'ATLANTIS' }),
    )
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummaryOf(response.body), [
      ['Select a country of nationality from the list', '#add-country'],
    ])
  })
})
