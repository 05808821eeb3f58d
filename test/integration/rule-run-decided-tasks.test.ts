import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { addCaseworker } from '../support/caseworker.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { standInRuns } from '../support/stand-in-runs.ts'
import { changePerson, insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'

const MINUTE = 60_000

describe('rule run over decided tasks', () => {
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

  it('never touches a task that carries a decision, whether or not the person still matches', async () => {
    await insertPersons(database.db, [
      { person_id: 'P1', missed_events_90_days: 1 },
      { person_id: 'P2', missed_events_90_days: 1 },
      { person_id: 'P3', missed_events_90_days: 1 },
      { person_id: 'P4', missed_events_90_days: 1 },
    ])
    await run()
    const [t1, t2, t3, t4] = await tasks()
    clock.advance(MINUTE)
    await decide(t1!.id, { status: 'ACCEPTED', checksConfirmed: true })
    await decide(t2!.id, {
      status: 'REJECTED',
      reasons: ['MEDICAL'],
      details: 'In hospital',
      checksConfirmed: true,
    })
    await decide(t3!.id, { status: 'ON_HOLD', note: 'Checking with the GP' })
    await decide(t4!.id, { status: 'ON_HOLD', note: null })
    // P1–P3 stop matching and their data changes; P4 still matches with a new priority.
    const changedAt = clock.advance(MINUTE)
    for (const id of ['P1', 'P2', 'P3']) {
      await changePerson(database.db, id, { missed_events_90_days: 0 }, changedAt)
    }
    await changePerson(
      database.db,
      'P4',
      { consecutive_missed: 5, next_reporting_date: '2026-04-01' },
      changedAt,
    )
    const decided = { tasks: await tasks(), events: await events() }

    const summary = await run()
    assert.deepEqual(await tasks(), decided.tasks)
    assert.deepEqual(await events(), decided.events)
    assert.deepEqual(summary.totals, { new: 0, unchanged: 1, withdrawn: 0, suppressed: 0 })
    assert.equal(summary.refreshed, 0, 'an on-hold task keeps its priority')
  })

  it('does not recommend again after a rejection until the person’s data changes', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await run()
    const first = await taskOf('P1', 'FAILED_TO_REPORT')
    clock.advance(MINUTE)
    const rejected = await decide(first.id, {
      status: 'REJECTED',
      reasons: ['DUPLICATE'],
      details: 'Already in hand',
      checksConfirmed: true,
    })
    assert.equal(rejected.kind, 'decided')

    const suppressed = await run()
    assert.deepEqual(suppressed.counts, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 0, unchanged: 0, withdrawn: 0, suppressed: 1 },
    ])
    assert.equal((await tasks()).length, 1)

    // An import that did not change the record leaves data_changed_at alone: still suppressed.
    assert.equal((await run()).totals.suppressed, 1)

    await changePerson(database.db, 'P1', { missed_events_90_days: 3 }, clock.advance(MINUTE))
    const again = await run()
    assert.deepEqual(again.totals, { new: 1, unchanged: 0, withdrawn: 0, suppressed: 0 })
    const second = await taskOf('P1', 'FAILED_TO_REPORT')
    assert.notEqual(second.id, first.id)
    assert.equal(second.status, 'RECOMMENDED')
    assert.equal((await taskOf('P1', 'FAILED_TO_REPORT')).id, second.id)
    const original = await database.db
      .selectFrom('tasks')
      .select('status')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow()
    assert.equal(original.status, 'REJECTED')
  })

  it('suppresses after an acceptance too, and counts a decision at the very instant of the change as after it', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await run()
    const task = await taskOf('P1', 'FAILED_TO_REPORT')
    const decidedAt = clock.advance(MINUTE)
    await decide(task.id, { status: 'ACCEPTED', checksConfirmed: true })
    await changePerson(database.db, 'P1', { missed_events_90_days: 2 }, decidedAt)
    assert.equal((await run()).totals.suppressed, 1)

    await changePerson(database.db, 'P1', { missed_events_90_days: 3 }, new Date(decidedAt.getTime() + 1))
    assert.equal((await run()).totals.new, 1)
  })

  it('judges suppression by the latest decision of that person and task type', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await run()
    const first = await taskOf('P1', 'FAILED_TO_REPORT')
    clock.advance(MINUTE)
    await decide(first.id, {
      status: 'REJECTED',
      reasons: ['OTHER'],
      details: 'Not now',
      checksConfirmed: true,
    })
    await changePerson(database.db, 'P1', { missed_events_90_days: 2 }, clock.advance(MINUTE))
    await run()
    const second = await taskOf('P1', 'FAILED_TO_REPORT')
    clock.advance(MINUTE)
    await decide(second.id, { status: 'ACCEPTED', checksConfirmed: true })
    const summary = await run()
    assert.equal(summary.totals.suppressed, 1)
    assert.equal((await tasks()).length, 2)
  })
})
