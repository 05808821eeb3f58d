/**
 * "Why recommended" for a task made by a real rule run: the run stores the
 * compact explanation, and the page shows it in full with the words of the
 * rule-set version that made it. On the suite's engine (PGlite by default,
 * PostgreSQL with DATABASE_URL).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { compileRuleSet } from '../../src/rules/compile.ts'
import { describeExplanation } from '../../src/rules/explanation.ts'
import type { RecommendationExplanation } from '../../src/rules/explanation-json.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { explanationForTask } from '../../src/rules/stored-explanation.ts'
import { runRules } from '../../src/tasks/rule-run.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import { insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, signedInClient, startTestApp, type TestApp, textOf } from '../support/web.ts'

const reference = await readReferenceData(REFERENCE_DIR)
const taskTypes = new Map(reference.taskTypes.taskTypes.map((t) => [t.code, { enforcement: t.enforcement }]))
const ruleSet = await loadRuleSet(RULES_DIR, { taskTypes })

/** The same collapsing for a line of the expected explanation. */
const collapsed = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('why a task from a rule run was recommended', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock
  let taskId: number
  /** The explanation the compiler builds in full for the same person and rule. */
  let expected: RecommendationExplanation

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock()
    web = await startTestApp(database, { clock })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  beforeEach(async () => {
    await database.reset()
    clock.set(new Date('2026-03-02T09:00:00Z'))
    await addTestUser(database, { id: 'cw1', name: 'Casey Worker', regions: ['LSE'] })
    // Missed two events in a row, last reported 70 days ago, whereabouts known.
    await insertPersons(database.db, [
      { person_id: 'P1', consecutive_missed: 2, missed_events_90_days: 2, last_attended: '2025-12-22' },
    ])
    await publishForTest(database.db, ruleSet)
    await runRules(database.db, { ruleSet, clock, trigger: 'manual' })
    const task = await database.db
      .selectFrom('tasks')
      .select(['id', 'explanation'])
      .where('person_id', '=', 'P1')
      .where('task_type', '=', 'FAILED_TO_REPORT')
      .executeTakeFirstOrThrow()
    taskId = task.id
    assert.equal((task.explanation as { form?: string }).form, 'compact', 'the run stores the compact form')
    const full = await compileRuleSet(ruleSet, {
      today: clock.today(),
      taskTypes: ['FAILED_TO_REPORT'],
    }).matches.execute(database.db)
    const match = full.rows.find((m) => m.person_id === 'P1')
    assert.ok(match, 'the person matches FAILED_TO_REPORT')
    expected = match.explanation
  })

  async function whyPage(): Promise<string> {
    const client = await signedInClient(web.app, 'cw1')
    const response = await client.get(paths.taskSection(taskId, 'why-recommended'))
    assert.equal(response.statusCode, 200)
    return textOf(response.body)
  }

  it('expands the stored explanation to exactly the full one', async () => {
    const task = await database.db
      .selectFrom('tasks')
      .select(['explanation', 'rule_set_version'])
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow()
    const explanation = await explanationForTask(database.db, {
      explanation: task.explanation,
      ruleSetVersion: task.rule_set_version,
    })
    assert.deepEqual(explanation, expected)
  })

  it('shows the rule, its version and each condition with the value and whether it held', async () => {
    const why = await whyPage()
    assert.match(why, /Rule Failed-to-report follow-up Rule set version/, 'the rule by its name')
    assert.doesNotMatch(why, /FAILED_TO_REPORT/, 'not by its code')
    assert.ok(why.includes(`Rule set version ${ruleSet.version}`))
    assert.ok(why.includes(`Failed-to-report follow-up, rule set version ${ruleSet.version}`))
    assert.doesNotMatch(why, /stored without a full explanation/)
    // Every value labelled, every condition answered and what follows said.
    assert.match(
      why,
      /Missed the most recent reporting event: yes \(Reporting events missed in a row: 2\), so this condition is met/,
    )
    assert.match(
      why,
      /Known to be in hospital, in custody or to have left the UK: no .*so it does not stop the recommendation/,
    )
    assert.doesNotMatch(why, /Met:|Not excluded:|the person's value/)
    // Every line of the full explanation, safeguards and priority included.
    const lines = describeExplanation(expected).flatMap((section) => section.lines)
    assert.ok(lines.length > 10)
    for (const line of lines) {
      assert.ok(why.includes(collapsed(line.text)), `the page shows "${line.text}"`)
    }
  })

  it('still shows a task stored with the full explanation, as older tasks are', async () => {
    await database.db
      .updateTable('tasks')
      .set({ explanation: JSON.stringify(expected) })
      .where('id', '=', taskId)
      .execute()
    const why = await whyPage()
    assert.match(why, /Missed the most recent reporting event: yes \(Reporting events missed in a row: 2\)/)
    assert.doesNotMatch(why, /stored without a full explanation/)
  })
})
