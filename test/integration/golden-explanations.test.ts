/**
 * The golden test of explanations: for the stress profile's first 10,000
 * persons, the explanation of every task equals the one the rule run stored
 * in full before explanations were derived on demand, for the same person
 * and rule-set version (test/fixtures/golden-explanations.json.gz, made
 * once from that code; test/support/golden-explanations.ts). On the suite's
 * engine (PGlite by default, PostgreSQL with DATABASE_URL).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import type { RecommendationExplanation } from '../../src/rules/explanation-json.ts'
import { explanationForTask, isUnavailable } from '../../src/rules/stored-explanation.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'
import {
  explanationDigest,
  GOLDEN_CASELOAD,
  type GoldenFixture,
  goldenRuleSet,
  readGoldenFixture,
  recommendGoldenCaseload,
} from '../support/golden-explanations.ts'

describe('explanations against the golden fixture', () => {
  let database: TestDatabase
  let scratch: string
  let fixture: GoldenFixture
  /** `person_id task_type` → the explanation shown today. */
  const shown = new Map<string, RecommendationExplanation>()

  before(async () => {
    database = await openTestDatabase()
    scratch = await mkdtemp(join(tmpdir(), 'ipic-golden-'))
    fixture = await readGoldenFixture()
    const ruleSet = goldenRuleSet(fixture.ruleSetFiles)
    assert.equal(
      ruleSet.version,
      fixture.ruleSetVersion,
      'the fixture rule set loads as the version it names',
    )
    const reference = await readReferenceData(REFERENCE_DIR)
    await recommendGoldenCaseload(database, { scratch, reference, ruleSet })
    const tasks = await database.db
      .selectFrom('tasks')
      .select(['id', 'person_id', 'task_type'])
      .orderBy('person_id')
      .orderBy('task_type')
      .execute()
    for (const task of tasks) {
      const explanation = await explanationOf(database, task.id)
      assert.ok(explanation, `task ${task.id} (${task.person_id} ${task.task_type}) has an explanation`)
      shown.set(`${task.person_id} ${task.task_type}`, explanation)
    }
  })
  after(async () => {
    await database.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('recommends the same tasks as the fixture (else the generator changed: the fixture no longer applies)', () => {
    assert.equal(fixture.caseload.persons, GOLDEN_CASELOAD.persons)
    const expected = fixture.digests.map((line) => line.split(' ').slice(0, 2).join(' '))
    assert.deepEqual([...shown.keys()].sort(), expected)
  })

  it('shows, for every task, the explanation stored before (its digest), and the full ones kept are equal', () => {
    const differing = fixture.digests.filter((line) => {
      const [person, taskType, digest] = line.split(' ')
      const explanation = shown.get(`${person} ${taskType}`)
      return !explanation || explanationDigest(explanation) !== digest
    })
    assert.deepEqual(differing.slice(0, 5), [], `${differing.length} of ${fixture.digests.length} differ`)
    assert.ok(fixture.full.length >= 300)
    for (const { key, explanation } of fixture.full) assert.deepEqual(shown.get(key), explanation, key)
  })
})

async function explanationOf(
  database: TestDatabase,
  taskId: number,
): Promise<RecommendationExplanation | undefined> {
  const task = await database.db
    .selectFrom('tasks')
    .select([
      'explanation',
      'rule_set_version',
      'rule_code',
      sql<string | null>`facts_version::text`.as('facts_version'),
      sql<IsoDate | null>`evaluated_on::text`.as('evaluated_on'),
    ])
    .where('id', '=', taskId)
    .executeTakeFirstOrThrow()
  const explanation = await explanationForTask(database.db, {
    explanation: task.explanation,
    ruleSetVersion: task.rule_set_version,
    ruleCode: task.rule_code,
    factsVersion: task.facts_version,
    evaluatedOn: task.evaluated_on,
  })
  assert.ok(!isUnavailable(explanation), `task ${taskId}: ${JSON.stringify(explanation)}`)
  return explanation
}
