/**
 * What every operator does with a value that is present and with one that
 * is missing, evaluated by the database. The rule language's promise (see
 * src/rules/operators.ts): a comparison with a missing value does not hold,
 * `is not set` holds, `not` is plain negation, a count of no items is 0, and
 * a priority scale gives no points for a missing value.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { IsoDate } from '../../src/dates.ts'
import { compileEvaluation, type RuleEvaluation } from '../../src/rules/compile.ts'
import { ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { insertTestPersons, referenceDefaults, testPersonRows } from '../../src/rules/test-person.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { rule, type YamlObject, yamlFile } from '../support/rule-files.ts'

const TODAY = '2025-06-02' as IsoDate

/** id, condition, whether it holds for PRESENT, whether it holds for ABSENT. */
type Case = readonly [id: string, condition: YamlObject, present: boolean, absent: boolean]

const sentence = 'harm.longestSentenceMonths' // PRESENT: 12; ABSENT: missing
const holder = 'documentation.heldBy' // PRESENT: PERSON; ABSENT: missing
const expiry = 'documentation.expiryDate' // PRESENT: today + 10 days (2025-06-12); ABSENT: missing

const CASES: readonly Case[] = [
  ['numberEquals', { field: sentence, operator: 'equals', parameter: 'twelve' }, true, false],
  ['numberNotEquals', { field: sentence, operator: 'not equals', parameter: 'twelve' }, false, false],
  ['numberLess', { field: sentence, operator: '<', parameter: 'twelve' }, false, false],
  ['numberAtMost', { field: sentence, operator: '<=', parameter: 'twelve' }, true, false],
  ['numberMore', { field: sentence, operator: '>', parameter: 'six' }, true, false],
  ['numberAtLeast', { field: sentence, operator: '>=', parameter: 'twelve' }, true, false],
  ['numberBetween', { field: sentence, operator: 'between', low: 'six', high: 'twelve' }, true, false],
  ['numberSet', { field: sentence, operator: 'is set' }, true, false],
  ['numberNotSet', { field: sentence, operator: 'is not set' }, false, true],
  ['notNumberEquals', { not: { field: sentence, operator: 'equals', parameter: 'twelve' } }, false, true],
  [
    'notNumberNotEquals',
    { not: { field: sentence, operator: 'not equals', parameter: 'twelve' } },
    true,
    true,
  ],

  ['codeEquals', { field: holder, operator: 'equals', value: 'HOME_OFFICE' }, false, false],
  ['codeNotEquals', { field: holder, operator: 'not equals', value: 'HOME_OFFICE' }, true, false],
  ['codeIn', { field: holder, operator: 'in', value: ['HOME_OFFICE', 'PERSON'] }, true, false],
  ['codeInParameter', { field: holder, operator: 'in', parameter: 'holders' }, true, false],
  ['codeNotIn', { field: holder, operator: 'not in', value: ['HOME_OFFICE'] }, true, false],
  ['codeSet', { field: holder, operator: 'is set' }, true, false],
  ['codeNotSet', { field: holder, operator: 'is not set' }, false, true],

  ['dateEquals', { field: expiry, operator: 'equals', parameter: 'expiryDay' }, true, false],
  ['dateEqualsToday', { field: expiry, operator: 'equals', value: 'today' }, false, false],
  ['dateNotEquals', { field: expiry, operator: 'not equals', parameter: 'expiryDay' }, false, false],
  ['dateBeforeToday', { field: expiry, operator: 'before', value: 'today' }, false, false],
  ['dateAfterToday', { field: expiry, operator: 'after', value: 'today' }, true, false],
  ['dateBeforeDate', { field: expiry, operator: 'before', parameter: 'endOfJune' }, true, false],
  ['dateAfterDate', { field: expiry, operator: 'after', parameter: 'endOfJune' }, false, false],
  ['dateBetween', { field: expiry, operator: 'between', low: 'startOfJune', high: 'endOfJune' }, true, false],
  ['dateWithinLast', { field: expiry, operator: 'within last days', parameter: 'thirtyDays' }, false, false],
  ['dateWithinNext', { field: expiry, operator: 'within next days', parameter: 'thirtyDays' }, true, false],
  [
    'dateWithinNextShort',
    { field: expiry, operator: 'within next days', parameter: 'nineDays' },
    false,
    false,
  ],
  [
    'dateMoreThanAgo',
    { field: expiry, operator: 'more than days ago', parameter: 'thirtyDays' },
    false,
    false,
  ],
  ['dateSet', { field: expiry, operator: 'is set' }, true, false],
  ['dateNotSet', { field: expiry, operator: 'is not set' }, false, true],
  ['notDateBefore', { not: { field: expiry, operator: 'before', value: 'today' } }, true, true],
  [
    'anyMissing',
    {
      any: [
        { field: expiry, operator: 'is not set' },
        { field: sentence, operator: 'is not set' },
      ],
    },
    false,
    true,
  ],

  // PRESENT has a barrier resolved on 1 May 2025 and an offence with a 24-month
  // sentence; ABSENT has a barrier with no resolved date and an offence with no sentence.
  [
    'itemDateBefore',
    {
      count: 'barriers',
      where: { field: 'resolvedOn', operator: 'before', value: 'today' },
      operator: 'some',
    },
    true,
    false,
  ],
  [
    'itemNotDateBefore',
    {
      count: 'barriers',
      where: { not: { field: 'resolvedOn', operator: 'before', value: 'today' } },
      operator: 'some',
    },
    false,
    true,
  ],
  [
    'itemNumberAtLeast',
    {
      count: 'offences',
      where: { field: 'sentenceMonths', operator: '>=', parameter: 'twelve' },
      operator: 'some',
    },
    true,
    false,
  ],
  [
    'itemNumberNotSet',
    { count: 'offences', where: { field: 'sentenceMonths', operator: 'is not set' }, operator: 'none' },
    true,
    false,
  ],
  ['noItemsNone', { count: 'children', operator: 'none' }, true, true],
  ['noItemsSome', { count: 'children', operator: 'some' }, false, false],
  ['noItemsAtLeastZero', { count: 'children', operator: '>=', parameter: 'zero' }, true, true],
  ['noItemsEqualsZero', { count: 'children', operator: 'equals', parameter: 'zero' }, true, true],
  ['oneItemBetween', { count: 'barriers', operator: 'between', low: 'zero', high: 'one' }, true, true],
]

function nullSemanticsRuleSet(): RuleSet {
  const r = rule('REPORTING_REVIEW')
  r.globalSafeguards = false
  r.parameters = {
    zero: { value: 0, description: 'Zero.' },
    one: { value: 1, description: 'One.' },
    six: { value: 6, description: 'Six months.' },
    twelve: { value: 12, description: 'Twelve months.' },
    nineDays: { value: 9, description: 'Nine days.' },
    thirtyDays: { value: 30, description: 'Thirty days.' },
    holders: { value: ['PERSON', 'THIRD_PARTY'], description: 'Holders.' },
    expiryDay: { value: '2025-06-12', description: 'The present expiry date.' },
    startOfJune: { value: '2025-06-01', description: 'Start of June.' },
    endOfJune: { value: '2025-06-30', description: 'End of June.' },
    cap: { value: 24, description: 'Full points at 24.' },
    horizon: { value: 28, description: 'No points at 28 days or more.' },
  }
  r.eligibility = { all: CASES.map(([id, condition]) => ({ id, ...condition })) }
  r.priority = [
    { name: 'higher', text: 'Sentence', weight: 10, scale: { field: sentence, upTo: 'cap' } },
    {
      name: 'lower',
      text: 'Reporting soon',
      weight: 28,
      scale: { field: 'reporting.daysUntilNextReporting', upTo: 'horizon', direction: 'lower' },
    },
  ]
  r.tests = { cases: [{ name: 'Unused', expect: 'not recommended', decidedBy: 'numberEquals' }] }
  return ruleSetFromFiles([yamlFile('REPORTING_REVIEW.yaml', r)])
}

describe('null semantics of every operator, in the database', () => {
  let database: TestDatabase
  let present: RuleEvaluation
  let absent: RuleEvaluation

  before(async () => {
    database = await openTestDatabase()
    const reference = await referenceDefaults(database.db)
    const now = new Date()
    await insertTestPersons(database.db, [
      testPersonRows(
        'PRESENT',
        {
          fields: {
            [sentence]: 12,
            [holder]: 'PERSON',
            [expiry]: '2025-06-12',
            'reporting.nextDates[0]': 'today+7',
          },
          lists: {
            barriers: [{ resolvedOn: '2025-05-01' }],
            offences: [{ sentenceMonths: 24 }],
          },
        },
        TODAY,
        reference,
        now,
      ),
      testPersonRows(
        'ABSENT',
        {
          fields: { [sentence]: null, [holder]: null, [expiry]: null, 'reporting.nextDates[0]': null },
          lists: { barriers: [{ resolvedOn: null }], offences: [{ sentenceMonths: null }] },
        },
        TODAY,
        reference,
        now,
      ),
    ])
    const { rows } = await compileEvaluation(nullSemanticsRuleSet(), { today: TODAY }).execute(database.db)
    present = rows.find((r) => r.person_id === 'PRESENT') as RuleEvaluation
    absent = rows.find((r) => r.person_id === 'ABSENT') as RuleEvaluation
  })
  after(() => database.close())

  const held = (evaluation: RuleEvaluation, id: string) =>
    evaluation.explanation.conditions.find((c) => c.id === id)?.held

  for (const [id, condition, whenPresent, whenAbsent] of CASES) {
    it(`${id}: ${JSON.stringify(condition)} holds ${whenPresent ? 'for' : 'not for'} a present value, ${
      whenAbsent ? 'for' : 'not for'
    } a missing one`, () => {
      assert.equal(held(present, id), whenPresent, 'present value')
      assert.equal(held(absent, id), whenAbsent, 'missing value')
    })
  }

  it('never records a condition as neither holding nor not holding', () => {
    for (const evaluation of [present, absent]) {
      for (const c of evaluation.explanation.conditions) assert.equal(typeof c.held, 'boolean', c.id)
    }
  })

  it('records a missing value as null in the explanation', () => {
    const actual = (id: string) => absent.explanation.conditions.find((c) => c.id === id)?.actual
    assert.equal(actual('numberEquals'), null)
    assert.equal(actual('codeEquals'), null)
    assert.equal(actual('dateEquals'), null)
    assert.equal(present.explanation.conditions.find((c) => c.id === 'dateEquals')?.actual, '2025-06-12')
  })

  it('gives no priority points for a missing value, in either direction of a scale', () => {
    assert.deepEqual(
      absent.explanation.priority.factors.map((f) => [f.name, f.value, f.points]),
      [
        ['higher', null, 0],
        ['lower', null, 0],
      ],
    )
    // 10 × 12/24 = 5 and 28 × (28 − 7)/28 = 21.
    assert.deepEqual(
      present.explanation.priority.factors.map((f) => [f.name, f.value, f.points]),
      [
        ['higher', 12, 5],
        ['lower', 7, 21],
      ],
    )
    assert.equal(present.priority, 26)
    assert.equal(absent.priority, 0)
  })
})
