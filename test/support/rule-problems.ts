/**
 * The problems a rule set is refused with, for tests that write a broken
 * rule file and check what the check says about it.
 */
import assert from 'node:assert/strict'
import { type LoadOptions, RuleSetError, ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSetFile } from '../../src/rules/model.ts'
import type { RuleSetProblem } from '../../src/rules/problems.ts'
import { rule, ruleSetFiles, type YamlObject } from './rule-files.ts'

/** The name of the test rule's file in ruleSetFiles(), as problems name it. */
export const RULE_FILE = 'REPORTING_REVIEW.yaml'

export function problemsOf(files: readonly RuleSetFile[], options: LoadOptions = {}): RuleSetProblem[] {
  try {
    ruleSetFromFiles(files, options)
  } catch (error) {
    assert.ok(error instanceof RuleSetError, `expected a RuleSetError, got ${error}`)
    return [...error.problems]
  }
  assert.fail('the rule set loaded, but problems were expected')
}

/** The problems of one rule file changed by `edit`. */
export function problemsOfRule(edit: (r: YamlObject) => void, options: LoadOptions = {}): RuleSetProblem[] {
  const r = rule()
  edit(r)
  return problemsOf(ruleSetFiles(r), options)
}
