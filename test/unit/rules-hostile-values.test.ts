/**
 * Rule files written to break the service rather than to describe a rule:
 * values and nesting a run could not use. Each is refused by the check (and
 * so by every run) with the file, where in it, and a plain message, instead
 * of failing later in the database or running out of stack.
 * test/integration/rules-check-run-agree.test.ts runs what passes.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { stringify } from 'yaml'
import { ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSetProblem } from '../../src/rules/problems.ts'
import { globalSafeguards, rule, ruleSetFiles, type YamlObject, yamlFile } from '../support/rule-files.ts'
import { problemsOf, problemsOfRule, RULE_FILE } from '../support/rule-problems.ts'

/** The problems of the test rule after `edit` changes its YAML text. */
function problemsOfText(edit: (text: string) => string, r: YamlObject = rule()): RuleSetProblem[] {
  const text = stringify(r)
  const edited = edit(text)
  assert.notEqual(edited, text, 'the edit changed nothing')
  return problemsOf([
    yamlFile('global-safeguards.yaml', globalSafeguards()),
    { name: RULE_FILE, content: edited },
  ])
}

/** The test rule with a day window on the next reporting date, of `days` days. */
function ruleWithDayWindow(days: number): YamlObject {
  const r = rule()
  r.parameters.windowDays = { value: days, unit: 'days', description: 'How soon the reporting date is.' }
  r.eligibility.all.push({
    field: 'reporting.nextDates[0]',
    operator: 'within next days',
    parameter: 'windowDays',
  })
  return r
}

describe('values a run could not use', () => {
  it('refuses a day window of 1e308 days', () => {
    assert.deepEqual(problemsOf(ruleSetFiles(ruleWithDayWindow(1e308))), [
      {
        file: RULE_FILE,
        path: 'eligibility.all[2].parameter',
        message: 'the parameter windowDays must be a whole number between 0 and 36,500 (days)',
      },
    ])
    assert.doesNotThrow(() => ruleSetFromFiles(ruleSetFiles(ruleWithDayWindow(36_500))))
  })

  it('refuses thresholds and counts beyond what the database compares', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.parameters.minimumMissed.value = 1e308
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].parameter',
          message:
            'the parameter minimumMissed (1e+308) does not fit: reporting.missedEvents90Days takes a whole number between -1,000,000 and 1,000,000',
        },
      ],
    )
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[1] = { count: 'barriers', operator: '>=', parameter: 'minimumMissed' }
        r.parameters.minimumMissed.value = 2 ** 40
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].parameter',
          message:
            'the parameter minimumMissed must be a whole number between 0 and 1,000,000 to compare with a count',
        },
      ],
    )
  })

  it('refuses a NUL character in the owner, and in the text itself', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.owner = 'Test\u0000team'
      }),
      [
        {
          file: RULE_FILE,
          path: 'owner',
          message: 'must not contain control characters (it contains U+0000)',
        },
      ],
    )
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', '# a note\u0000\nowner: Test team')),
      [
        {
          file: RULE_FILE,
          path: 'line 4, column 9',
          message: 'contains a control character (U+0000): remove it',
        },
      ],
    )
  })

  it('refuses half a surrogate pair in a text', () => {
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', 'owner: "Test \\ud800team"')),
      [
        {
          file: RULE_FILE,
          path: 'owner',
          message: 'contains a broken character (half of a surrogate pair): retype it',
        },
      ],
    )
  })

  it('says a weight of .inf is not a finite number, not that it is missing', () => {
    assert.deepEqual(
      problemsOfText((text) => text.replace('weight: 40', 'weight: .inf')),
      [{ file: RULE_FILE, path: 'priority[0].weight', message: 'is not a finite number' }],
    )
    assert.deepEqual(
      problemsOfText((text) => text.replace('weight: 40', 'weight: .nan')),
      [{ file: RULE_FILE, path: 'priority[0].weight', message: 'is not a number (.nan)' }],
    )
  })

  it('says a weight of the wrong type or too large is wrong, not that it is missing', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.priority[0].weight = 'heavy'
      }),
      [{ file: RULE_FILE, path: 'priority[0].weight', message: 'must be a number' }],
    )
    assert.deepEqual(
      problemsOfRule((r) => {
        r.priority[0].weight = 1e300
      }),
      [{ file: RULE_FILE, path: 'priority[0].weight', message: 'must be at most 1,000' }],
    )
  })

  it('says an owner tagged !!binary uses an unsupported tag, not that it is missing', () => {
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', 'owner: !!binary VGVzdCB0ZWFt')),
      [
        {
          file: RULE_FILE,
          path: 'owner',
          message:
            'uses the tag !!binary, which is not supported: write plain text, a number, true or false, a list or a mapping',
        },
      ],
    )
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', 'owner: !team Test team')),
      [
        {
          file: RULE_FILE,
          path: 'owner',
          message:
            'uses the tag !team, which is not supported: write plain text, a number, true or false, a list or a mapping',
        },
      ],
    )
  })

  it('refuses __proto__, constructor and prototype as parameter names, touching no prototype', () => {
    const problems = problemsOfText((text) =>
      text.replace(
        'parameters:\n',
        'parameters:\n  __proto__:\n    value: 1\n    description: x\n  constructor:\n    value: 1\n    description: x\n',
      ),
    )
    assert.deepEqual(problems, [
      {
        file: RULE_FILE,
        path: 'parameters.__proto__',
        message: '__proto__ is not allowed as a parameter name',
      },
      {
        file: RULE_FILE,
        path: 'parameters.constructor',
        message: 'constructor is not allowed as a parameter name',
      },
    ])
    assert.equal(({} as Record<string, unknown>).value, undefined)
    assert.deepEqual(
      problemsOfText((text) => text.replace('tests:\n', 'tests:\n  prototype: {}\n')),
      [{ file: RULE_FILE, path: 'tests.prototype', message: 'prototype is not allowed as a key' }],
    )
  })

  it('does not take what every object inherits for a parameter', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.eligibility.all[1].parameter = 'toString'
        delete r.parameters.minimumMissed
      }),
      [
        {
          file: RULE_FILE,
          path: 'eligibility.all[1].parameter',
          message: 'the parameter toString is not defined under parameters in this file',
        },
      ],
    )
  })

  it('refuses a test person whose age or days could not become a date', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.tests.cases[0].person = { 'person.age': 1_000_000, 'reporting.daysUntilNextReporting': 1e9 }
      }),
      [
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person["person.age"]',
          message: 'person.age takes a whole number between 0 and 200',
        },
        {
          file: RULE_FILE,
          path: 'tests.cases[0].person["reporting.daysUntilNextReporting"]',
          message: 'reporting.daysUntilNextReporting takes a whole number between -36,500 and 36,500',
        },
      ],
    )
  })

  it('refuses nesting deeper than any rule needs', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        let condition: YamlObject = r.eligibility.all[0]
        for (let i = 0; i < 50; i++) condition = { not: condition }
        r.eligibility.all[0] = condition
      }),
      [
        {
          file: RULE_FILE,
          path: `eligibility.all[0]${'.not'.repeat(38)}`,
          message: 'is nested more than 40 levels deep',
        },
      ],
    )
  })
})

describe('definitions filled in', () => {
  /** Eligibility through `links` definitions, each wrapping the next in `nots` nots. */
  function chained(links: number, nots: number): RuleSetProblem[] {
    return problemsOfRule((r) => {
      r.definitions = {}
      for (let i = 0; i < links; i++) {
        let when: YamlObject = { ref: `link${i + 1}` }
        for (let n = 0; n < nots; n++) when = { not: when }
        r.definitions[`link${i}`] = {
          text: `Link ${i}`,
          when: i === links - 1 ? { field: 'harm.harmLevel', operator: 'equals', value: 'HIGH' } : when,
        }
      }
      r.eligibility.all[0] = { ref: 'link0' }
    })
  }

  it('refuses a chain of definitions too long to follow, without running out of stack', () => {
    const problems = chained(3000, 1)
    assert.deepEqual(problems[0], {
      file: RULE_FILE,
      path: 'definitions.link31.when.not.ref',
      message:
        'the definitions refer to one another more than 32 deep (link0 → … → link32): shorten the chain',
    })
    assert.ok(problems.every((p) => p.message.includes('refer to one another more than 32 deep')))
  })

  it('refuses conditions nested too deep once definitions are filled in', () => {
    assert.deepEqual(chained(25, 4), [
      {
        file: RULE_FILE,
        path: 'eligibility',
        message: 'nests conditions more than 64 deep once its definitions are filled in: simplify it',
      },
    ])
  })
})
