/**
 * Problems in a rule file's own test cases: what decides a case, and the
 * test person's fields and values.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { problemsOfRule, RULE_FILE } from '../support/rule-problems.ts'

describe("problems in a rule's test cases", () => {
  it('reports a test case that names no condition or safeguard of the rule', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.tests.cases[1].decidedBy = 'missedEvent'
      }),
      [
        {
          file: RULE_FILE,
          path: 'tests.cases[1].decidedBy',
          message: 'missedEvent is not a safeguard or condition of this rule (did you mean missedEvents?)',
        },
      ],
    )
  })

  it('requires a not-recommended test case to say what decides it', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        delete r.tests.cases[1].decidedBy
      }),
      [
        {
          file: RULE_FILE,
          path: 'tests.cases[1].decidedBy',
          message:
            'a case that is not recommended must say which condition or safeguard decides it (decidedBy)',
        },
      ],
    )
  })

  it('reports a test person with an unknown field, a bad value, or one column set twice', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.tests.cases[0].person = {
          'harm.harmLvl': 'HIGH',
          'reporting.missedEvents90Days': 'many',
          'person.age': 30,
          'person.dateOfBirth': '1990-01-01',
          barriers: [{ opened: true }],
        }
      }),
      [
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person["harm.harmLvl"]',
          message: 'a person has no field harm.harmLvl (did you mean harm.harmLevel?)',
        },
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person["reporting.missedEvents90Days"]',
          message: 'reporting.missedEvents90Days takes a whole number between -1,000,000 and 1,000,000',
        },
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person["person.dateOfBirth"]',
          message: 'sets both person.age and person.dateOfBirth, which are the same record field: give one',
        },
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person.barriers[0].opened',
          message:
            'a barrier has no field opened (fields: type, suspensive, raisedOn, resolvedOn, open, ageInDays, owningTeam) (did you mean open?)',
        },
      ],
    )
  })
})
