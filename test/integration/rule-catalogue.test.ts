/**
 * Every test case in rules/ (each rule file's own, and the global
 * safeguards' cases against every enforcement rule), run on the suite's
 * database engine: PGlite by default, PostgreSQL with DATABASE_URL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { compileRuleSet } from '../../src/rules/compile.ts'
import { expandExplanation } from '../../src/rules/explanation.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { insertTestPersons, referenceDefaults, testPersonRows } from '../../src/rules/test-person.ts'
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

  it('stores compact explanations that expand to exactly the full ones, for every test person', async () => {
    const reference = await referenceDefaults(database.db)
    const now = new Date()
    const today = ruleSet.rules[0]?.tests[0]?.today as IsoDate
    const persons = ruleSet.rules.flatMap((rule, r) =>
      rule.tests.map((c, i) => testPersonRows(`CAT-${r}-${i}`, c.person, today, reference, now)),
    )
    await insertTestPersons(database.db, persons)
    try {
      const compiled = compileRuleSet(ruleSet, { today })
      const full = (await compiled.matches.execute(database.db)).rows
      const compact = (await compiled.compactMatches.execute(database.db)).rows
      assert.ok(full.length > 100)
      assert.equal(compact.length, full.length)
      const byKey = new Map(full.map((m) => [`${m.task_type}:${m.person_id}`, m]))
      for (const match of compact) {
        const same = byKey.get(`${match.task_type}:${match.person_id}`)
        assert.deepEqual(expandExplanation(match.explanation, ruleSet), same?.explanation)
      }
    } finally {
      await database.reset()
    }
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
