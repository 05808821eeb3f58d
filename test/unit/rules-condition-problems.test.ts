/**
 * Problems inside a rule's conditions, reported with the file, the path and
 * a suggestion where one helps: fields, operators, values, parameters and
 * keys that do not fit the rule language or the field catalogue.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { problemsOfRule, RULE_FILE } from '../support/rule-problems.ts'

describe("problems in a rule's conditions", () => {
  it('reports an unknown field with a suggestion', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0].field = 'harmLevel'
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].field',
          message: 'a person has no field harmLevel (did you mean harm.harmLevel?)',
        },
      ],
    )
  })

  it('refuses nationality, ethnicity and gender by name, not as unknown fields', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = { field: 'person.nationality', operator: 'equals', value: 'ALB' }
        r.priority.push({
          name: 'gender',
          text: 'Gender',
          weight: 1,
          when: { field: 'person.gender', operator: 'equals', value: 'F' },
        })
        r.tests.cases[0].person = { ethnicity: 'X' }
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].field',
          message: 'nationality is not available to rules or priority',
        },
        {
          file: RULE_FILE,
          path: 'priority[1].when.field',
          message: 'gender is not available to rules or priority',
        },
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person.ethnicity',
          message: 'ethnicity is not available to rules or priority',
        },
      ],
    )
  })

  it('reports an operator that does not fit the type of its field', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = { field: 'harm.harmLevel', operator: '>=', parameter: 'minimumMissed' }
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].operator',
          message:
            'the operator >= does not fit harm.harmLevel, which is a coded field (use equals, not equals, in, not in, is set or is not set)',
        },
      ],
    )
  })

  it('reports a value that is not one of the field’s codes', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0].value = 'HIGHT'
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].value',
          message:
            '"HIGHT" is not a code of harm.harmLevel (use one of HIGH, MEDIUM, LOW, NONE) (did you mean HIGH?)',
        },
      ],
    )
  })

  it('reports a parameter whose value does not fit the field', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.parameters.minimumMissed.value = 'two'
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].parameter',
          message:
            'the parameter minimumMissed ("two") does not fit: reporting.missedEvents90Days takes a whole number between -1,000,000 and 1,000,000',
        },
      ],
    )
  })

  it('reports an unknown parameter with a suggestion', () => {
    const problems = problemsOfRule((r) => {
      r.eligibility.all[1].parameter = 'minimumMised'
    })
    assert.deepEqual(problems, [
      {
        file: RULE_FILE,
        path: 'eligibility.all[1].parameter',
        message:
          'the parameter minimumMised is not defined under parameters in this file (did you mean minimumMissed?)',
      },
      {
        file: RULE_FILE,
        path: 'parameters.minimumMissed',
        message:
          'the parameter minimumMissed is not used by any condition or priority factor: use it or remove it',
      },
    ])
  })

  it('reports a parameter nobody uses', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.parameters.spare = { value: 7, description: 'Not used anywhere.' }
      }),
      [
        {
          file: RULE_FILE,
          path: 'parameters.spare',
          message: 'the parameter spare is not used by any condition or priority factor: use it or remove it',
        },
      ],
    )
  })

  it('refuses a bare number in a condition: thresholds are named parameters', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = { field: 'vulnerability.adultAtRiskLevel', operator: 'equals', value: 1 }
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].value',
          message:
            'the bare number 1 is not allowed here: thresholds must be named parameters (use parameter: and define it under parameters)',
        },
      ],
    )
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[1] = { field: 'reporting.missedEvents90Days', operator: '>=', value: 2 }
      }),
      [
        { file: RULE_FILE, path: 'eligibility.all[1].parameter', message: 'is missing' },
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].value',
          message:
            'thresholds must be named parameters: write parameter: with a name defined under parameters',
        },
      ],
    )
  })

  it('refuses a number written as text for a number field', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[1] = { field: 'reporting.missedEvents90Days', operator: 'equals', value: '2' }
        delete r.parameters.minimumMissed
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].value',
          message:
            'reporting.missedEvents90Days is a number: thresholds must be named parameters (write parameter: with a name defined under parameters)',
        },
      ],
    )
  })

  it('reports an operator that does not exist', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0].operator = 'is'
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].operator',
          message:
            '"is" is not an operator (use one of equals, not equals, in, not in, <, <=, >, >=, between, is set, is not set, before, after, within last days, within next days, more than days ago)',
        },
      ],
    )
  })

  it('reports a condition that is two kinds at once, and one that is none', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0].all = []
        r.eligibility.all[1] = { alll: [] }
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0]',
          message:
            'a condition takes only one of field, count, all, any, not, ref, but this one has field and all',
        },
        {
          file: RULE_FILE,
          path: 'eligibility.all[1]',
          message:
            'must be a condition with one of field, count, all, any, not, ref (found alll (did you mean all?))',
        },
      ],
    )
  })

  it('reports an unknown key with a suggestion, and a missing one', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibilty = r.eligibility
        delete r.eligibility
      }),
      [
        { file: RULE_FILE, path: 'eligibility', message: 'is missing' },
        {
          file: RULE_FILE,
          path: 'eligibilty',
          message: 'is not a recognised key here (did you mean eligibility?)',
        },
      ],
    )
  })

  it('reports a list used as a field', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = { field: 'barriers', operator: 'is set' }
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].field',
          message: 'barriers is a list: count its items with count: barriers instead of field:',
        },
      ],
    )
  })

  it('reports an unknown field of a list item', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0] = {
          count: 'barriers',
          where: { field: 'opne', operator: 'equals', value: true },
          operator: 'some',
        }
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[0].where.field',
          message:
            'a barrier has no field opne (fields: type, suspensive, raisedOn, resolvedOn, open, ageInDays, owningTeam) (did you mean open?)',
        },
      ],
    )
  })

  it('reports a reporting date that is not a date field', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.reportingDate = 'reporting.missedEvents90Days'
      }),
      [
        {
          file: RULE_FILE,
          path: 'reportingDate',
          message: 'reporting.missedEvents90Days is not a date: the reporting date must be a date field',
        },
      ],
    )
  })
})
