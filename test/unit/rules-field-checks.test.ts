/**
 * Field names and values in a rule file (src/rules/field-checks.ts): the
 * same mistake gets the same words wherever the file makes it, in a
 * condition, a priority scale, the reporting date or a test person.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { valueProblem } from '../../src/rules/field-checks.ts'
import type { ItemField, PersonField } from '../../src/rules/field-types.ts'
import { findField } from '../../src/rules/fields.ts'
import { RuleSetError, ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSetProblem } from '../../src/rules/problems.ts'
import { rule, ruleSetFiles, type YamlObject } from '../support/rule-files.ts'

const FILE = 'REPORTING_REVIEW.yaml'

function problemsOfRule(edit: (r: YamlObject) => void): RuleSetProblem[] {
  const r = rule()
  edit(r)
  try {
    ruleSetFromFiles(ruleSetFiles(r))
  } catch (error) {
    assert.ok(error instanceof RuleSetError, `expected a RuleSetError, got ${error}`)
    return [...error.problems]
  }
  assert.fail('the rule set loaded, but problems were expected')
}

function field(name: string): PersonField | ItemField {
  const found = findField(name)
  assert.ok(found, `no field ${name} in the catalogue`)
  return found
}

describe('a rule file naming a field that does not exist', () => {
  it('gets the same words for a person field in a condition, a scale, the reporting date and a test person', () => {
    const problems = problemsOfRule((r) => {
      r.eligibility.all[0].field = 'harm.harmLvl'
      r.priority[0].scale.field = 'reporting.daysUntilNextReportin'
      r.reportingDate = 'reporting.nextDate[0]'
      r.tests.typicalPerson = { 'harm.harmLvl': 'HIGH', 'reporting.missedEvents90Days': 2 }
    })
    assert.deepEqual(
      problems.filter((p) => p.message.includes('has no field')),
      [
        {
          file: FILE,
          path: 'eligibility.all[0].field',
          message: 'a person has no field harm.harmLvl (did you mean harm.harmLevel?)',
        },
        {
          file: FILE,
          path: 'priority[0].scale.field',
          message:
            'a person has no field reporting.daysUntilNextReportin (did you mean reporting.daysUntilNextReporting?)',
        },
        {
          file: FILE,
          path: 'reportingDate',
          message: 'a person has no field reporting.nextDate[0] (did you mean reporting.nextDates[0]?)',
        },
        {
          file: FILE,
          path: 'tests.typicalPerson["harm.harmLvl"]',
          message: 'a person has no field harm.harmLvl (did you mean harm.harmLevel?)',
        },
      ],
    )
  })

  it('suggests a list for a test person, where a list may be given by name', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.tests.cases[0].person = { barrier: [] }
      }),
      [
        {
          file: FILE,
          path: 'tests.cases[0].person.barrier',
          message: 'a person has no field barrier (did you mean barriers?)',
        },
      ],
    )
  })

  it("gets the same words, with the item's fields, for a list item's field in a condition and a test person", () => {
    const message =
      'a barrier has no field opne (fields: type, suspensive, raisedOn, resolvedOn, open, ageInDays, owningTeam) (did you mean open?)'
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = {
          count: 'barriers',
          where: { field: 'opne', operator: 'equals', value: true },
          operator: 'some',
        }
        r.tests.cases[0].person = { barriers: [{ opne: true }] }
      }),
      [
        { file: FILE, path: 'eligibility.all[0].where.field', message },
        { file: FILE, path: 'tests.cases[0].person.barriers[0].opne', message },
      ],
    )
  })

  it("gives the reason a protected characteristic may not be read, in a test person's list item too", () => {
    const message = 'nationality is not available to rules or priority'
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = {
          count: 'children',
          where: { field: 'nationality', operator: 'equals', value: 'FRA' },
          operator: 'some',
        }
        r.tests.cases[0].person = { 'person.nationality': 'FRA', children: [{ nationality: 'FRA' }] }
      }),
      [
        { file: FILE, path: 'eligibility.all[0].where.field', message },
        { file: FILE, path: 'tests.cases[0].person["person.nationality"]', message },
        { file: FILE, path: 'tests.cases[0].person.children[0].nationality', message },
      ],
    )
  })
})

describe('a value for a field', () => {
  it("gets the same words in a condition's parameter and in a test person", () => {
    const fits = 'reporting.missedEvents90Days takes a whole number between -1,000,000 and 1,000,000'
    assert.deepEqual(
      problemsOfRule((r) => {
        r.parameters.minimumMissed.value = 'two'
        r.tests.cases[0].person = { 'reporting.missedEvents90Days': 'two' }
      }),
      [
        {
          file: FILE,
          path: 'eligibility.all[1].parameter',
          message: `the parameter minimumMissed ("two") does not fit: ${fits}`,
        },
        { file: FILE, path: 'tests.cases[0].person["reporting.missedEvents90Days"]', message: fits },
      ],
    )
  })

  it('suggests the likely code, in a condition and a test person alike', () => {
    const expected =
      '"HIGHT" is not a code of harm.harmLevel (use one of HIGH, MEDIUM, LOW, NONE) (did you mean HIGH?)'
    assert.equal(valueProblem('HIGHT', field('harm.harmLevel'), 'condition'), expected)
    assert.equal(valueProblem('HIGHT', field('harm.harmLevel'), 'test person'), expected)
  })

  it('takes a date relative to the test’s today only in a test person', () => {
    const date = field('person.dateOfBirth')
    assert.equal(valueProblem('today-90', date, 'test person'), undefined)
    assert.equal(valueProblem('1990-01-31', date, 'test person'), undefined)
    assert.equal(valueProblem('1990-01-31', date, 'condition'), undefined)
    assert.equal(
      valueProblem('today-90', date, 'condition'),
      'person.dateOfBirth is a date: write it as YYYY-MM-DD',
    )
    assert.equal(
      valueProblem('1990-02-30', date, 'test person'),
      'person.dateOfBirth is a date: write it as YYYY-MM-DD, today, today+N or today-N',
    )
  })

  it('takes null only in a test person, and only for a field that may be empty', () => {
    assert.equal(valueProblem(null, field('documentation.expiryDate'), 'test person'), undefined)
    assert.equal(
      valueProblem(null, field('person.dateOfBirth'), 'test person'),
      'person.dateOfBirth always has a value: it cannot be null',
    )
    assert.equal(
      valueProblem(null, field('documentation.expiryDate'), 'condition'),
      'documentation.expiryDate is a date: write it as YYYY-MM-DD',
    )
  })

  it('holds a test person’s derived numbers to what can become a date, and a threshold to the whole-number limit', () => {
    assert.equal(valueProblem(300, field('person.age'), 'condition'), undefined)
    assert.equal(
      valueProblem(300, field('person.age'), 'test person'),
      'person.age takes a whole number between 0 and 200',
    )
    assert.equal(
      valueProblem(40_000, field('barriers.ageInDays'), 'test person'),
      'ageInDays takes a whole number between -36,500 and 36,500',
    )
    assert.equal(
      valueProblem(2.5, field('reporting.missedEvents90Days'), 'test person'),
      'reporting.missedEvents90Days takes a whole number between -1,000,000 and 1,000,000',
    )
  })

  it('words a yes/no and a text value the same for both uses', () => {
    for (const use of ['condition', 'test person'] as const) {
      assert.equal(
        valueProblem('yes', field('person.ageDisputed'), use),
        'person.ageDisputed is a yes/no field: use true or false',
      )
      assert.equal(valueProblem(7, field('person.romRegion'), use), 'person.romRegion is text')
    }
  })
})
