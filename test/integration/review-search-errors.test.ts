/**
 * The search form's errors: each is shown with the input kept and nothing
 * saved, from a form or a mistyped results URL.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, SEARCH, searchForm, VALID_FORM } from '../support/review-pages.ts'
import { errorSummaryOf, titleOf } from '../support/web.ts'

describe('review tasks: search errors', () => {
  const { signedIn } = reviewPagesHarness()

  async function submit(fields: Record<string, string | string[]>) {
    const client = await signedIn('lse.worker')
    const form = await client.get(paths.reviewSearch('LSE'))
    const response = await client.post(paths.reviewSearch('LSE'), searchForm(form.body, fields))
    // Nothing was saved: "Review tasks" still leads to an empty search.
    assert.equal((await client.get(paths.reviewTasks())).headers.location, paths.reviewSearch('LSE'))
    return response
  }

  const cases: [string, Record<string, string | string[]>, [string, string][]][] = [
    ['no task type', { ...VALID_FORM, taskType: [] }, [['Select at least one task type', '#task-type']]],
    [
      'an unknown task type',
      { ...VALID_FORM, taskType: ['MADE_UP'] },
      [['Select a task type from the list', '#task-type']],
    ],
    [
      'no dates',
      {
        ...VALID_FORM,
        'from-day': '',
        'from-month': '',
        'from-year': '',
        'to-day': '',
        'to-month': '',
        'to-year': '',
      },
      [
        ['Enter the date to search from', '#from-day'],
        ['Enter the date to search to', '#to-day'],
      ],
    ],
    [
      '31 February',
      { ...VALID_FORM, 'to-day': '31', 'to-month': '2' },
      [['The date to search to must be a real date', '#to-day']],
    ],
    [
      'letters in a date',
      { ...VALID_FORM, 'from-day': 'x' },
      [['The date to search from must be a real date', '#from-day']],
    ],
    [
      'a date in the past',
      { ...VALID_FORM, 'from-day': '1' },
      [['The date to search from must be today or in the future', '#from-day']],
    ],
    [
      'To before From',
      { ...VALID_FORM, 'from-day': '10', 'to-day': '9' },
      [['The date to search to must be the same as or after the date to search from', '#to-day']],
    ],
    [
      'a range over 28 days',
      { ...VALID_FORM, 'to-day': '31', 'to-month': '3' },
      [['The date to search to must be no more than 28 days after the date to search from', '#to-day']],
    ],
    [
      'an unknown country',
      { ...VALID_FORM, country: ['ZZZ'] },
      [['Select a country of nationality from the list', '#add-country']],
    ],
    [
      'a location of another region',
      { ...VALID_FORM, location: 'NOTTINGHAM_PS' },
      [['Select a reporting location in London and South East', '#location']],
    ],
  ]
  for (const [what, fields, expected] of cases) {
    it(`shows the error for ${what}, keeps the input and saves nothing`, async () => {
      const response = await submit(fields)
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), expected)
      assert.match(titleOf(response.body), /^Error: Review tasks/)
      for (const name of ['from-day', 'from-month', 'to-day'] as const) {
        const value = fields[name] as string
        assert.match(response.body, new RegExp(`name="${name}" type="text" value="${value}"`), name)
      }
    })
  }

  it('accepts a range of exactly 28 days', async () => {
    const client = await signedIn('lse.worker')
    const form = await client.get(paths.reviewSearch('LSE'))
    const fields = { ...VALID_FORM, 'to-day': '30', 'to-month': '3' }
    const response = await client.post(paths.reviewSearch('LSE'), searchForm(form.body, fields))
    assert.equal(response.statusCode, 303)
    assert.equal(
      response.headers.location,
      paths.reviewList('LSE', 'recommended', { ...SEARCH, taskType: ['FAILED_TO_REPORT'] }),
    )
  })

  it('shows a mistyped results URL as the search form with its errors', async () => {
    const client = await signedIn('lse.worker')
    const response = await client.get(paths.reviewList('LSE', 'recommended', { ...SEARCH, to: '2026-02-31' }))
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummaryOf(response.body), [
      ['The date to search to must be a real date', '#to-day'],
    ])
    assert.match(response.body, /name="to-day" type="text" value="31"/)
  })

  it('refuses the search without its CSRF token', async () => {
    const client = await signedIn('lse.worker')
    await client.get(paths.reviewSearch('LSE'))
    const response = await client.post(paths.reviewSearch('LSE'), { ...VALID_FORM })
    assert.equal(response.statusCode, 403)
  })
})
