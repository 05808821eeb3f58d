import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MiRequestProblem } from '../../../src/mi/report-request.ts'
import type { SearchProblem } from '../../../src/review/search.ts'
import { miRequestMessage, searchMessage } from '../../../src/web/messages.ts'

describe('the words for each search problem', () => {
  const words: [SearchProblem, string][] = [
    [{ field: 'taskType', code: 'taskTypeMissing' }, 'Select at least one task type'],
    [{ field: 'taskType', code: 'taskTypeUnknown' }, 'Select a task type from the list'],
    [{ field: 'from', code: 'fromMissing' }, 'Enter the date to search from'],
    [{ field: 'from', code: 'fromInvalid' }, 'The date to search from must be a real date'],
    [{ field: 'from', code: 'fromPast' }, 'The date to search from must be today or in the future'],
    [{ field: 'to', code: 'toMissing' }, 'Enter the date to search to'],
    [{ field: 'to', code: 'toInvalid' }, 'The date to search to must be a real date'],
    [
      { field: 'to', code: 'toBeforeFrom' },
      'The date to search to must be the same as or after the date to search from',
    ],
    [
      { field: 'to', code: 'tooLong', params: { maxDays: 28 } },
      'The date to search to must be no more than 28 days after the date to search from',
    ],
    [{ field: 'country', code: 'countryUnknown' }, 'Select a country of nationality from the list'],
    [
      { field: 'country', code: 'countryTooMany', params: { maxCountries: 50 } },
      'Add no more than 50 countries of nationality',
    ],
    [{ field: 'country', code: 'countryToAdd' }, 'Select a country of nationality to add'],
    [
      { field: 'location', code: 'locationUnknown', params: { regionName: 'London and South East' } },
      'Select a reporting location in London and South East',
    ],
  ]
  for (const [problem, expected] of words) {
    it(`words ${problem.code}`, () => assert.equal(searchMessage(problem), expected))
  }
})

describe('the words for each MI report request problem', () => {
  const words: [MiRequestProblem, string][] = [
    [{ field: 'from', code: 'dateMissing' }, 'Enter the date the report starts from'],
    [{ field: 'to', code: 'dateMissing' }, 'Enter the date the report runs to'],
    [
      { field: 'from', code: 'datePartsMissing', params: { missing: ['month', 'year'] } },
      'Date the report starts from must include a month and year',
    ],
    [
      { field: 'to', code: 'datePartsMissing', params: { missing: ['day'] } },
      'Date the report runs to must include a day',
    ],
    [{ field: 'from', code: 'dateInvalid' }, 'Date the report starts from must be a real date'],
    [{ field: 'to', code: 'dateInvalid' }, 'Date the report runs to must be a real date'],
    [
      { field: 'to', code: 'toBeforeFrom' },
      'Date the report runs to must be the same as or after the date it starts from',
    ],
    [
      { field: 'to', code: 'tooLong', params: { maxDays: 366 } },
      'The report can cover at most 366 days: choose a shorter date range',
    ],
    [{ field: 'region', code: 'regionNotAllowed' }, 'Select a region you work in'],
  ]
  for (const [problem, expected] of words) {
    it(`words ${problem.code} of ${problem.field}`, () => assert.equal(miRequestMessage(problem), expected))
  }
})
