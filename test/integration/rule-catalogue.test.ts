/**
 * Every test case in rules/ (each rule file's own, and the global
 * safeguards' cases against every enforcement rule), run on the suite's
 * database engine: PGlite by default, PostgreSQL with DATABASE_URL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { type RuleTestResult, runRuleTests } from '../../src/rules/testing.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'

const reference = await readReferenceData(REFERENCE_DIR)
const taskTypes = new Map(reference.taskTypes.taskTypes.map((t) => [t.code, { enforcement: t.enforcement }]))
const ruleSet = await loadRuleSet(RULES_DIR, { taskTypes })

describe('the rule catalogue', () => {
  let database: TestDatabase
  let results: Map<string, RuleTestResult>
  const key = (rule: string, file: string, name: string) => `${rule}\u0000${file}\u0000${name}`

  before(async () => {
    database = await openTestDatabase()
    const outcomes = await runRuleTests(database.db, ruleSet)
    results = new Map(outcomes.map((r) => [key(r.rule, r.file, r.name), r]))
  })
  after(() => database.close())

  it('has a rule for every task type in the reference data', () => {
    assert.deepEqual(
      ruleSet.rules.map((r) => r.code),
      [...taskTypes.keys()],
    )
  })

  it('leaves no test person behind', async () => {
    const row = await database.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
    assert.equal(row?.n, 0)
  })

  for (const rule of ruleSet.rules) {
    describe(rule.code, () => {
      for (const testCase of rule.tests) {
        it(`${testCase.file}: ${testCase.name}`, () => {
          const result = results.get(key(rule.code, testCase.file, testCase.name))
          assert.ok(result, 'the case was not run')
          assert.ok(
            result.passed,
            `${result.failure}\nexpected: ${result.expected}\nactual: ${result.actual}\ndecided by ${result.decidedBy}`,
          )
        })
      }
    })
  }
})
