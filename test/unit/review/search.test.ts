import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../../src/config.ts'
import type { IsoDate } from '../../../src/dates.ts'
import { retentionStart } from '../../../src/review/retention.ts'
import {
  checkCountryToAdd,
  MAX_COUNTRIES,
  type SearchInput,
  type SearchProblem,
  type SearchResult,
  validateSearch,
} from '../../../src/review/search.ts'

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

function problemsOf(result: SearchResult): readonly SearchProblem[] {
  return result.ok ? [] : result.problems
}

describe('search validation', () => {
  it('accepts a search of today to 28 days later, with no country and every location', () => {
    assert.deepEqual(validateSearch(VALID, CONTEXT), {
      ok: true,
      search: {
        taskTypes: ['FAILED_TO_REPORT'],
        from: '2026-03-02',
        to: '2026-03-30',
        countries: [],
        location: null,
      },
    })
  })

  it('accepts countries and a location of the region', () => {
    const result = validateSearch({ ...VALID, countries: ['NGA', 'ALB'], location: 'BECKET_HOUSE' }, CONTEXT)
    assert.ok(result.ok)
    assert.deepEqual(result.search.countries, ['NGA', 'ALB'])
    assert.equal(result.search.location, 'BECKET_HOUSE')
  })

  const cases: [string, Partial<SearchInput>, SearchProblem[]][] = [
    ['no task type', { taskTypes: [] }, [{ field: 'taskType', code: 'taskTypeMissing' }]],
    [
      'an unknown task type',
      { taskTypes: ['FAILED_TO_REPORT', 'NOPE'] },
      [{ field: 'taskType', code: 'taskTypeUnknown' }],
    ],
    [
      'missing dates',
      { from: { day: '', month: '', year: '' }, to: { day: '', month: '', year: '' } },
      [
        { field: 'from', code: 'fromMissing' },
        { field: 'to', code: 'toMissing' },
      ],
    ],
    [
      '31 February',
      { from: { day: '31', month: '2', year: '2027' } },
      [{ field: 'from', code: 'fromInvalid' }],
    ],
    ['a part missing', { to: { day: '', month: '3', year: '2026' } }, [{ field: 'to', code: 'toInvalid' }]],
    ['a two-digit year', { to: { day: '30', month: '3', year: '26' } }, [{ field: 'to', code: 'toInvalid' }]],
    ['month 13', { to: { day: '1', month: '13', year: '2026' } }, [{ field: 'to', code: 'toInvalid' }]],
    [
      'yesterday',
      { from: { day: '1', month: '3', year: '2026' }, to: { day: '20', month: '3', year: '2026' } },
      [{ field: 'from', code: 'fromPast' }],
    ],
    [
      'To before From',
      { from: { day: '10', month: '3', year: '2026' }, to: { day: '9', month: '3', year: '2026' } },
      [{ field: 'to', code: 'toBeforeFrom' }],
    ],
    [
      '29 days',
      { to: { day: '31', month: '3', year: '2026' } },
      [{ field: 'to', code: 'tooLong', params: { maxDays: 28 } }],
    ],
    ['an unknown country', { countries: ['NGA', 'XYZ'] }, [{ field: 'country', code: 'countryUnknown' }]],
    [
      'too many countries',
      { countries: Array.from({ length: MAX_COUNTRIES + 1 }, (_, index) => `C${index}`) },
      [{ field: 'country', code: 'countryTooMany', params: { maxCountries: MAX_COUNTRIES } }],
    ],
    [
      'a location of another region',
      { location: 'NOTTINGHAM_PS' },
      [{ field: 'location', code: 'locationUnknown', params: { regionName: 'London and South East' } }],
    ],
  ]
  for (const [what, change, expected] of cases) {
    it(`refuses ${what}`, () => {
      assert.deepEqual(problemsOf(validateSearch({ ...VALID, ...change }, CONTEXT)), expected)
    })
  }

  it('accepts From and To on the same day', () => {
    assert.ok(validateSearch({ ...VALID, to: VALID.from }, CONTEXT).ok)
  })

  it('follows the configured maximum range', () => {
    const week = { ...CONTEXT, maxDays: 7 }
    assert.ok(validateSearch({ ...VALID, to: { day: '9', month: '3', year: '2026' } }, week).ok)
    assert.deepEqual(
      problemsOf(validateSearch({ ...VALID, to: { day: '10', month: '3', year: '2026' } }, week)),
      [{ field: 'to', code: 'tooLong', params: { maxDays: 7 } }],
    )
  })
})

describe('a country to add to the search', () => {
  it('may be added when it is in the list and the list has room, even if already added', () => {
    assert.equal(checkCountryToAdd(VALID, 'NGA', CONTEXT), undefined)
    assert.equal(checkCountryToAdd({ ...VALID, countries: ['NGA'] }, 'NGA', CONTEXT), undefined)
  })

  it('is refused when none was chosen, it is not in the list, or the list is full', () => {
    assert.deepEqual(checkCountryToAdd(VALID, '', CONTEXT), { field: 'country', code: 'countryToAdd' })
    assert.deepEqual(checkCountryToAdd(VALID, 'XYZ', CONTEXT), { field: 'country', code: 'countryUnknown' })
    const full = { ...VALID, countries: Array.from({ length: MAX_COUNTRIES }, () => 'ALB') }
    assert.deepEqual(checkCountryToAdd(full, 'NGA', CONTEXT), {
      field: 'country',
      code: 'countryTooMany',
      params: { maxCountries: MAX_COUNTRIES },
    })
  })
})

describe('retention', () => {
  const retention = { acceptedDays: 5, rejectedDays: 20 }
  it('starts the window the given number of days before today, and has none for other statuses', () => {
    assert.equal(retentionStart('ACCEPTED', '2026-03-02' as IsoDate, retention), '2026-02-25')
    assert.equal(retentionStart('REJECTED', '2026-03-02' as IsoDate, retention), '2026-02-10')
    assert.equal(retentionStart('ON_HOLD', '2026-03-02' as IsoDate, retention), null)
    assert.equal(retentionStart('RECOMMENDED', '2026-03-02' as IsoDate, retention), null)
  })
})

describe('search and retention settings', () => {
  it('default to 28 days of search, 5 days accepted and 20 rejected', () => {
    const config = loadConfig({})
    assert.equal(config.searchMaxDays, 28)
    assert.deepEqual(config.retention, { acceptedDays: 5, rejectedDays: 20 })
  })

  it('come from the environment, and refuse nonsense', () => {
    const config = loadConfig({
      IPIC_SEARCH_MAX_DAYS: '14',
      IPIC_RETENTION_ACCEPTED_DAYS: '7',
      IPIC_RETENTION_REJECTED_DAYS: '30',
    })
    assert.equal(config.searchMaxDays, 14)
    assert.deepEqual(config.retention, { acceptedDays: 7, rejectedDays: 30 })
    assert.throws(() => loadConfig({ IPIC_SEARCH_MAX_DAYS: '0' }), ConfigError)
    assert.throws(() => loadConfig({ IPIC_RETENTION_ACCEPTED_DAYS: 'five' }), ConfigError)
  })
})
