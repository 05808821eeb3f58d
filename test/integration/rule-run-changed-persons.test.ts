/**
 * How an incremental run finds the persons written since the last run
 * (src/tasks/run-scope.ts): by a range of the index on rules_changed,
 * starting at the last run's snapshot's xmin, and then the exact visibility
 * test. The range must never leave out a person the snapshot does not see,
 * the writer that was still running when the snapshot was taken included.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'
import { changedPersonsQuery, openTasksOfListed, SCOPE_TABLE } from '../../src/tasks/run-scope.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { runStandInRules } from '../support/publication.ts'
import { changePerson, insertPersons, type ManualClock, manualClock } from '../support/tasks.ts'

const MINUTE = 60_000

/** The snapshot of the last completed run, and its xmin, as the next run reads them. */
async function lastSnapshot(db: Kysely<Tables>): Promise<{ since: string; xmin: string }> {
  const { rows } = await sql<{ since: string; xmin: string }>`
    select snapshot::text as since, pg_snapshot_xmin(snapshot)::text as xmin
    from rule_runs where status = 'COMPLETED' order by id desc limit 1`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('no completed run')
  return row
}

describe('the persons an incremental run evaluates', () => {
  let database: TestDatabase
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
  })
  after(() => database.close())

  const run = () => runStandInRules(database.db, clock)

  it('are those written since the last run, read by a range of the index on rules_changed', async () => {
    const persons = Array.from({ length: 2000 }, (_, i) => ({
      person_id: `P${String(i).padStart(5, '0')}`,
      missed_events_90_days: i % 7 === 0 ? 1 : 0,
    }))
    await insertPersons(database.db, persons)
    await sql`analyze persons`.execute(database.db)
    const first = await run()
    assert.equal(first.scope, 'full')

    // A snapshot taken now with no other transaction running: the last run's,
    // on a quiet server. (On a shared one another session's transaction may
    // hold the run's xmin back, widening the range: still right, not as narrow.)
    const { rows } = await sql<{ xmax: string }>`
      select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(database.db)
    const xmin = rows[0]?.xmax ?? ''
    const since = `${xmin}:${xmin}:`
    for (const personId of ['P00001', 'P00700', 'P01999']) {
      await changePerson(database.db, personId, { missed_events_90_days: 3 }, clock.advance(MINUTE))
    }
    const listed = await sql<{ person_id: string }>`${changedPersonsQuery(since, xmin)}`.execute(database.db)
    assert.deepEqual(listed.rows.map((row) => row.person_id).sort(), ['P00001', 'P00700', 'P01999'])
    const plan = await sql<{ 'QUERY PLAN': string }>`explain ${changedPersonsQuery(since, xmin)}`.execute(
      database.db,
    )
    const lines = plan.rows.map((row) => row['QUERY PLAN']).join('\n')
    assert.match(lines, /persons_changed_since/, `not read through the index:\n${lines}`)
    assert.doesNotMatch(lines, /Seq Scan on persons/)

    const next = await run()
    assert.equal(next.scope, 'incremental')
    assert.equal(next.personsEvaluated, 3)
    assert.equal(next.totals.new, 2, 'P00001 and P01999 match now; P00700 matched already')
  })

  it('include a writer that was still running when the last run took its snapshot', {
    skip: testDatabaseUrl() ? false : 'needs two connections: PostgreSQL only',
  }, async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 0 }])
    await run()

    // An import's batch has written P1 and not committed when the next run takes its snapshot.
    let commit: () => void = () => {}
    const committed = new Promise<void>((resolve) => {
      commit = resolve
    })
    let written: (xid: string) => void = () => {}
    const writing = new Promise<string>((resolve) => {
      written = resolve
    })
    const batch = database.db.transaction().execute(async (trx) => {
      await changePerson(trx, 'P1', { missed_events_90_days: 2 }, clock.advance(MINUTE))
      const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx)
      written(rows[0]?.xid ?? '')
      await committed
    })
    const writer = await writing
    const during = await run()
    assert.equal(during.totals.new, 0, 'the change was not committed yet')
    commit()
    await batch

    // The writer was running at the snapshot: not visible in it, at or above its xmin.
    const { since, xmin } = await lastSnapshot(database.db)
    const { rows } = await sql<{ running: boolean; inRange: boolean }>`
      select ${writer}::xid8 in (select pg_snapshot_xip(${since}::pg_snapshot)) as running,
        ${writer}::xid8 >= ${xmin}::xid8 as "inRange"`.execute(database.db)
    assert.deepEqual(rows[0], { running: true, inRange: true })

    const next = await run()
    assert.equal(next.scope, 'incremental')
    assert.equal(next.personsEvaluated, 1)
    assert.equal(next.totals.new, 1)
  })

  it("find the listed persons' open tasks by lookup up to the limit and in one pass above it, alike", async () => {
    const persons = Array.from({ length: 300 }, (_, i) => ({
      person_id: `P${String(i).padStart(4, '0')}`,
      missed_events_90_days: i % 3 === 0 ? 2 : 0,
    }))
    await insertPersons(database.db, persons)
    await run()
    const listedIds = persons.filter((_, i) => i % 2 === 0).map((person) => person.person_id)
    const byWay = await database.db.transaction().execute(async (trx) => {
      await sql`create temp table ${sql.table(SCOPE_TABLE)} on commit drop as
        select person_id, present from persons where person_id = any(${listedIds})`.execute(trx)
      const read = async (lookupLimit: number) => {
        const { rows } = await sql<{ id: number; person_id: string }>`
          ${openTasksOfListed(listedIds.length, lookupLimit)} order by 1`.execute(trx)
        return rows
      }
      return { lookup: await read(listedIds.length), pass: await read(listedIds.length - 1) }
    })
    // Every sixth person: listed (even) and matched (a multiple of three).
    assert.equal(byWay.lookup.length, 50)
    assert.ok(byWay.lookup.every((task) => listedIds.includes(task.person_id)))
    assert.deepEqual(byWay.pass, byWay.lookup)
  })
})
