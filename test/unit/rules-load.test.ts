/**
 * Loading a rule set: the files read, the version given, parameters filled
 * in, and how the problems of a refused set are reported, including those of
 * the set as a whole (codes, file names, the global safeguards file). The
 * problems inside one file have files of their own (rules-*-problems).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadRuleSet, RuleSetError, ruleSetFromFiles } from '../../src/rules/load.ts'
import { globalSafeguards, rule, ruleSetFiles, yamlFile } from '../support/rule-files.ts'
import { problemsOf, RULE_FILE } from '../support/rule-problems.ts'

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
        `${RULE_FILE}: eligibility.all[0].field: a person has no field harm.harmLevl (did you mean harm.harmLevel?)`,
        `${RULE_FILE}: eligibility.all[1].parameter: the parameter minimumMised is not defined under parameters in this file (did you mean minimumMissed?)`,
        `${RULE_FILE}: parameters.minimumMissed: the parameter minimumMissed is not used by any condition or priority factor: use it or remove it`,
      ].join('\n'),
    )
  })

  it('reports YAML that does not parse, with its line and column', () => {
    const problems = problemsOf([
      ...ruleSetFiles(),
      { name: RULE_FILE, content: 'code: [REPORTING_REVIEW\nname: x\n' },
    ])
    assert.equal(problems[0]?.file, RULE_FILE)
    assert.match(problems[0]?.path ?? '', /^line \d+, column \d+$/)
    assert.match(problems[0]?.message ?? '', /^is not valid YAML: /)
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

  it('requires the global safeguards file when a rule applies the global safeguards', () => {
    assert.deepEqual(problemsOf([yamlFile(RULE_FILE, rule())]), [
      {
        file: RULE_FILE,
        path: 'globalSafeguards',
        message: 'the global safeguards apply, but the rule set has no global-safeguards.yaml',
      },
    ])
  })

  it('requires each global safeguard to name its policy reference', () => {
    const global = globalSafeguards()
    delete global.safeguards[0].references
    assert.deepEqual(problemsOf([yamlFile('global-safeguards.yaml', global), yamlFile(RULE_FILE, rule())]), [
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
