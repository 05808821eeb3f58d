import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addDays,
  ageOn,
  daysBetween,
  formatDayMonthYear,
  formatLongDate,
  type IsoDate,
  isoDateFromParts,
  parseIsoDate,
} from '../../src/dates.ts'

const d = (text: string) => text as IsoDate

describe('dates', () => {
  it('accepts real calendar dates and refuses impossible ones', () => {
    assert.equal(parseIsoDate('2024-02-29'), '2024-02-29')
    assert.equal(parseIsoDate('2023-02-29'), undefined)
    assert.equal(parseIsoDate('2026-02-31'), undefined)
    assert.equal(parseIsoDate('2026-13-01'), undefined)
    assert.equal(parseIsoDate('2026-1-01'), undefined)
    assert.equal(parseIsoDate('not a date'), undefined)
    assert.equal(isoDateFromParts(2026, 2, 31), undefined)
    assert.equal(isoDateFromParts(2026, 7, 5), '2026-07-05')
  })

  it('counts days across month, year and clock-change boundaries', () => {
    assert.equal(addDays(d('2026-03-28'), 2), '2026-03-30')
    assert.equal(addDays(d('2026-12-31'), 1), '2027-01-01')
    assert.equal(daysBetween(d('2026-10-24'), d('2026-10-26')), 2)
    assert.equal(daysBetween(d('2026-01-10'), d('2026-01-01')), -9)
  })

  it('works out an age in whole years, turning on the birthday', () => {
    assert.equal(ageOn(d('2008-11-22'), d('2026-11-21')), 17)
    assert.equal(ageOn(d('2008-11-22'), d('2026-11-22')), 18)
    assert.equal(ageOn(d('2008-02-29'), d('2026-02-28')), 17)
    assert.equal(ageOn(d('2008-02-29'), d('2026-03-01')), 18)
  })

  it('formats dates for pages and for the MI report', () => {
    assert.equal(formatLongDate(d('2018-07-25')), '25 July 2018')
    assert.equal(formatLongDate(d('2018-08-01')), '1 August 2018')
    assert.equal(formatDayMonthYear(d('2018-07-05')), '05/07/2018')
  })
})
