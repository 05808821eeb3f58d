import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { describeResult } from '../../src/commands/rules-test.ts'
import { ruleSetFromFiles } from '../../src/rules/load.ts'
import { runRuleTests } from '../../src/rules/testing.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { rule, ruleSetFiles } from '../support/rule-files.ts'

describe('running rule-file test cases', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())

  it('passes the cases that hold, runs global cases against each rule and rolls everything back', async () => {
    const results = await runRuleTests(database.db, ruleSetFromFiles(ruleSetFiles(rule())))
    assert.deepEqual(
      results.map((r) => [r.file, r.name, r.passed]),
      [
        ['REPORTING_REVIEW.yaml', 'High harm with two missed events is recommended', true],
        ['REPORTING_REVIEW.yaml', 'One missed event is not enough', true],
        ['global-safeguards.yaml', 'An adult at risk at level 2 is excluded', true],
      ],
    )
    const persons = await database.db.selectFrom('persons').select('person_id').execute()
    assert.deepEqual(persons, [])
  })

  it('names the case, the expected and actual outcome and what decided it when a case fails', async () => {
    const r = rule()
    r.tests.cases = [
      {
        name: 'One missed event is recommended (wrongly expected)',
        person: { 'reporting.missedEvents90Days': 1 },
        expect: 'recommended',
      },
      {
        name: 'Medium harm is decided by missed events (wrongly expected)',
        person: { 'harm.harmLevel': 'MEDIUM' },
        expect: 'not recommended',
        decidedBy: 'missedEvents',
      },
      { name: 'The priority is 40 (wrongly expected)', expect: 'recommended', priority: 40 },
    ]
    const [recommended, decided, priority] = await runRuleTests(
      database.db,
      ruleSetFromFiles(ruleSetFiles(r)),
      {
        taskTypes: ['REPORTING_REVIEW'],
      },
    )
    assert.deepEqual(recommended, {
      rule: 'REPORTING_REVIEW',
      file: 'REPORTING_REVIEW.yaml',
      name: 'One missed event is recommended (wrongly expected)',
      passed: false,
      expected: 'recommended',
      actual: 'not recommended',
      decidedBy:
        "condition missedEvents did not hold: Reporting events missed in the last 90 days is 2 or more (the person's value: 1)",
      failure: 'expected recommended, got not recommended',
    })
    assert.equal(decided?.passed, false)
    assert.equal(
      decided?.failure,
      'expected it to be decided by missedEvents, but it was decided by highHarm',
    )
    assert.match(
      decided?.decidedBy ?? '',
      /^condition highHarm did not hold: Harm level is High \(the person's value: Medium\)$/,
    )
    // The typical person reports in 7 days: 40 × 21/28 = 30.
    assert.equal(priority?.failure, 'expected priority 40, got 30')
    assert.equal(priority?.actual, 'recommended, priority 30')
    assert.equal(
      describeResult(recommended!),
      [
        '  FAILED  REPORTING_REVIEW.yaml › REPORTING_REVIEW › One missed event is recommended (wrongly expected)',
        '          expected recommended, got not recommended',
        '          expected: recommended',
        '          actual:   not recommended',
        "          decided by condition missedEvents did not hold: Reporting events missed in the last 90 days is 2 or more (the person's value: 1)",
        '',
      ].join('\n'),
    )
  })

  it('names the safeguard that decided an exclusion', async () => {
    const r = rule()
    r.tests.cases = [
      {
        name: 'An adult at risk is recommended (wrongly expected)',
        person: { 'vulnerability.adultAtRiskLevel': 3 },
        expect: 'recommended',
      },
    ]
    const [result] = await runRuleTests(database.db, ruleSetFromFiles(ruleSetFiles(r)))
    assert.equal(result?.passed, false)
    assert.equal(
      result?.decidedBy,
      "safeguard adultAtRisk: Adult at risk at level 2 or 3 (the person's value: 3)",
    )
  })
})
