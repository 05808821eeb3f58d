/**
 * A rule run and caseworkers deciding at the same moment: no decision may be
 * lost or overwritten. On PostgreSQL the run and the decisions really do run
 * at once on separate connections; on PGlite (one connection) they
 * interleave transaction by transaction. The checks below hold either way.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { type Decision, type DecisionResult, decideTask } from '../../src/tasks/decisions.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import {
  changePerson,
  insertPersons,
  type ManualClock,
  manualClock,
  standInRuleSet,
} from '../support/tasks.ts'

const PERSONS = 120

interface Attempt {
  readonly taskId: number
  readonly userId: string
  readonly decision: Decision
  readonly result: DecisionResult
}

/** A fixed shuffle, so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

const DECISIONS: readonly Decision[] = [
  { status: 'ACCEPTED', checksConfirmed: true },
  { status: 'REJECTED', reasons: ['CIRCUMSTANCES_CHANGED'], details: 'Moved address', checksConfirmed: true },
  { status: 'ON_HOLD', note: 'Checking with the owning team' },
]

describe('a rule run racing caseworkers’ decisions', () => {
  let database: TestDatabase
  let clock: ManualClock
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
        { id: 'cw2', name: 'Sam Other', roles: ['CASEWORKER'], regions: ['LSE'], password_hash: null },
      ])
      .execute()
  })
  after(() => database.close())

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`records or refuses every decision, never losing or overwriting one (round ${seed})`, async () => {
      await insertPersons(
        database.db,
        Array.from({ length: PERSONS }, (_, i) => ({ person_id: `P${i}`, missed_events_90_days: 1 })),
      )
      const { ruleSet, compiled } = standInRuleSet()
      await publishForTest(database.db, ruleSet)
      await runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual' })
      const tasks = await database.db.selectFrom('tasks').select(['id', 'person_id']).orderBy('id').execute()
      assert.equal(tasks.length, PERSONS)

      // Half the persons stop matching: the next run wants to withdraw their tasks.
      const leaving = new Set(tasks.filter((_, i) => i % 2 === 0).map((t) => t.id))
      const changedAt = clock.advance(60_000)
      for (const task of tasks.filter((t) => leaving.has(t.id))) {
        await changePerson(database.db, task.person_id, { missed_events_90_days: 0 }, changedAt)
      }
      clock.advance(60_000)

      // Two caseworkers each decide every task, both having opened it at version 1.
      const requests = shuffled(
        tasks.flatMap((task, i) =>
          ['cw1', 'cw2'].map((userId, u) => ({
            taskId: task.id,
            userId,
            decision: DECISIONS[(i + u) % DECISIONS.length] as Decision,
          })),
        ),
        seed,
      )
      const attempts: Promise<Attempt>[] = []
      const run = runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual' })
      for (const [n, request] of requests.entries()) {
        // Spread the decisions out so some land before, during and after the run.
        if (n % 8 === 0) await new Promise((resolve) => setImmediate(resolve))
        attempts.push(
          decideTask(database.db, {
            taskId: request.taskId,
            expectedVersion: 1,
            decision: request.decision,
            user: { id: request.userId, regions: { all: false, codes: ['LSE'] } },
            clock,
          }).then((result) => ({ ...request, result })),
        )
      }
      const [summary, results] = await Promise.all([run, Promise.all(attempts)])

      const finalTasks = new Map(
        (await database.db.selectFrom('tasks').selectAll().execute()).map((task) => [task.id, task]),
      )
      const events = await database.db.selectFrom('task_events').selectAll().orderBy('id').execute()
      const historyOf = (taskId: number) => events.filter((e) => e.task_id === taskId)

      // Every decision came back decided or stale: nothing else, nothing thrown.
      for (const attempt of results) {
        assert.ok(attempt.result.kind === 'decided' || attempt.result.kind === 'stale', attempt.result.kind)
      }

      // Every decision reported as made is in the history, exactly as made, and was never withdrawn.
      for (const attempt of results) {
        const { result } = attempt
        if (result.kind !== 'decided') continue
        const task = finalTasks.get(attempt.taskId)!
        const event = historyOf(attempt.taskId).find((e) => e.task_version === result.task.version)
        assert.equal(event?.status, attempt.decision.status)
        assert.equal(event?.user_id, attempt.userId)
        assert.equal(task.status, attempt.decision.status, `task ${attempt.taskId} was overwritten`)
        assert.equal(task.status_changed_by, attempt.userId)
      }

      // Every refused decision was refused because someone else got there first.
      for (const attempt of results) {
        if (attempt.result.kind !== 'stale') continue
        assert.ok(attempt.result.current.version > 1)
        assert.notEqual(attempt.result.current.status, 'RECOMMENDED')
      }

      for (const task of finalTasks.values()) {
        const history = historyOf(task.id)
        const decided = results.filter((a) => a.taskId === task.id && a.result.kind === 'decided')
        // One writer per version: the history is 1, 2, … with no gaps, and the task shows its last entry.
        assert.deepEqual(
          history.map((e) => e.task_version),
          history.map((_, i) => i + 1),
        )
        assert.equal(task.version, history.length)
        assert.equal(task.status, history.at(-1)?.status)
        // Both caseworkers saw version 1, so at most one of them can have won; the other was told so.
        assert.ok(decided.length <= 1)
        assert.equal(history.length, 2)
        if (leaving.has(task.id)) {
          // The run and a decision raced: exactly one of them won.
          assert.equal(task.status === 'WITHDRAWN', decided.length === 0)
          if (task.status === 'WITHDRAWN') assert.equal(history[1]?.run_id, summary.runId)
        } else {
          assert.equal(decided.length, 1)
          assert.notEqual(task.status, 'WITHDRAWN')
        }
      }
      const withdrawn = [...finalTasks.values()].filter((t) => t.status === 'WITHDRAWN').length
      assert.equal(summary.totals.withdrawn, withdrawn)
      assert.equal(summary.totals.new, 0)
    })
  }
})
