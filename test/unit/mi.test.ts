import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IsoDate } from '../../src/dates.ts'
import { disparityFlag } from '../../src/mi/dashboard.ts'
import { type MiReportRow, miColumns, miText } from '../../src/mi/report-columns.ts'
import { columnLetter, neutraliseFormula } from '../../src/mi/report-files.ts'
import { checkMiRange, dateFromFields, fieldsOfDate, miFileName } from '../../src/mi/report-request.ts'
import { duration, percent } from '../../src/web/view-models/mi-dashboard.ts'

const REASONS = [
  { code: 'MEDICAL', label: 'Medical' },
  { code: 'SOURCE_DATA_INCORRECT', label: 'Source data incorrect' },
]

const ROW: MiReportRow = {
  person_id: 'P1',
  home_office_reference: 'HO/1',
  intervention_type: 'Failed-to-report follow-up',
  full_name: 'Grace Okafor',
  gender: 'F',
  nationality: 'Nigeria',
  date_of_birth: '1990-05-17',
  age_when_generated: 36,
  next_reporting_date: '2026-07-10',
  next_reporting_date_2: null,
  next_reporting_date_3: null,
  reporting_frequency: 'Monthly',
  rom_region: 'London and South East',
  ice_region: 'London and South East',
  reporting_centre: 'Becket House',
  referral: null,
  date_generated: '2026-07-01',
  rule_version: 'v1',
  is_current: false,
  status: 'REJECTED',
  status_updated_on: '2026-07-04 00:30:05',
  status_updated_by: 'cw1',
  reasons: ['SOURCE_DATA_INCORRECT'],
  rejection_explanation: 'Wrong date of birth',
}

describe('MI report columns', () => {
  it('puts the reasons between Status Updated By and the explanation, in the order given', () => {
    const columns = miColumns(REASONS)
    assert.equal(columns.length, 22 + 2 + 1)
    assert.deepEqual(
      columns.slice(20).map((column) => column.header),
      ['Status Updated On', 'Status Updated By', 'Medical', 'Source data incorrect', 'Rejection Explanation'],
    )
    assert.deepEqual(columns.map((column) => column.value(ROW)).slice(18), [
      'N',
      'Rejected',
      '2026-07-04 00:30:05',
      'cw1',
      null,
      'Y',
      'Wrong date of birth',
    ])
  })

  it('writes dates as DD/MM/YYYY and times as DD/MM/YYYY HH:MM:SS', () => {
    assert.equal(miText('date', '1990-05-17'), '17/05/1990')
    assert.equal(miText('dateTime', '2026-07-04 00:30:05'), '04/07/2026 00:30:05')
    assert.equal(miText('date', null), '')
    assert.equal(miText('number', 36), '36')
  })

  it('names spreadsheet columns', () => {
    assert.equal(columnLetter(1), 'A')
    assert.equal(columnLetter(26), 'Z')
    assert.equal(columnLetter(27), 'AA')
    assert.equal(columnLetter(35), 'AI')
  })

  it('stops free text from running as a spreadsheet formula', () => {
    assert.equal(neutraliseFormula('=HYPERLINK("http://x")'), `'=HYPERLINK("http://x")`)
    assert.equal(neutraliseFormula('+44 20'), `'+44 20`)
    assert.equal(neutraliseFormula('-1'), `'-1`)
    assert.equal(neutraliseFormula('@SUM(A1)'), `'@SUM(A1)`)
    assert.equal(neutraliseFormula('Wrong date'), 'Wrong date')
  })
})

describe('MI report request', () => {
  const LSE = { all: false as const, codes: ['LSE'] }
  const REGIONS = ['LSE', 'MEE']

  it('reads a date from the three boxes, telling each mistake the GOV.UK pattern words apart', () => {
    assert.deepEqual(dateFromFields('from', { day: ' 1 ', month: '7', year: '2026' }), { date: '2026-07-01' })
    assert.deepEqual(dateFromFields('from', { day: '', month: '', year: '' }), {
      problem: { field: 'from', code: 'dateMissing' },
    })
    assert.deepEqual(dateFromFields('to', { day: '1', month: '', year: '' }), {
      problem: { field: 'to', code: 'datePartsMissing', params: { missing: ['month', 'year'] } },
    })
    for (const bad of [
      { day: '31', month: '2', year: '2026' },
      { day: '1', month: '7', year: '26' },
      { day: 'x', month: '7', year: '2026' },
    ]) {
      assert.deepEqual(dateFromFields('from', bad), {
        problem: { field: 'from', code: 'dateInvalid' },
      })
    }
    assert.deepEqual(fieldsOfDate('2026-07-01' as IsoDate), { day: '1', month: '7', year: '2026' })
  })

  it('accepts a range of up to the maximum, both days included', () => {
    const result = checkMiRange({ from: '2026-07-01', to: '2026-07-31', region: '' }, LSE, 31, REGIONS)
    assert.deepEqual(result, { ok: true, criteria: { from: '2026-07-01', to: '2026-07-31', scope: LSE } })
    const one = checkMiRange({ from: '2026-07-01', to: '2026-07-01', region: undefined }, LSE, 1, REGIONS)
    assert.equal(one.ok, true)
  })

  it('refuses reversed, over-long and missing ranges', () => {
    const problems = (input: Parameters<typeof checkMiRange>[0], maxDays = 31) => {
      const result = checkMiRange(input, LSE, maxDays, REGIONS)
      return result.ok ? [] : result.problems
    }
    assert.deepEqual(problems({ from: '2026-07-02', to: '2026-07-01', region: '' }), [
      { field: 'to', code: 'toBeforeFrom' },
    ])
    assert.deepEqual(problems({ from: '2026-07-01', to: '2026-08-01', region: '' }), [
      { field: 'to', code: 'tooLong', params: { maxDays: 31 } },
    ])
    assert.deepEqual(problems({ from: undefined, to: '', region: '' }), [
      { field: 'from', code: 'dateMissing' },
      { field: 'to', code: 'dateMissing' },
    ])
    assert.deepEqual(problems({ from: '2026-13-01', to: '2026-07-01', region: '' }), [
      { field: 'from', code: 'dateInvalid' },
    ])
  })

  it('narrows to a chosen region only if the user may see it', () => {
    const national = { all: true as const }
    const chosen = checkMiRange(
      { from: '2026-07-01', to: '2026-07-02', region: 'MEE' },
      national,
      31,
      REGIONS,
    )
    assert.deepEqual(chosen.ok && chosen.criteria.scope, { all: false, codes: ['MEE'] })
    const refused = checkMiRange({ from: '2026-07-01', to: '2026-07-02', region: 'MEE' }, LSE, 31, REGIONS)
    assert.deepEqual(!refused.ok && refused.problems, [{ field: 'region', code: 'regionNotAllowed' }])
  })

  it('names the file after the regions and the range', () => {
    const criteria = { from: '2026-07-01' as IsoDate, to: '2026-07-31' as IsoDate, scope: LSE }
    assert.equal(miFileName(criteria, 'xlsx'), 'ipic-mi-LSE-2026-07-01-to-2026-07-31.xlsx')
    assert.equal(
      miFileName({ ...criteria, scope: { all: true } }, 'csv'),
      'ipic-mi-ALL-2026-07-01-to-2026-07-31.csv',
    )
  })
})

describe('MI dashboard wording and flags', () => {
  it('applies the four-fifths and five-fourths tests to a group’s rate', () => {
    assert.equal(disparityFlag(0.79, 1), 'low')
    assert.equal(disparityFlag(0.8, 1), undefined)
    assert.equal(disparityFlag(1.25, 1), undefined)
    assert.equal(disparityFlag(1.26, 1), 'high')
    assert.equal(disparityFlag(null, 1), undefined)
    assert.equal(disparityFlag(0.5, 0), undefined)
  })

  it('writes rates and durations for people', () => {
    assert.equal(percent(2 / 3), '66.7%')
    assert.equal(percent(null), '–')
    assert.equal(duration(30), '30 seconds')
    assert.equal(duration(600), '10 minutes')
    assert.equal(duration(48620), '13.5 hours')
    assert.equal(duration(3 * 86400), '3.0 days')
    assert.equal(duration(null), 'No record')
  })
})
