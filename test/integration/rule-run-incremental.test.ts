import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { type RunSummary, runCompiledRules } from '../../src/tasks/rule-run.ts'
import { addCaseworker, CASEWORKER } from '../support/caseworker.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import {
  changePerson,
  insertPersons,
  type ManualClock,
  manualClock,
  type PersonFixture,
  standInRuleSet,
} from '../support/tasks.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** Everything a run decides about tasks, without the IDs, which depend on the order rows were written in. */
async function outcome(db: Kysely<Tables>) {
  const tasks = await sql<Record<string, unknown>>`
    select person_id, task_type, rom_region, status, version, priority::text, reporting_date::text,
      explanation::text, created_at, status_changed_at, status_changed_by
    from tasks order by person_id, task_type, created_at, rom_region`.execute(db)
  const events = await sql<Record<string, unknown>>`
    select t.person_id, t.task_type, t.rom_region, e.task_version, e.status, e.occurred_at, e.user_id
    from task_events e join tasks t on t.id = e.task_id
    order by t.person_id, t.task_type, t.created_at, t.rom_region, e.task_version`.execute(db)
  return { tasks: tasks.rows, events: events.rows }
}

describe('incremental rule run', () => {
  // The same story told to two databases: one whose runs carry on from the
  // last run where they may, one whose runs always evaluate everyone.
  let incremental: TestDatabase
  let full: TestDatabase
  let clock: ManualClock
  before(async () => {
    incremental = await openTestDatabase()
    full = await openTestDatabase()
  })
  beforeEach(async () => {
    clock = manualClock()
    for (const database of [incremental, full]) {
      await database.reset()
      await addCaseworker(database.db)
    }
  })
  after(async () => {
    await incremental.close()
    await full.close()
  })

  async function runBoth(version = 'stand-in-v1'): Promise<{ incremental: RunSummary; full: RunSummary }> {
    const { ruleSet, compiled } = standInRuleSet(version)
    clock.advance(MINUTE)
    await publishForTest(incremental.db, ruleSet)
    await publishForTest(full.db, ruleSet)
    const results = {
      incremental: await runCompiledRules(incremental.db, { ruleSet, compiled, clock, trigger: 'manual' }),
      full: await runCompiledRules(full.db, { ruleSet, compiled, clock, trigger: 'manual', full: true }),
    }
    assert.deepEqual(await outcome(incremental.db), await outcome(full.db), 'the same tasks and events')
    return results
  }

  /** Does the same to both databases (at the same time on the clock: move it before, not within). */
  async function both(step: (db: Kysely<Tables>) => Promise<unknown>): Promise<void> {
    await step(incremental.db)
    await step(full.db)
  }

  async function decide(
    db: Kysely<Tables>,
    personId: string,
    taskType: string,
    decision: Parameters<typeof decideTask>[1]['decision'],
  ) {
    const task = await db
      .selectFrom('tasks')
      .selectAll()
      .where('person_id', '=', personId)
      .where('task_type', '=', taskType)
      .where('status', 'in', ['RECOMMENDED', 'ON_HOLD', 'ACCEPTED', 'REJECTED'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const result = await decideTask(db, {
      taskId: task.id,
      expectedVersion: task.version,
      decision,
      user: CASEWORKER,
      clock,
    })
    assert.equal(result.kind, 'decided')
  }

  const REJECT = {
    status: 'REJECTED',
    reasons: ['OTHER'],
    details: 'Not now',
    checksConfirmed: true,
  } as const

  it('leaves the tasks exactly as full runs do, evaluating only the persons changed since the last run', async () => {
    const persons: PersonFixture[] = [
      { person_id: 'STOPS', missed_events_90_days: 1 },
      { person_id: 'STARTS', missed_events_90_days: 0 },
      { person_id: 'MOVES', missed_events_90_days: 1, self_harm_risk: true },
      { person_id: 'LEAVES', missed_events_90_days: 1 },
      { person_id: 'RETURNS', missed_events_90_days: 1, present: false },
      { person_id: 'REJECTED', missed_events_90_days: 1 },
      { person_id: 'REPRIORITISED', missed_events_90_days: 1, consecutive_missed: 1 },
      { person_id: 'QUIET', missed_events_90_days: 2, self_harm_risk: true },
    ]
    await both((db) => insertPersons(db, persons))
    const first = await runBoth()
    assert.equal(first.incremental.scope, 'full')
    assert.match(first.incremental.scopeReason, /no run has completed/)

    // Nothing changed: nobody to evaluate, nothing done.
    const idle = await runBoth()
    assert.equal(idle.incremental.scope, 'incremental')
    assert.equal(idle.incremental.personsEvaluated, 0)
    assert.equal(idle.full.scope, 'full')

    // Decisions alone change no one's data.
    clock.advance(MINUTE)
    await both(async (db) => {
      await decide(db, 'REJECTED', 'FAILED_TO_REPORT', REJECT)
      await decide(db, 'MOVES', 'SAFEGUARDING', { status: 'ON_HOLD', note: null })
      await decide(db, 'QUIET', 'SAFEGUARDING', { status: 'ACCEPTED', checksConfirmed: true })
    })
    const afterDecisions = await runBoth()
    assert.equal(afterDecisions.incremental.personsEvaluated, 0)

    // An import's worth of changes: data, region and presence.
    const changedAt = clock.advance(MINUTE)
    await both(async (db) => {
      await changePerson(db, 'STOPS', { missed_events_90_days: 0 }, changedAt)
      await changePerson(db, 'STARTS', { missed_events_90_days: 3 }, changedAt)
      await changePerson(db, 'MOVES', { rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' }, changedAt)
      await changePerson(db, 'REPRIORITISED', { consecutive_missed: 4 }, changedAt)
      // Presence changes without a change of data, as a full extract makes them.
      await db.updateTable('persons').set({ present: false }).where('person_id', '=', 'LEAVES').execute()
      await db.updateTable('persons').set({ present: true }).where('person_id', '=', 'RETURNS').execute()
    })
    const changed = await runBoth()
    assert.equal(changed.incremental.scope, 'incremental')
    assert.equal(changed.incremental.personsEvaluated, 5, 'the four changed and the one returning')
    assert.equal(changed.incremental.totals.new, 3, 'STARTS, RETURNS, and MOVES in its new region')
    assert.equal(changed.incremental.totals.withdrawn, 3, 'STOPS, LEAVES, and MOVES in its old region')
    assert.equal(changed.incremental.refreshed, 1)

    // The rejected person's data changes: recommended again.
    const changedAgainAt = clock.advance(MINUTE)
    await both((db) => changePerson(db, 'REJECTED', { consecutive_missed: 2 }, changedAgainAt))
    const again = await runBoth()
    assert.equal(again.incremental.personsEvaluated, 1)
    assert.equal(again.incremental.totals.new, 1)
  })

  it('evaluates everyone when the rule set or the day is not that of the last run', async () => {
    await both((db) =>
      insertPersons(db, [
        { person_id: 'P1', missed_events_90_days: 1 },
        { person_id: 'P2', missed_events_90_days: 2 },
      ]),
    )
    await runBoth()
    const otherVersion = await runBoth('stand-in-v2')
    assert.equal(otherVersion.incremental.scope, 'full')
    assert.match(
      otherVersion.incremental.scopeReason,
      /rule set is not that of run \d+ \(stand-in-v1 then, stand-in-v2 now\)/,
    )
    assert.equal(otherVersion.incremental.personsEvaluated, 2)

    clock.advance(DAY)
    const nextDay = await runBoth('stand-in-v2')
    assert.equal(nextDay.incremental.scope, 'full')
    assert.match(
      nextDay.incremental.scopeReason,
      /a new day since run \d+ \(2026-03-02 then, 2026-03-03 now\)/,
    )

    const sameDay = await runBoth('stand-in-v2')
    assert.equal(sameDay.incremental.scope, 'incremental')
    const recorded = await incremental.db
      .selectFrom('rule_runs')
      .select(['scope', 'scope_reason', 'evaluated_on'])
      .orderBy('id')
      .execute()
    assert.deepEqual(
      recorded.map((r) => r.scope),
      ['full', 'full', 'full', 'incremental'],
    )
    assert.ok(recorded.every((r) => r.scope_reason !== null))
  })

  it('does not miss a person whose change commits after the run took its snapshot', {
    skip: testDatabaseUrl() ? false : 'needs two connections: PostgreSQL only',
  }, async () => {
    await insertPersons(incremental.db, [{ person_id: 'P1', missed_events_90_days: 0 }])
    const { ruleSet, compiled } = standInRuleSet()
    await publishForTest(incremental.db, ruleSet)
    await runCompiledRules(incremental.db, { ruleSet, compiled, clock, trigger: 'manual' })

    // An import's batch is writing while the next run works.
    let commit: () => void = () => {}
    const committed = new Promise<void>((resolve) => {
      commit = resolve
    })
    let written: () => void = () => {}
    const writing = new Promise<void>((resolve) => {
      written = resolve
    })
    const batch = incremental.db.transaction().execute(async (trx) => {
      await changePerson(trx, 'P1', { missed_events_90_days: 2 }, clock.advance(MINUTE))
      written()
      await committed
    })
    await writing
    const during = await runCompiledRules(incremental.db, { ruleSet, compiled, clock, trigger: 'manual' })
    assert.equal(during.totals.new, 0, 'the change was not committed yet')
    commit()
    await batch

    const next = await runCompiledRules(incremental.db, { ruleSet, compiled, clock, trigger: 'manual' })
    assert.equal(next.scope, 'incremental')
    assert.equal(next.totals.new, 1)
  })
})
