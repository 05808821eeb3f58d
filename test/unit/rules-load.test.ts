import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { type LoadOptions, loadRuleSet, RuleSetError, ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSetFile } from '../../src/rules/model.ts'
import type { RuleSetProblem } from '../../src/rules/problems.ts'
import { globalSafeguards, rule, ruleSetFiles, type YamlObject, yamlFile } from '../support/rule-files.ts'

function problemsOf(files: RuleSetFile[], options: LoadOptions = {}): RuleSetProblem[] {
  try {
    ruleSetFromFiles(files, options)
  } catch (error) {
    assert.ok(error instanceof RuleSetError, `expected a RuleSetError, got ${error}`)
    return [...error.problems]
  }
  assert.fail('the rule set loaded, but problems were expected')
}

/** The problems of one rule file changed by `edit`. */
function problemsOfRule(edit: (r: YamlObject) => void, options: LoadOptions = {}): RuleSetProblem[] {
  const r = rule()
  edit(r)
  return problemsOf(ruleSetFiles(r), options)
}

const FILE = 'REPORTING_REVIEW.yaml'

describe('loading a rule set', () => {
  it('loads a valid rule set, with the global safeguards first and a content-hash version', () => {
    const ruleSet = ruleSetFromFiles(ruleSetFiles(rule()))
    assert.match(ruleSet.version, /^[0-9a-f]{12}$/)
    const [loaded] = ruleSet.rules
    assert.equal(loaded?.code, 'REPORTING_REVIEW')
    assert.deepEqual(
      loaded?.safeguards.map((s) => [s.id, s.scope]),
      [['adultAtRisk', 'global']],
    )
    assert.deepEqual(
      loaded?.eligibility.map((c) => c.id),
      ['highHarm', 'missedEvents'],
    )
    // Two cases of its own and the global case run against it.
    assert.equal(loaded?.tests.length, 3)
    assert.equal(ruleSet.files.length, 2)
  })

  it('gives the same files the same version and any edit a new one', () => {
    const a = ruleSetFromFiles(ruleSetFiles(rule())).version
    assert.equal(ruleSetFromFiles([...ruleSetFiles(rule())].reverse()).version, a)
    const edited = rule()
    edited.description = 'A rule for tests, reworded.'
    assert.notEqual(ruleSetFromFiles(ruleSetFiles(edited)).version, a)
  })

  it('resolves parameters to their values and writes plain English for conditions without text', () => {
    const [loaded] = ruleSetFromFiles(ruleSetFiles(rule())).rules
    const missed = loaded?.eligibility[1]
    assert.equal(missed?.kind, 'field')
    assert.equal(missed?.text, 'Reporting events missed in the last 90 days is 2 or more')
    assert.deepEqual(missed?.kind === 'field' && missed.test, {
      operator: '>=',
      operand: { value: 2, parameter: 'minimumMissed' },
    })
  })

  it('reads a directory of YAML files and ignores other files', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'ipic-rules-'))
    try {
      for (const file of ruleSetFiles(rule())) await writeFile(join(directory, file.name), file.content)
      await writeFile(join(directory, 'README.md'), '# not a rule')
      const ruleSet = await loadRuleSet(directory)
      assert.deepEqual(
        ruleSet.files.map((f) => f.name),
        ['REPORTING_REVIEW.yaml', 'global-safeguards.yaml'],
      )
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })

  it('reports a directory it cannot read', async () => {
    await assert.rejects(loadRuleSet('/no/such/rules'), (error: unknown) => {
      assert.ok(error instanceof RuleSetError)
      assert.equal(error.problems[0]?.file, '/no/such/rules')
      assert.match(error.problems[0]?.message ?? '', /^cannot read the rule directory/)
      return true
    })
  })
})

describe('problems in a rule set', () => {
  it('lists every problem in the error message, one per line, as file: path: message', () => {
    const r = rule()
    r.eligibility.all[0].field = 'harm.harmLevl'
    r.eligibility.all[1].parameter = 'minimumMised'
    const error = (() => {
      try {
        ruleSetFromFiles(ruleSetFiles(r))
      } catch (e) {
        return e as RuleSetError
      }
      throw new Error('expected problems')
    })()
    assert.equal(
      error.message,
      [
        `${FILE}: eligibility.all[0].field: a person has no field harm.harmLevl (did you mean harm.harmLevel?)`,
        `${FILE}: eligibility.all[1].parameter: the parameter minimumMised is not defined under parameters in this file (did you mean minimumMissed?)`,
        `${FILE}: parameters.minimumMissed: the parameter minimumMissed is not used by any condition or priority factor: use it or remove it`,
      ].join('\n'),
    )
  })

  it('reports YAML that does not parse, with its line and column', () => {
    const problems = problemsOf([
      ...ruleSetFiles(),
      { name: FILE, content: 'code: [REPORTING_REVIEW\nname: x\n' },
    ])
    assert.equal(problems[0]?.file, FILE)
    assert.match(problems[0]?.path ?? '', /^line \d+, column \d+$/)
    assert.match(problems[0]?.message ?? '', /^is not valid YAML: /)
  })

  it('reports an unknown field with a suggestion', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[0].field = 'harmLevel'
      }),
      [
        {
          file: FILE,
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
          file: FILE,
          path: 'eligibility.all[0].field',
          message: 'nationality is not available to rules or priority',
        },
        {
          file: FILE,
          path: 'priority[1].when.field',
          message: 'gender is not available to rules or priority',
        },
        {
          file: FILE,
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
          file: FILE,
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
          file: FILE,
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
          file: FILE,
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
        file: FILE,
        path: 'eligibility.all[1].parameter',
        message:
          'the parameter minimumMised is not defined under parameters in this file (did you mean minimumMissed?)',
      },
      {
        file: FILE,
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
          file: FILE,
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
          file: FILE,
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
        { file: FILE, path: 'eligibility.all[1].parameter', message: 'is missing' },
        {
          file: FILE,
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
          file: FILE,
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
          file: FILE,
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
          file: FILE,
          path: 'eligibility.all[0]',
          message:
            'a condition takes only one of field, count, all, any, not, ref, but this one has field and all',
        },
        {
          file: FILE,
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
        { file: FILE, path: 'eligibility', message: 'is missing' },
        {
          file: FILE,
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
          file: FILE,
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
          file: FILE,
          path: 'eligibility.all[0].where.field',
          message:
            'a barrier has no field opne (fields: type, suspensive, raisedOn, resolvedOn, open, ageInDays, owningTeam) (did you mean open?)',
        },
      ],
    )
  })

  it('reports two files with the same code', () => {
    const r = rule()
    const problems = problemsOf([...ruleSetFiles(r), yamlFile('REPORTING_REVIEW.yml', rule())])
    assert.deepEqual(problems, [
      {
        file: 'REPORTING_REVIEW.yml',
        path: 'code',
        message: 'the code REPORTING_REVIEW is also used by REPORTING_REVIEW.yaml: one file per task type',
      },
    ])
  })

  it('reports a file whose name is not its code', () => {
    assert.deepEqual(
      problemsOf([yamlFile('global-safeguards.yaml', globalSafeguards()), yamlFile('review.yaml', rule())]),
      [
        {
          file: 'review.yaml',
          path: 'code',
          message: 'the file for REPORTING_REVIEW must be named REPORTING_REVIEW.yaml',
        },
      ],
    )
  })

  it('reports a code that is not a task type in the reference data', () => {
    assert.deepEqual(
      problemsOf(ruleSetFiles(rule('REPORTING_REVEIW')), { taskTypes: new Set(['REPORTING_REVIEW']) }),
      [
        {
          file: 'REPORTING_REVEIW.yaml',
          path: 'code',
          message:
            'REPORTING_REVEIW is not a task type in the reference data (did you mean REPORTING_REVIEW?)',
        },
      ],
    )
  })

  it('reports global safeguards that do not match whether the task type is enforcement', () => {
    const safeguarding = rule('SAFEGUARDING')
    assert.deepEqual(
      problemsOf(ruleSetFiles(rule(), safeguarding), {
        taskTypes: new Map([
          ['REPORTING_REVIEW', { enforcement: true }],
          ['SAFEGUARDING', { enforcement: false }],
        ]),
      }),
      [
        {
          file: 'SAFEGUARDING.yaml',
          path: 'globalSafeguards',
          message:
            'SAFEGUARDING is not an enforcement task type, so the global safeguards must not apply (globalSafeguards: false)',
        },
      ],
    )
  })

  it('reports a cycle in named definitions', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.definitions = {
          first: { text: 'First', when: { all: [{ ref: 'second' }, { ref: 'openSuspensiveBarrier' }] } },
          second: { text: 'Second', when: { not: { ref: 'first' } } },
        }
        r.eligibility.all.push({ ref: 'first' })
      }),
      [
        {
          file: FILE,
          path: 'definitions.second.when.not.ref',
          message: 'the definition first refers back to itself: first → second → first',
        },
      ],
    )
  })

  it('reports an unknown definition and one that shadows a global definition', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.definitions = { openSuspensiveBarrier: { text: 'Mine', when: { ref: 'openSuspensiveBarier' } } }
      }),
      [
        {
          file: FILE,
          path: 'definitions.openSuspensiveBarrier',
          message:
            'the definition openSuspensiveBarrier is already defined in global-safeguards.yaml: choose another name',
        },
      ],
    )
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all.push({ ref: 'openSuspensiveBarier' })
      }),
      [
        {
          file: FILE,
          path: 'eligibility.all[2].ref',
          message: 'there is no definition named openSuspensiveBarier (did you mean openSuspensiveBarrier?)',
        },
      ],
    )
  })

  it('reports a safeguard id already used by a global safeguard, and a repeated condition id', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.safeguards = [
          {
            id: 'adultAtRisk',
            text: 'Again',
            when: { field: 'vulnerability.pregnant', operator: 'equals', value: true },
          },
        ]
        r.eligibility.all[1].id = 'highHarm'
      }),
      [
        {
          file: FILE,
          path: 'safeguards[0].id',
          message: 'the safeguard id adultAtRisk is already used by a global safeguard',
        },
        {
          file: FILE,
          path: 'eligibility.all[1].id',
          message: 'the id highHarm is already used at eligibility.all[0]',
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
          file: FILE,
          path: 'reportingDate',
          message: 'reporting.missedEvents90Days is not a date: the reporting date must be a date field',
        },
      ],
    )
  })

  it('reports a test case that names no condition or safeguard of the rule', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.tests.cases[1].decidedBy = 'missedEvent'
      }),
      [
        {
          file: FILE,
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
          file: FILE,
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
          file: FILE,
          path: 'tests.cases[0].person["harm.harmLvl"]',
          message: 'a person has no field harm.harmLvl (did you mean harm.harmLevel?)',
        },
        {
          file: FILE,
          path: 'tests.cases[0].person["reporting.missedEvents90Days"]',
          message: 'reporting.missedEvents90Days takes a whole number between -1,000,000 and 1,000,000',
        },
        {
          file: FILE,
          path: 'tests.cases[0].person["person.dateOfBirth"]',
          message: 'sets both person.age and person.dateOfBirth, which are the same record field: give one',
        },
        {
          file: FILE,
          path: 'tests.cases[0].person.barriers[0].opened',
          message:
            'a barrier has no field opened (fields: type, suspensive, raisedOn, resolvedOn, open, ageInDays, owningTeam) (did you mean open?)',
        },
      ],
    )
  })

  it('requires the global safeguards file when a rule applies the global safeguards', () => {
    assert.deepEqual(problemsOf([yamlFile(FILE, rule())]), [
      {
        file: FILE,
        path: 'globalSafeguards',
        message: 'the global safeguards apply, but the rule set has no global-safeguards.yaml',
      },
    ])
  })

  it('requires each global safeguard to name its policy reference', () => {
    const global = globalSafeguards()
    delete global.safeguards[0].references
    assert.deepEqual(problemsOf([yamlFile('global-safeguards.yaml', global), yamlFile(FILE, rule())]), [
      {
        file: 'global-safeguards.yaml',
        path: 'safeguards[0].references',
        message: 'a global safeguard must name the guidance it puts into effect (references)',
      },
    ])
  })

  it('reports a rule set with no rule files', () => {
    assert.deepEqual(problemsOf([yamlFile('global-safeguards.yaml', globalSafeguards())]), [
      { file: '(rule set)', path: '', message: 'there are no rule files' },
    ])
  })
})
