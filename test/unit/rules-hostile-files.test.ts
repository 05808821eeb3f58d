/**
 * Rule files written to break the service rather than to describe a rule:
 * each is refused by the check (and so by every run) with the file, where in
 * it, and a plain message, instead of failing later in the database or
 * hanging. test/integration/rules-check-run-agree.test.ts runs what passes.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { stringify } from 'yaml'
import { ReferenceDataError, readReferenceData } from '../../src/db/reference-data.ts'
import { loadRuleSet, RuleSetError, ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSetFile } from '../../src/rules/model.ts'
import type { RuleSetProblem } from '../../src/rules/problems.ts'
import { YAML_FILE_MAX_BYTES } from '../../src/yaml/read-file.ts'
import { REFERENCE_DIR } from '../support/database.ts'
import { globalSafeguards, rule, ruleSetFiles, type YamlObject, yamlFile } from '../support/rule-files.ts'

const FILE = 'REPORTING_REVIEW.yaml'

function problemsOf(files: readonly RuleSetFile[]): RuleSetProblem[] {
  try {
    ruleSetFromFiles(files)
  } catch (error) {
    assert.ok(error instanceof RuleSetError, `expected a RuleSetError, got ${error}`)
    return [...error.problems]
  }
  assert.fail('the rule set loaded, but problems were expected')
}

/** The problems of the test rule after `edit` changes its YAML text. */
function problemsOfText(edit: (text: string) => string, r: YamlObject = rule()): RuleSetProblem[] {
  const text = stringify(r)
  const edited = edit(text)
  assert.notEqual(edited, text, 'the edit changed nothing')
  return problemsOf([yamlFile('global-safeguards.yaml', globalSafeguards()), { name: FILE, content: edited }])
}

function problemsOfRule(edit: (r: YamlObject) => void): RuleSetProblem[] {
  const r = rule()
  edit(r)
  return problemsOf(ruleSetFiles(r))
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

describe('rule files that could not be read safely', () => {
  let directory: string
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-hostile-rules-'))
  })
  after(() => rm(directory, { recursive: true, force: true }))

  /** A valid rule set with one more entry, made by `add`, in a directory of its own. */
  async function problemsWith(
    name: string,
    add: (path: string) => Promise<unknown>,
  ): Promise<RuleSetProblem[]> {
    const rules = await mkdtemp(join(directory, 'rules-'))
    for (const file of ruleSetFiles(rule())) await writeFile(join(rules, file.name), file.content)
    await add(join(rules, name))
    try {
      await loadRuleSet(rules)
    } catch (error) {
      assert.ok(error instanceof RuleSetError, `expected a RuleSetError, got ${(error as Error)?.stack}`)
      return [...error.problems]
    }
    assert.fail('the rule set loaded, but problems were expected')
  }

  it('refuses a directory named like a rule file', async () => {
    assert.deepEqual(await problemsWith('x.yaml', (path) => mkdir(path)), [
      {
        file: 'x.yaml',
        path: '',
        message: 'is a directory, not a regular file: only regular files are read',
      },
    ])
  })

  it('refuses a link to /dev/zero instead of reading it for ever', async () => {
    assert.deepEqual(await problemsWith('x.yaml', (path) => symlink('/dev/zero', path)), [
      { file: 'x.yaml', path: '', message: 'is a device, not a regular file: only regular files are read' },
    ])
  })

  it('refuses a named pipe instead of waiting for a writer', { timeout: 20_000 }, async () => {
    const problems = await problemsWith('x.yaml', async (path) => execFileSync('mkfifo', [path]))
    assert.deepEqual(problems, [
      {
        file: 'x.yaml',
        path: '',
        message: 'is a named pipe, not a regular file: only regular files are read',
      },
    ])
  })

  it('refuses a file larger than the limit, and one that is not UTF-8', async () => {
    const large = await problemsWith('x.yaml', (path) =>
      writeFile(path, `# ${'x'.repeat(YAML_FILE_MAX_BYTES)}\n`),
    )
    assert.deepEqual(large, [
      {
        file: 'x.yaml',
        path: '',
        message: 'is larger than 1 MB: no rule or reference file needs to be that big',
      },
    ])
    const latin1 = await problemsWith('x.yaml', (path) =>
      writeFile(path, Buffer.from([0x6f, 0x77, 0xe9, 0x0a])),
    )
    assert.deepEqual(latin1, [{ file: 'x.yaml', path: '', message: 'is not UTF-8 text: save it as UTF-8' }])
  })

  it('refuses an alias bomb without expanding it', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`)
    }
    const problems = await problemsWith('X.yaml', (path) => writeFile(path, `${levels.join('\n')}\n`))
    assert.deepEqual(problems, [
      {
        file: 'X.yaml',
        path: '',
        message: 'uses its anchors (*name) so often that expanding them would take too much memory',
      },
    ])
  })
})

describe('values a run could not use', () => {
  it('refuses a day window of 1e308 days', () => {
    assert.deepEqual(problemsOf(ruleSetFiles(ruleWithDayWindow(1e308))), [
      {
        file: FILE,
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
          file: FILE,
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
          file: FILE,
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
      [{ file: FILE, path: 'owner', message: 'must not contain control characters (it contains U+0000)' }],
    )
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', '# a note\u0000\nowner: Test team')),
      [{ file: FILE, path: 'line 4, column 9', message: 'contains a control character (U+0000): remove it' }],
    )
  })

  it('refuses half a surrogate pair in a text', () => {
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', 'owner: "Test \\ud800team"')),
      [
        {
          file: FILE,
          path: 'owner',
          message: 'contains a broken character (half of a surrogate pair): retype it',
        },
      ],
    )
  })

  it('says a weight of .inf is not a finite number, not that it is missing', () => {
    assert.deepEqual(
      problemsOfText((text) => text.replace('weight: 40', 'weight: .inf')),
      [{ file: FILE, path: 'priority[0].weight', message: 'is not a finite number' }],
    )
    assert.deepEqual(
      problemsOfText((text) => text.replace('weight: 40', 'weight: .nan')),
      [{ file: FILE, path: 'priority[0].weight', message: 'is not a number (.nan)' }],
    )
  })

  it('says a weight of the wrong type or too large is wrong, not that it is missing', () => {
    assert.deepEqual(
      problemsOfRule((r) => {
        r.priority[0].weight = 'heavy'
      }),
      [{ file: FILE, path: 'priority[0].weight', message: 'must be a number' }],
    )
    assert.deepEqual(
      problemsOfRule((r) => {
        r.priority[0].weight = 1e300
      }),
      [{ file: FILE, path: 'priority[0].weight', message: 'must be at most 1,000' }],
    )
  })

  it('says an owner tagged !!binary uses an unsupported tag, not that it is missing', () => {
    assert.deepEqual(
      problemsOfText((text) => text.replace('owner: Test team', 'owner: !!binary VGVzdCB0ZWFt')),
      [
        {
          file: FILE,
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
          file: FILE,
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
      { file: FILE, path: 'parameters.__proto__', message: '__proto__ is not allowed as a parameter name' },
      {
        file: FILE,
        path: 'parameters.constructor',
        message: 'constructor is not allowed as a parameter name',
      },
    ])
    assert.equal(({} as Record<string, unknown>).value, undefined)
    assert.deepEqual(
      problemsOfText((text) => text.replace('tests:\n', 'tests:\n  prototype: {}\n')),
      [{ file: FILE, path: 'tests.prototype', message: 'prototype is not allowed as a key' }],
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
          file: FILE,
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
          file: FILE,
          path: 'tests.cases[0].person["person.age"]',
          message: 'person.age takes a whole number between 0 and 200',
        },
        {
          file: FILE,
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
          file: FILE,
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
      file: FILE,
      path: 'definitions.link31.when.not.ref',
      message:
        'the definitions refer to one another more than 32 deep (link0 → … → link32): shorten the chain',
    })
    assert.ok(problems.every((p) => p.message.includes('refer to one another more than 32 deep')))
  })

  it('refuses conditions nested too deep once definitions are filled in', () => {
    assert.deepEqual(chained(25, 4), [
      {
        file: FILE,
        path: 'eligibility',
        message: 'nests conditions more than 64 deep once its definitions are filled in: simplify it',
      },
    ])
  })
})

describe('reference data files', () => {
  let directory: string
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-hostile-reference-'))
  })
  after(() => rm(directory, { recursive: true, force: true }))

  async function referenceError(change: (directory: string) => Promise<unknown>): Promise<string> {
    const copy = await mkdtemp(join(directory, 'reference-'))
    await cp(REFERENCE_DIR, copy, { recursive: true })
    await change(copy)
    try {
      await readReferenceData(copy)
    } catch (error) {
      assert.ok(error instanceof ReferenceDataError, `expected a ReferenceDataError, got ${error}`)
      return error.message.replace(copy, '<dir>')
    }
    assert.fail('the reference data loaded, but a problem was expected')
  }

  it('are read only from regular files, as rule files are', { timeout: 20_000 }, async () => {
    const message = await referenceError(async (copy) => {
      await rm(join(copy, 'countries.yaml'))
      execFileSync('mkfifo', [join(copy, 'countries.yaml')])
    })
    assert.equal(
      message,
      '<dir>/countries.yaml is a named pipe, not a regular file: only regular files are read',
    )
  })

  it('refuse unsupported tags and control characters, naming where', async () => {
    const message = await referenceError((copy) =>
      writeFile(
        join(copy, 'business-areas.yaml'),
        'businessAreas:\n  - code: AB\n    name: !!binary QQ==\n    shortName: "A\\u0007"\n',
      ),
    )
    assert.equal(
      message,
      [
        '<dir>/business-areas.yaml is not valid:',
        '  businessAreas.0.name: uses the tag !!binary, which is not supported: write plain text, a number, true or false, a list or a mapping',
      ].join('\n'),
    )
    const control = await referenceError((copy) =>
      writeFile(
        join(copy, 'business-areas.yaml'),
        'businessAreas:\n  - code: AB\n    name: A\n    shortName: "A\\a"\n',
      ),
    )
    assert.equal(
      control,
      [
        '<dir>/business-areas.yaml is not valid:',
        '  businessAreas.0.shortName: must not contain control characters (it contains U+0007)',
      ].join('\n'),
    )
  })
})
