/**
 * `ipic rules check`: loads and validates every rule file and says either
 * that the rule set is usable or what is wrong with it, file by file.
 */
import { resolve } from 'node:path'
import { loadConfig } from '../config.ts'
import { readReferenceData } from '../db/reference-data.ts'
import { loadRuleSet, RuleSetError } from '../rules/load.ts'
import type { RuleSet } from '../rules/model.ts'
import { UserFacingError } from './errors.ts'

export interface RulesOptions {
  /** The rule set directory; the configured one (IPIC_RULES_DIR, ./rules) when absent. */
  readonly rules?: string
}

/**
 * Loads the rule set with the task types of the reference data, turning an
 * invalid rule set into one message for the terminal.
 */
export async function loadCheckedRuleSet(
  options: RulesOptions,
): Promise<{ ruleSet: RuleSet; directory: string }> {
  const config = loadConfig()
  const directory = resolve(options.rules ?? config.rulesDir)
  const reference = await readReferenceData(config.referenceDir)
  const taskTypes = new Map(
    reference.taskTypes.taskTypes
      .filter((t) => t.active)
      .map((t) => [t.code, { enforcement: t.enforcement }]),
  )
  try {
    return { ruleSet: await loadRuleSet(directory, { taskTypes }), directory }
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error
    const count = error.problems.length
    throw new UserFacingError(
      `the rule set in ${directory} has ${count} ${count === 1 ? 'problem' : 'problems'}:\n${error.message}`,
    )
  }
}

export function countTestCases(ruleSet: RuleSet): number {
  return ruleSet.rules.reduce((sum, rule) => sum + rule.tests.length, 0)
}

export async function checkRules(options: RulesOptions): Promise<void> {
  const { ruleSet } = await loadCheckedRuleSet(options)
  const rules = ruleSet.rules.length
  process.stdout.write(
    `Rule set ${ruleSet.version}: ${rules} ${rules === 1 ? 'rule' : 'rules'}, ${countTestCases(ruleSet)} test cases, no problems\n`,
  )
}
