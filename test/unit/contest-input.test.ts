import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IsoDate } from '../../src/dates.ts'
import { dateFromParts, validateContestInput } from '../../src/tasks/contest-input.ts'

const TODAY = '2026-03-02' as IsoDate
const CREATED = '2026-02-27' as IsoDate
const VALID = {
  receivedOn: { day: '1', month: '3', year: '2026' },
  channel: 'EMAIL',
  madeBy: 'PERSON',
  summary: '  They disagree.  ',
  assignTo: '',
}
const codes = (input: Partial<typeof VALID>) => {
  const result = validateContestInput({ ...VALID, ...input }, TODAY, CREATED)
  return result.ok ? [] : result.problems.map((problem) => problem.code)
}

describe('a contest as recorded', () => {
  it('reads a GOV.UK date input, refusing what is not a real date or has a short year', () => {
    assert.equal(dateFromParts({ day: ' 2 ', month: '3', year: '2026' }), '2026-03-02')
    assert.equal(dateFromParts({ day: '', month: '', year: '' }), 'missing')
    assert.equal(dateFromParts({ day: '31', month: '2', year: '2026' }), 'invalid')
    assert.equal(dateFromParts({ day: '1', month: '3', year: '26' }), 'invalid')
    assert.equal(dateFromParts({ day: '1', month: 'March', year: '2026' }), 'invalid')
  })

  it('accepts a valid contest, trimmed, in the queue', () => {
    const result = validateContestInput(VALID, TODAY, CREATED)
    assert.deepEqual(result, {
      ok: true,
      contest: {
        receivedOn: '2026-03-01',
        channel: 'EMAIL',
        madeBy: 'PERSON',
        summary: 'They disagree.',
        assignTo: null,
      },
    })
  })

  it('refuses a date in the future or before the task, today and the day of the task being fine', () => {
    assert.deepEqual(codes({ receivedOn: { day: '3', month: '3', year: '2026' } }), ['dateInFuture'])
    assert.deepEqual(codes({ receivedOn: { day: '26', month: '2', year: '2026' } }), ['dateBeforeTask'])
    assert.deepEqual(codes({ receivedOn: { day: '2', month: '3', year: '2026' } }), [])
    assert.deepEqual(codes({ receivedOn: { day: '27', month: '2', year: '2026' } }), [])
  })

  it('refuses a channel or maker not on the list, and an empty, overlong or hidden-character summary', () => {
    assert.deepEqual(codes({ channel: 'PIGEON', madeBy: 'NEIGHBOUR' }), ['channelMissing', 'madeByMissing'])
    assert.deepEqual(codes({ summary: ' ' }), ['summaryMissing'])
    assert.deepEqual(codes({ summary: 'x'.repeat(2000) }), [])
    assert.deepEqual(codes({ summary: 'x'.repeat(2001) }), ['summaryTooLong'])
    assert.deepEqual(codes({ summary: 'a\u0000b' }), ['hiddenCharacters'])
  })
})
