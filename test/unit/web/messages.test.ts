import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MiRequestProblem } from '../../../src/mi/report-request.ts'
import type { SearchProblem } from '../../../src/review/search.ts'
import type { DecisionProblem } from '../../../src/tasks/decisions.ts'
import {
  decisionMessage,
  messages,
  miRequestMessage,
  searchMessage,
  staleDecisionMessage,
} from '../../../src/web/messages.ts'

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

describe('the words for each decision problem', () => {
  const words: [DecisionProblem, string][] = [
    [{ field: 'version', code: 'versionMissing' }, 'The task version is missing: open the task again'],
    [{ field: 'decision', code: 'decisionMissing' }, 'Select accept, reject or place on hold'],
    [
      { field: 'decision', code: 'openTaskExists' },
      'This person already has an open task of this type: decide that task instead',
    ],
    [
      { field: 'checksConfirmed', code: 'checksNotConfirmed' },
      'Confirm that you have checked barriers, vulnerability and family circumstances',
    ],
    [{ field: 'reasons', code: 'reasonsMissing' }, 'Select why you want to reject this task'],
    [
      { field: 'reasons', code: 'reasonsUnknown', params: { unknown: ['NOT_A_REASON'] } },
      'Select reasons from the list',
    ],
    [{ field: 'details', code: 'detailsMissing' }, 'Explain your reasons for rejecting this task'],
    [
      { field: 'details', code: 'tooLong', params: { maxLength: 1000 } },
      'Details must be 1,000 characters or fewer',
    ],
    [
      { field: 'note', code: 'tooLong', params: { maxLength: 1000 } },
      'Note must be 1,000 characters or fewer',
    ],
    [{ field: 'note', code: 'noteNotText' }, 'Note must be text'],
    [{ field: 'details', code: 'hiddenCharacters' }, messages.forms.hiddenCharacters('Details')],
    [{ field: 'note', code: 'hiddenCharacters' }, messages.forms.hiddenCharacters('Note')],
  ]
  for (const [problem, expected] of words) {
    it(`words ${problem.code} of ${problem.field}`, () => assert.equal(decisionMessage(problem), expected))
  }

  it('says who changed a task decided on an older version, and when, in London time', () => {
    const at = new Date('2026-07-25T13:05:00Z')
    const base = { version: 3, changedBy: 'cw2', changedByName: 'Sam Other', changedAt: at }
    assert.equal(
      staleDecisionMessage({ ...base, status: 'ON_HOLD' }),
      'This task was placed on hold by Sam Other at 2:05pm on 25 July 2026. Check the case again before you decide.',
    )
    assert.equal(
      staleDecisionMessage({ ...base, status: 'REJECTED', changedAt: new Date('2026-03-02T09:01:00Z') }),
      'This task was rejected by Sam Other at 9:01am on 2 March 2026. Check the case again before you decide.',
    )
    assert.match(
      staleDecisionMessage({ ...base, status: 'ACCEPTED', changedByName: null }),
      /accepted by cw2 at/,
    )
    assert.match(
      staleDecisionMessage({ ...base, status: 'WITHDRAWN', changedBy: null, changedByName: null }),
      /^This task was withdrawn by the rules at 2:05pm on 25 July 2026\./,
    )
  })

  it('says a task is already in the status asked for', () => {
    assert.equal(
      messages.decisions.alreadyInStatus('accepted'),
      'This task is already accepted. Check the case again before you decide.',
    )
  })
})
