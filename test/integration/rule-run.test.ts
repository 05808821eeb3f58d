import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { RuleSetNotPublishedError } from '../../src/rules/publication.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { addCaseworker } from '../support/caseworker.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import { standInRuns } from '../support/stand-in-runs.ts'
import {
  changePerson,
  insertPersons,
  type ManualClock,
  manualClock,
  standInRuleSet,
} from '../support/tasks.ts'

const MINUTE = 60_000

describe('rule run', () => {
  let database: TestDatabase
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
    await addCaseworker(database.db)
  })
  after(() => database.close())

  const { decide, run, tasks, events, taskOf } = standInRuns(
    () => database.db,
    () => clock,
  )

  it('recommends a task for each new match, with its facts version, day, version and a RECOMMENDED event', async () => {
    await insertPersons(database.db, [
      { person_id: 'P1', missed_events_90_days: 2, consecutive_missed: 2, next_reporting_date: '2026-03-12' },
      { person_id: 'P2', self_harm_risk: true, rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' },
      { person_id: 'P3' },
    ])
    const summary = await run()

    const created = await tasks()
    assert.equal(created.length, 2)
    const [failed, safeguarding] = created
    assert.equal(failed?.person_id, 'P1')
    assert.equal(failed?.task_type, 'FAILED_TO_REPORT')
    assert.equal(failed?.rule_code, 'FAILED_TO_REPORT')
    assert.equal(failed?.status, 'RECOMMENDED')
    assert.equal(failed?.version, 1)
    assert.equal(failed?.rom_region, 'LSE')
    assert.equal(failed?.reporting_date, '2026-03-12')
    assert.equal(failed?.priority, 20)
    assert.equal(failed?.rule_set_version, 'stand-in-v1')
    assert.equal(failed?.created_by_run, summary.runId)
    assert.equal(failed?.status_changed_by, null)
    // No explanation stored: the facts version and day it is derived from (stored-explanation.ts).
    assert.equal(failed?.explanation, null)
    const facts = await sql<{
      v: string
    }>`select facts_version::text as v from person_facts where person_id = 'P1'`.execute(database.db)
    assert.equal(String(failed?.facts_version), facts.rows[0]?.v)
    assert.equal(String(failed?.evaluated_on), '2026-03-02')
    assert.equal(safeguarding?.person_id, 'P2')
    assert.equal(safeguarding?.rom_region, 'MEE')

    const recorded = await events()
    assert.deepEqual(
      recorded.map((e) => [e.task_id, e.task_version, e.status, e.run_id, e.rule_set_version, e.user_id]),
      created.map((t) => [t.id, 1, 'RECOMMENDED', summary.runId, 'stand-in-v1', null]),
    )
    assert.deepEqual(summary.totals, { new: 2, unchanged: 0, withdrawn: 0, suppressed: 0 })
  })

  it('records the run and the rule-set version with its files', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }, { person_id: 'P2' }])
    const startedAt = clock.now()
    const summary = await run()

    const ruleSet = await database.db.selectFrom('rule_sets').selectAll().executeTakeFirstOrThrow()
    assert.equal(ruleSet.version, 'stand-in-v1')
    assert.deepEqual(ruleSet.files, [{ name: 'stand-in.yaml', content: '# stand-in-v1\n' }])

    const runs = await database.db.selectFrom('rule_runs').selectAll().execute()
    assert.equal(runs.length, 1)
    const record = runs[0]!
    assert.equal(record.id, summary.runId)
    assert.equal(record.status, 'COMPLETED')
    assert.equal(record.trigger, 'manual')
    assert.equal(record.rule_set_version, 'stand-in-v1')
    assert.equal(record.persons_evaluated, 2)
    assert.ok(new Date(record.started_at) > startedAt)
    assert.ok(record.finished_at !== null && new Date(record.finished_at) >= new Date(record.started_at))
    assert.equal(record.failure, null)
    assert.deepEqual(record.counts, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 1, unchanged: 0, withdrawn: 0, suppressed: 0 },
    ])
  })

  it('creates nothing when run twice in a row', async () => {
    await insertPersons(database.db, [
      { person_id: 'P1', missed_events_90_days: 1 },
      { person_id: 'P2', self_harm_risk: true },
    ])
    await run()
    const before = { tasks: await tasks(), events: await events() }
    const second = await run()
    assert.deepEqual(await tasks(), before.tasks)
    assert.deepEqual(await events(), before.events)
    assert.deepEqual(second.totals, { new: 0, unchanged: 2, withdrawn: 0, suppressed: 0 })
    assert.equal(second.refreshed, 0)
  })

  it('withdraws a recommended task whose person no longer matches, naming the run and rule-set version', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await run('stand-in-v1')
    await changePerson(database.db, 'P1', { missed_events_90_days: 0 }, clock.advance(MINUTE))
    const second = await run('stand-in-v2')

    const task = await taskOf('P1', 'FAILED_TO_REPORT')
    assert.equal(task.status, 'WITHDRAWN')
    assert.equal(task.version, 2)
    assert.equal(task.status_changed_by, null)
    assert.equal(task.rule_set_version, 'stand-in-v1', 'the task keeps the version that recommended it')
    const history = await events(task.id)
    assert.deepEqual(
      history.map((e) => [e.task_version, e.status, e.run_id, e.rule_set_version]),
      [
        [1, 'RECOMMENDED', second.runId - 1, 'stand-in-v1'],
        [2, 'WITHDRAWN', second.runId, 'stand-in-v2'],
      ],
    )
    assert.deepEqual(second.counts, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 0, unchanged: 0, withdrawn: 1, suppressed: 0 },
    ])
  })

  it('withdraws the recommended tasks of a person no longer present', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1, self_harm_risk: true }])
    await run()
    await database.db.updateTable('persons').set({ present: false }).where('person_id', '=', 'P1').execute()
    const second = await run()
    assert.deepEqual(
      (await tasks()).map((t) => t.status),
      ['WITHDRAWN', 'WITHDRAWN'],
    )
    assert.equal(second.totals.withdrawn, 2)
    assert.equal(second.personsEvaluated, 0)
  })

  it('keeps an open task when the person still matches, refreshing a recommended one’s priority and date only', async () => {
    await insertPersons(database.db, [
      { person_id: 'P1', missed_events_90_days: 1, consecutive_missed: 1, next_reporting_date: '2026-03-10' },
    ])
    await run('stand-in-v1')
    const before = await taskOf('P1', 'FAILED_TO_REPORT')
    await changePerson(
      database.db,
      'P1',
      { missed_events_90_days: 4, consecutive_missed: 3, next_reporting_date: '2026-03-17' },
      clock.advance(MINUTE),
    )
    const summary = await run('stand-in-v2')
    const after = await taskOf('P1', 'FAILED_TO_REPORT')
    assert.equal(after.id, before.id)
    assert.equal(after.priority, 30)
    assert.equal(after.reporting_date, '2026-03-17')
    assert.equal(after.version, 1, 'not a status change')
    assert.equal(after.rule_set_version, 'stand-in-v1')
    assert.deepEqual(after.explanation, before.explanation)
    assert.equal((await events(before.id)).length, 1)
    assert.deepEqual(summary.totals, { new: 0, unchanged: 1, withdrawn: 0, suppressed: 0 })
    assert.equal(summary.refreshed, 1)
  })

  it('replaces a recommended task when its person moves region, leaving an on-hold one where it is', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1, self_harm_risk: true }])
    await run()
    const held = await taskOf('P1', 'SAFEGUARDING')
    clock.advance(MINUTE)
    await decide(held.id, { status: 'ON_HOLD', note: null })
    const old = await taskOf('P1', 'FAILED_TO_REPORT')
    await changePerson(
      database.db,
      'P1',
      { rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' },
      clock.advance(MINUTE),
    )
    const summary = await run()

    const withdrawn = await database.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow()
    assert.equal(withdrawn.status, 'WITHDRAWN')
    assert.equal(withdrawn.rom_region, 'LSE')
    const replacement = await taskOf('P1', 'FAILED_TO_REPORT')
    assert.notEqual(replacement.id, old.id)
    assert.equal(replacement.status, 'RECOMMENDED')
    assert.equal(replacement.rom_region, 'MEE')
    const stillHeld = await taskOf('P1', 'SAFEGUARDING')
    assert.equal(stillHeld.status, 'ON_HOLD')
    assert.equal(stillHeld.rom_region, 'LSE')
    assert.equal(stillHeld.version, 2)
    assert.deepEqual(summary.counts, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 0, unchanged: 0, withdrawn: 1, suppressed: 0 },
      { taskType: 'FAILED_TO_REPORT', romRegion: 'MEE', new: 1, unchanged: 0, withdrawn: 0, suppressed: 0 },
      { taskType: 'SAFEGUARDING', romRegion: 'MEE', new: 0, unchanged: 1, withdrawn: 0, suppressed: 0 },
    ])
    const second = await run()
    assert.deepEqual(second.totals, { new: 0, unchanged: 2, withdrawn: 0, suppressed: 0 })
  })

  it('counts per task type and region', async () => {
    await insertPersons(database.db, [
      { person_id: 'L1', missed_events_90_days: 1 },
      { person_id: 'L2', missed_events_90_days: 1, self_harm_risk: true },
      { person_id: 'M1', missed_events_90_days: 1, rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' },
      { person_id: 'M2', self_harm_risk: true, rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' },
      { person_id: 'M3', self_harm_risk: true, rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' },
    ])
    await run()
    const reject = await taskOf('M2', 'SAFEGUARDING')
    clock.advance(MINUTE)
    await decide(reject.id, {
      status: 'REJECTED',
      reasons: ['OTHER_TEAM'],
      details: 'Safeguarding hub has it',
      checksConfirmed: true,
    })
    await changePerson(database.db, 'L1', { missed_events_90_days: 0 }, clock.advance(MINUTE))
    await insertPersons(database.db, [{ person_id: 'L3', missed_events_90_days: 2 }])

    const summary = await run()
    assert.deepEqual(summary.counts, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 1, unchanged: 1, withdrawn: 1, suppressed: 0 },
      { taskType: 'FAILED_TO_REPORT', romRegion: 'MEE', new: 0, unchanged: 1, withdrawn: 0, suppressed: 0 },
      { taskType: 'SAFEGUARDING', romRegion: 'LSE', new: 0, unchanged: 1, withdrawn: 0, suppressed: 0 },
      { taskType: 'SAFEGUARDING', romRegion: 'MEE', new: 0, unchanged: 1, withdrawn: 0, suppressed: 1 },
    ])
    assert.deepEqual(summary.totals, { new: 1, unchanged: 4, withdrawn: 1, suppressed: 1 })
    const record = await database.db
      .selectFrom('rule_runs')
      .select('counts')
      .where('id', '=', summary.runId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(record.counts, summary.counts)
  })

  it('records a failed run as FAILED and changes no task', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await run()
    const before = { tasks: await tasks(), events: await events() }
    const broken = {
      version: 'broken',
      matches: sql<never>`select person_id from persons where no_such_column`,
    }
    await publishForTest(database.db, { version: 'broken', files: [] })
    await assert.rejects(
      runCompiledRules(database.db, {
        ruleSet: { version: 'broken', files: [] },
        compiled: broken,
        clock,
        trigger: 'manual',
      }),
      /no_such_column/,
    )
    assert.deepEqual(await tasks(), before.tasks)
    assert.deepEqual(await events(), before.events)
    const failed = await database.db
      .selectFrom('rule_runs')
      .selectAll()
      .where('rule_set_version', '=', 'broken')
      .executeTakeFirstOrThrow()
    assert.equal(failed.status, 'FAILED')
    assert.match(failed.failure ?? '', /no_such_column/)
    assert.ok(failed.finished_at)
  })

  it('refuses a rule set nobody has published, naming it, and writes nothing', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    const { ruleSet, compiled } = standInRuleSet('never-published')
    await assert.rejects(
      runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual' }),
      (error: unknown) =>
        error instanceof RuleSetNotPublishedError &&
        error.message === 'rule set never-published has not been published, so it does not run',
    )
    assert.deepEqual(await database.db.selectFrom('rule_runs').selectAll().execute(), [])
    assert.deepEqual(await database.db.selectFrom('rule_sets').selectAll().execute(), [])
    assert.deepEqual(await tasks(), [])
    // Published, the same rule set runs.
    await publishForTest(database.db, ruleSet)
    const summary = await runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual' })
    assert.equal(summary.totals.new, 1)
  })

  it('refuses a compiled rule set that is not the rule set it claims to be', async () => {
    const { ruleSet } = standInRuleSet('stand-in-v1')
    const { compiled } = standInRuleSet('stand-in-v2')
    await assert.rejects(
      runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual' }),
      /is not rule set/,
    )
    assert.equal((await database.db.selectFrom('rule_runs').selectAll().execute()).length, 0)
  })

  it('lets two runs at once create each task only once', async () => {
    await insertPersons(
      database.db,
      Array.from({ length: 40 }, (_, i) => ({ person_id: `P${i}`, missed_events_90_days: i % 3 })),
    )
    const { ruleSet, compiled } = standInRuleSet()
    await publishForTest(database.db, ruleSet)
    const [a, b] = await Promise.all([
      runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual', full: true }),
      runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'import', full: true }),
    ])
    const created = await tasks()
    assert.equal(created.length, 26)
    assert.equal(new Set(created.map((t) => t.person_id)).size, 26)
    assert.deepEqual([a.totals.new + b.totals.new, a.totals.unchanged + b.totals.unchanged], [26, 26])
    assert.equal((await events()).length, 26)
    const runs = await database.db.selectFrom('rule_runs').select('status').execute()
    assert.deepEqual(
      runs.map((r) => r.status),
      ['COMPLETED', 'COMPLETED'],
    )
  })
})
