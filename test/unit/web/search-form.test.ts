import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IsoDate } from '../../../src/dates.ts'
import { type SearchInput, searchToInput, validateSearch } from '../../../src/review/search.ts'
import {
  hasSearchQuery,
  searchInputFromForm,
  searchInputFromQuery,
  searchToQuery,
} from '../../../src/web/forms/search-form.ts'

const CONTEXT = {
  today: '2026-03-02' as IsoDate,
  maxDays: 28,
  taskTypes: new Set(['FAILED_TO_REPORT', 'SAFEGUARDING']),
  countries: new Set(['ALB', 'NGA']),
  locations: new Set(['BECKET_HOUSE']),
  regionName: 'London and South East',
}

const VALID: SearchInput = {
  taskTypes: ['FAILED_TO_REPORT'],
  from: { day: '2', month: '3', year: '2026' },
  to: { day: '30', month: '3', year: '2026' },
  countries: [],
  location: '',
}

describe('search input from the form and from a URL', () => {
  it('reads the form, trimming and dropping repeats', () => {
    const input = searchInputFromForm({
      taskType: ['SAFEGUARDING', 'SAFEGUARDING'],
      'from-day': ' 2 ',
      'from-month': '3',
      'from-year': '2026',
      country: 'NGA',
      location: '',
      _csrf: 'x',
    })
    assert.deepEqual(input, {
      taskTypes: ['SAFEGUARDING'],
      from: { day: '2', month: '3', year: '2026' },
      to: { day: '', month: '', year: '' },
      countries: ['NGA'],
      location: '',
    })
  })

  it('treats a field of the wrong shape as empty rather than failing', () => {
    const input = searchInputFromForm({ taskType: { nested: true }, 'from-day': ['1', '2'] })
    assert.deepEqual(input.taskTypes, [])
    assert.equal(input.from.day, '')
  })

  it('round-trips a valid search through its URL', () => {
    const result = validateSearch({ ...VALID, countries: ['ALB'], location: 'BECKET_HOUSE' }, CONTEXT)
    assert.ok(result.ok)
    const fromUrl = searchInputFromQuery(searchToQuery(result.search))
    assert.deepEqual(fromUrl, searchToInput(result.search))
    assert.deepEqual(validateSearch(fromUrl, CONTEXT), result)
  })

  it('shows an impossible date from a URL in its parts', () => {
    assert.deepEqual(searchInputFromQuery({ from: '2026-02-31' }).from, {
      day: '31',
      month: '2',
      year: '2026',
    })
    assert.deepEqual(searchInputFromQuery({ from: 'soon' }).from, { day: '', month: '', year: 'soon' })
  })

  it('tells a bare tab URL from one carrying a search', () => {
    assert.equal(hasSearchQuery({}), false)
    assert.equal(hasSearchQuery({ page: '2' }), false)
    assert.equal(hasSearchQuery({ taskType: 'SAFEGUARDING' }), true)
    assert.equal(hasSearchQuery({ from: '2026-03-02' }), true)
  })
})
