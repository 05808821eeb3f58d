/**
 * `ipic rules test`: runs every rule file's test cases against the real
 * database engine. By default on a fresh in-memory PGlite (nothing to set
 * up, nothing touched); with --on-configured-database on the configured
 * database inside a transaction that is rolled back.
 */
import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/connect.ts'
import { prepareDatabase } from '../db/prepare.ts'
import { type RuleTestResult, runRuleTests } from '../rules/testing.ts'
import { withRuntime } from '../runtime.ts'
import { UserFacingError } from './errors.ts'
import { loadCheckedRuleSet, type RulesOptions } from './rules-check.ts'

export interface RulesTestOptions extends RulesOptions {
  readonly onConfiguredDatabase?: boolean
}

export async function testRules(options: RulesTestOptions): Promise<void> {
  const { ruleSet } = await loadCheckedRuleSet(options)
  const results = options.onConfiguredDatabase
    ? await withRuntime(({ database }) => runRuleTests(database.db, ruleSet))
    : await onScratchDatabase((db) => runRuleTests(db, ruleSet))
  for (const result of results) process.stdout.write(describeResult(result))
  const failed = results.filter((r) => !r.passed).length
  process.stdout.write(`\nRule set ${ruleSet.version}: ${results.length - failed} passed, ${failed} failed\n`)
  if (failed > 0) throw new UserFacingError(`${failed} rule test ${failed === 1 ? 'case' : 'cases'} failed`)
}

async function onScratchDatabase<T>(
  work: (db: Parameters<typeof runRuleTests>[0]) => Promise<T>,
): Promise<T> {
  const config = loadConfig()
  const database = await openDatabase({ kind: 'pglite', dataDir: '' }, { inMemory: true })
  try {
    await prepareDatabase(database.db, config.referenceDir)
    return await work(database.db)
  } finally {
    await database.close()
  }
}

export function describeResult(result: RuleTestResult): string {
  const title = `${result.file} › ${result.rule} › ${result.name}`
  if (result.passed) return `  passed  ${title}\n`
  return [
    `  FAILED  ${title}`,
    `          ${result.failure}`,
    `          expected: ${result.expected}`,
    `          actual:   ${result.actual}`,
    `          decided by ${result.decidedBy}`,
    '',
  ].join('\n')
}
