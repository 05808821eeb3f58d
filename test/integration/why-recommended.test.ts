/**
 * "Why recommended" for a task made by a real rule run: the run stores the
 * version of the person's facts it evaluated and the day, and the page
 * derives the explanation from them with the rule-set version that made it
 * (docs/decisions/0026-explanations-on-demand.md): the values as they were
 * when recommended, even after the person's data changed, until a run
 * re-prioritises the task on the new ones; a rule set no longer stored gives
 * a clear message, never a wrong explanation. On the suite's engine (PGlite
 * by default, PostgreSQL with DATABASE_URL).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { findTaskView } from '../../src/review/task-view.ts'
import { compileRuleSet } from '../../src/rules/compile.ts'
import { describeExplanation } from '../../src/rules/explanation.ts'
import type { RecommendationExplanation } from '../../src/rules/explanation-json.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { explanationForTask, isUnavailable } from '../../src/rules/stored-explanation.ts'
import { runRules } from '../../src/tasks/rule-run.ts'
import { paths } from '../../src/web/paths.ts'
import { apiClientWithToken } from '../support/api-clients.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import { changePerson, insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'
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
      .select(['id', 'explanation', 'facts_version', 'evaluated_on'])
      .where('person_id', '=', 'P1')
      .where('task_type', '=', 'FAILED_TO_REPORT')
      .executeTakeFirstOrThrow()
    taskId = task.id
    assert.equal(task.explanation, null, 'the run stores no explanation')
    assert.ok(task.facts_version !== null, 'but the facts version it evaluated')
    assert.equal(String(task.evaluated_on), clock.today(), 'and the day')
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

  it('derives exactly the full explanation the compiler builds', async () => {
    assert.deepEqual(await explanationOfTask(taskId), expected)
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
      .set({ explanation: JSON.stringify(expected), facts_version: null, evaluated_on: null })
      .where('id', '=', taskId)
      .execute()
    const why = await whyPage()
    assert.match(why, /Missed the most recent reporting event: yes \(Reporting events missed in a row: 2\)/)
    assert.doesNotMatch(why, /stored without a full explanation/)
  })

  it('shows the values as they were when recommended after the person changed, and the new ones once a run re-prioritises', async () => {
    clock.set(new Date('2026-03-02T10:00:00Z'))
    await changePerson(database.db, 'P1', { consecutive_missed: 3, missed_events_90_days: 3 }, clock.now())
    const before = await whyPage()
    assert.match(before, /Reporting events missed in a row: 2\)/)
    assert.doesNotMatch(before, /Reporting events missed in a row: 3/)
    assert.deepEqual(await explanationOfTask(taskId), expected)

    const summary = await runRules(database.db, { ruleSet, clock, trigger: 'manual' })
    assert.equal(summary.refreshed, 1, 'the task keeps its ID and takes the new priority')
    const after = await whyPage()
    assert.match(after, /Reporting events missed in a row: 3\)/)
    const rerun = await explanationOfTask(taskId)
    assert.ok(rerun && !isUnavailable(rerun))
    assert.notEqual(rerun.priority.score, expected.priority.score)
    const task = await database.db
      .selectFrom('tasks')
      .select('priority')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow()
    assert.equal(
      Number(task.priority),
      rerun.priority.score,
      'the explanation gives the priority the task has',
    )
  })

  it('says the explanation cannot be shown when the rule set that made it is no longer stored, never a wrong one', async () => {
    // A version whose files are gone (this process keeps every version it has loaded: a version never changes).
    const gone = 'retired-version'
    await database.db
      .insertInto('rule_sets')
      .values({ version: gone, loaded_at: clock.now(), files: '[]' })
      .execute()
    await database.db.updateTable('tasks').set({ rule_set_version: gone }).where('id', '=', taskId).execute()
    const why = await whyPage()
    assert.ok(
      why.includes(
        'The explanation of this recommendation cannot be shown: rule set version retired-version, which made it, is no longer stored',
      ),
    )
    assert.doesNotMatch(why, /Missed the most recent reporting event/)
    assert.deepEqual(await explanationOfTask(taskId), {
      unavailable: 'rule-set-missing',
      ruleSetVersion: 'retired-version',
      ruleCode: 'FAILED_TO_REPORT',
    })
  })

  it('says so when the facts version it was recommended on is no longer kept', async () => {
    await database.db
      .updateTable('tasks')
      .set({ facts_version: '999999999' })
      .where('id', '=', taskId)
      .execute()
    assert.match(
      await whyPage(),
      /cannot be shown: the person's data it was recommended on is no longer kept/,
    )
  })

  it('gives the API the same explanation, as it was when recommended, and none when it cannot be derived', async () => {
    const { authorization } = await apiClientWithToken(web.app, web.services.machineClients, {
      scopes: ['tasks:read'],
    })
    const read = async () => {
      const response = await web.app.inject({ url: `/api/v1/tasks/${taskId}`, headers: { authorization } })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().explanation
    }
    assert.deepEqual(await read(), expected)
    clock.set(new Date('2026-03-02T09:05:00Z'))
    await changePerson(database.db, 'P1', { consecutive_missed: 3, missed_events_90_days: 3 }, clock.now())
    assert.deepEqual(await read(), expected)
    await database.db
      .updateTable('tasks')
      .set({ facts_version: '999999999' })
      .where('id', '=', taskId)
      .execute()
    assert.equal(await read(), null)
  })

  async function explanationOfTask(id: number) {
    const task = await findTaskView(database.db, id, { all: true })
    assert.ok(task)
    return explanationForTask(database.db, task)
  }
})
