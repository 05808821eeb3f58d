import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { type Decision, type DecisionProblemCode, decideTask } from '../../src/tasks/decisions.ts'
import type { TaskChange } from '../../src/tasks/task-changes.ts'
import { runStandInRules } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { changePerson, insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'

const MINUTE = 60_000
const LSE_CASEWORKER = { id: 'cw1', regions: { all: false as const, codes: ['LSE'] } }
const OTHER_LSE_CASEWORKER = { id: 'cw2', regions: { all: false as const, codes: ['LSE', 'MEE'] } }
const MEE_CASEWORKER = { id: 'cw3', regions: { all: false as const, codes: ['MEE'] } }
const NATIONAL_LEAD = { id: 'lead', regions: { all: true as const } }

const ACCEPT: Decision = { status: 'ACCEPTED', checksConfirmed: true }
const REJECT: Decision = {
  status: 'REJECTED',
  reasons: ['MEDICAL', 'FAMILY_CHILD'],
  details: '  Admitted to hospital last week.  ',
  checksConfirmed: true,
}

describe('decisions on tasks', () => {
  let database: TestDatabase
  let clock: ManualClock
  let taskId: number
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
    await database.db
      .insertInto('users')
      .values([
        { id: 'cw1', name: 'Casey Worker', roles: ['CASEWORKER'], regions: ['LSE'], password_hash: null },
        { id: 'cw2', name: 'Sam Other', roles: ['CASEWORKER'], regions: ['LSE', 'MEE'], password_hash: null },
        { id: 'cw3', name: 'Mo East', roles: ['CASEWORKER'], regions: ['MEE'], password_hash: null },
        { id: 'lead', name: 'Lee Ead', roles: ['MI_ANALYST'], all_regions: true, password_hash: null },
      ])
      .execute()
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    await runRules()
    taskId = (await database.db.selectFrom('tasks').select('id').executeTakeFirstOrThrow()).id
    clock.advance(MINUTE)
  })
  after(() => database.close())

  const runRules = () => runStandInRules(database.db, clock)

  function decide(
    decision: Decision,
    expectedVersion = 1,
    user: typeof LSE_CASEWORKER | typeof NATIONAL_LEAD = LSE_CASEWORKER,
  ) {
    return decideTask(database.db, { taskId, expectedVersion, decision, user, clock })
  }

  async function task() {
    return database.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow()
  }

  async function history() {
    return database.db
      .selectFrom('task_events')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute()
  }

  it('accepts a task: status, version and who, with an event recording the confirmed checks', async () => {
    const result = await decide(ACCEPT)
    assert.equal(result.kind, 'decided')
    assert.equal(result.kind === 'decided' && result.task.status, 'ACCEPTED')
    assert.equal(result.kind === 'decided' && result.task.version, 2)
    const stored = await task()
    assert.equal(stored.status, 'ACCEPTED')
    assert.equal(stored.version, 2)
    assert.equal(stored.status_changed_by, 'cw1')
    assert.deepEqual(new Date(stored.status_changed_at), clock.now())
    const events = await history()
    assert.equal(events.length, 2)
    // The event's own ID and the transaction that wrote it (for the decision events' order) vary by run.
    const decisionEvent = Object.fromEntries(
      Object.entries(events[1] ?? {}).filter(([column]) => column !== 'id' && column !== 'xid'),
    )
    assert.deepEqual(decisionEvent, {
      task_id: taskId,
      task_version: 2,
      status: 'ACCEPTED',
      occurred_at: clock.now(),
      user_id: 'cw1',
      run_id: null,
      rule_set_version: null,
      reasons: null,
      details: null,
      note: null,
      checks_confirmed: true,
    })
  })

  it("tells its listener the task's region once a decision is made, and only then", async () => {
    const changes: TaskChange[] = []
    const decideTelling = (expectedVersion: number) =>
      decideTask(database.db, {
        taskId,
        expectedVersion,
        decision: ACCEPT,
        user: LSE_CASEWORKER,
        clock,
        onTaskChanged: (change) => changes.push(change),
      })
    assert.equal((await decideTelling(99)).kind, 'stale')
    assert.deepEqual(changes, [], 'a refused decision changes nothing')
    assert.equal((await decideTelling(1)).kind, 'decided')
    assert.deepEqual(changes, [{ romRegion: 'LSE' }])
  })

  it('rejects a task with its reasons and explanation', async () => {
    const result = await decide(REJECT)
    assert.equal(result.kind, 'decided')
    assert.equal((await task()).status, 'REJECTED')
    const event = (await history())[1]
    assert.equal(event?.status, 'REJECTED')
    assert.deepEqual(event?.reasons, ['MEDICAL', 'FAMILY_CHILD'])
    assert.equal(event?.details, 'Admitted to hospital last week.')
    assert.equal(event?.checks_confirmed, true)
  })

  it('places a task on hold with a note, then lets the decision change, one event per change', async () => {
    assert.equal((await decide({ status: 'ON_HOLD', note: 'Waiting for the GP letter' })).kind, 'decided')
    clock.advance(MINUTE)
    assert.equal((await decide(ACCEPT, 2)).kind, 'decided')
    clock.advance(MINUTE)
    assert.equal((await decide(REJECT, 3, NATIONAL_LEAD)).kind, 'decided')
    const stored = await task()
    assert.equal(stored.status, 'REJECTED')
    assert.equal(stored.version, 4)
    assert.equal(stored.status_changed_by, 'lead')
    assert.deepEqual(
      (await history()).map((e) => [e.task_version, e.status, e.user_id, e.note]),
      [
        [1, 'RECOMMENDED', null, null],
        [2, 'ON_HOLD', 'cw1', 'Waiting for the GP letter'],
        [3, 'ACCEPTED', 'cw1', null],
        [4, 'REJECTED', 'lead', null],
      ],
    )
  })

  it('refuses a stale decision, saying who changed the task and when, and overwrites nothing', async () => {
    const decidedAt = clock.now()
    assert.equal(
      (
        await decideTask(database.db, {
          taskId,
          expectedVersion: 1,
          decision: REJECT,
          user: OTHER_LSE_CASEWORKER,
          clock,
        })
      ).kind,
      'decided',
    )
    clock.advance(MINUTE)
    const result = await decide(ACCEPT, 1)
    assert.equal(result.kind, 'stale')
    if (result.kind !== 'stale') return
    assert.deepEqual(result.current, {
      status: 'REJECTED',
      version: 2,
      changedBy: 'cw2',
      changedByName: 'Sam Other',
      changedAt: decidedAt,
    })
    const stored = await task()
    assert.equal(stored.status, 'REJECTED')
    assert.equal(stored.status_changed_by, 'cw2')
    assert.equal((await history()).length, 2)
  })

  it('hides a task in another region as if it did not exist', async () => {
    const result = await decideTask(database.db, {
      taskId,
      expectedVersion: 1,
      decision: ACCEPT,
      user: MEE_CASEWORKER,
      clock,
    })
    assert.deepEqual(result, { kind: 'not-found' })
    const none = await decideTask(database.db, {
      taskId,
      expectedVersion: 1,
      decision: ACCEPT,
      user: { id: 'cw3', regions: { all: false, codes: [] } },
      clock,
    })
    assert.deepEqual(none, { kind: 'not-found' })
    assert.deepEqual(
      await decideTask(database.db, {
        taskId: taskId + 1000,
        expectedVersion: 1,
        decision: ACCEPT,
        user: LSE_CASEWORKER,
        clock,
      }),
      { kind: 'not-found' },
    )
    assert.equal((await task()).status, 'RECOMMENDED')
    assert.equal((await history()).length, 1)
  })

  it('refuses to decide a withdrawn task', async () => {
    await changePerson(database.db, 'P1', { missed_events_90_days: 0 }, clock.advance(MINUTE))
    await runRules()
    const withdrawnAt = clock.now()
    // The caseworker opened the task before the withdrawal (version 1) …
    const stale = await decide(ACCEPT, 1)
    assert.equal(stale.kind, 'stale')
    if (stale.kind === 'stale') {
      assert.equal(stale.current.status, 'WITHDRAWN')
      assert.equal(stale.current.changedBy, null)
      assert.deepEqual(stale.current.changedAt, withdrawnAt)
    }
    // … or even after it (version 2): a withdrawn task cannot be decided at all.
    const late = await decide(ACCEPT, 2)
    assert.equal(late.kind, 'stale')
    assert.equal((await task()).status, 'WITHDRAWN')
    assert.equal((await history()).length, 2)
  })

  it('refuses an invalid decision with a problem for each field, changing nothing', async () => {
    const cases: [Decision, [string, DecisionProblemCode][]][] = [
      [
        { status: 'REJECTED', reasons: [], details: 'x', checksConfirmed: true },
        [['reasons', 'reasonsMissing']],
      ],
      [
        { status: 'REJECTED', reasons: ['NOT_A_REASON'], details: 'x', checksConfirmed: true },
        [['reasons', 'reasonsUnknown']],
      ],
      [
        { status: 'REJECTED', reasons: ['MEDICAL'], details: '   ', checksConfirmed: true },
        [['details', 'detailsMissing']],
      ],
      [
        { status: 'REJECTED', reasons: ['MEDICAL'], details: 'x'.repeat(1001), checksConfirmed: true },
        [['details', 'tooLong']],
      ],
      [
        { status: 'REJECTED', reasons: ['MEDICAL'], details: 'x', checksConfirmed: false } as never,
        [['checksConfirmed', 'checksNotConfirmed']],
      ],
      [{ status: 'ACCEPTED' } as never, [['checksConfirmed', 'checksNotConfirmed']]],
      [{ status: 'ON_HOLD', note: 'x'.repeat(1001) }, [['note', 'tooLong']]],
      [{ status: 'ON_HOLD', note: 7 } as never, [['note', 'noteNotText']]],
      [{ status: 'WITHDRAWN' } as never, [['decision', 'decisionMissing']]],
      [{ status: 'RECOMMENDED' } as never, [['decision', 'decisionMissing']]],
    ]
    for (const [decision, expected] of cases) {
      const result = await decide(decision)
      assert.equal(result.kind, 'invalid', JSON.stringify(decision))
      if (result.kind === 'invalid') {
        assert.deepEqual(
          result.problems.map((p) => [p.field, p.code]),
          expected,
          JSON.stringify(decision),
        )
      }
    }
    const unknownReason = await decide({
      status: 'REJECTED',
      reasons: ['MEDICAL', 'NOT_A_REASON'],
      details: 'x',
      checksConfirmed: true,
    })
    assert.deepEqual(unknownReason.kind === 'invalid' && unknownReason.problems, [
      { field: 'reasons', code: 'reasonsUnknown', params: { unknown: ['NOT_A_REASON'] } },
    ])
    const invalidVersion = await decide(ACCEPT, 0)
    assert.deepEqual(invalidVersion.kind === 'invalid' && invalidVersion.problems, [
      { field: 'version', code: 'versionMissing' },
    ])
    assert.equal((await task()).status, 'RECOMMENDED')
    assert.equal((await history()).length, 1)
  })

  it('accepts exactly 1000 characters of explanation, and a retired reason no longer', async () => {
    const retire = (active: boolean) =>
      database.db.updateTable('rejection_reasons').set({ active }).where('code', '=', 'MEDICAL').execute()
    await retire(false)
    try {
      const retired = await decide({
        status: 'REJECTED',
        reasons: ['MEDICAL'],
        details: 'x',
        checksConfirmed: true,
      })
      assert.equal(retired.kind, 'invalid')
    } finally {
      await retire(true)
    }
    const result = await decide({
      status: 'REJECTED',
      reasons: ['OTHER'],
      details: 'x'.repeat(1000),
      checksConfirmed: true,
    })
    assert.equal(result.kind, 'decided')
  })

  it('refuses to reopen a decided task while another task of its type is open for the person', async () => {
    assert.equal((await decide(ACCEPT)).kind, 'decided')
    await changePerson(database.db, 'P1', { missed_events_90_days: 2 }, clock.advance(MINUTE))
    await runRules()
    const result = await decide({ status: 'ON_HOLD', note: null }, 2)
    assert.equal(result.kind, 'invalid')
    assert.deepEqual(result.kind === 'invalid' && result.problems, [
      { field: 'decision', code: 'openTaskExists' },
    ])
    assert.equal((await task()).status, 'ACCEPTED')
  })

  it('keeps the event log append-only', async () => {
    await decide(ACCEPT)
    await assert.rejects(
      sql`update task_events set status = 'REJECTED' where task_id = ${taskId}`.execute(database.db),
      /append-only/,
    )
    await assert.rejects(
      sql`delete from task_events where task_id = ${taskId}`.execute(database.db),
      /append-only/,
    )
    assert.deepEqual(
      (await history()).map((e) => e.status),
      ['RECOMMENDED', 'ACCEPTED'],
    )
  })
})
