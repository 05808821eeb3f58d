import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { type RawBuilder, sql } from 'kysely'
import type { PinnedRuleMatch } from '../../src/rules/compile.ts'
import type { CompiledMatches } from '../../src/rules/compiled-matches.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { addCaseworker } from '../support/caseworker.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { publishForTest } from '../support/publication.ts'
import { standInRuns } from '../support/stand-in-runs.ts'
import { insertPersons, type ManualClock, manualClock, standInRuleSet } from '../support/tasks.ts'

/** Every index on tasks: its name, its definition and the catalogue object it is (a new one when built again). */
interface IndexRow {
  name: string
  definition: string
  oid: number
}

describe('a first rule run into an empty task table', () => {
  let database: TestDatabase
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
    await addCaseworker(database.db)
    await insertPersons(database.db, [
      { person_id: 'P1', missed_events_90_days: 2, consecutive_missed: 2, next_reporting_date: '2026-03-12' },
      { person_id: 'P2', self_harm_risk: true, rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' },
      { person_id: 'P3', missed_events_90_days: 1, self_harm_risk: true },
      { person_id: 'P4' },
    ])
  })
  after(() => database.close())

  const { run, tasks, events } = standInRuns(
    () => database.db,
    () => clock,
  )

  async function indexesOfTasks(): Promise<IndexRow[]> {
    const { rows } = await sql<IndexRow>`
      select c.relname as name, pg_get_indexdef(c.oid) as definition, c.oid::int as oid
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'tasks'::regclass
      order by c.relname`.execute(database.db)
    return rows
  }
  const definitions = (indexes: readonly IndexRow[]) =>
    indexes.map(({ name, definition }) => [name, definition])

  /** A run of hand-written matches, which fails in the way `matches` makes it. */
  async function runMatches(matches: RawBuilder<PinnedRuleMatch>) {
    const compiled: CompiledMatches = { version: 'broken-v1', matches }
    const ruleSet = { version: 'broken-v1', files: [{ name: 'broken.yaml', content: '# broken\n' }] }
    await publishForTest(database.db, ruleSet)
    return runCompiledRules(database.db, { ruleSet, compiled, clock, trigger: 'manual' })
  }

  it('writes every match with its event and builds the secondary indexes afresh, with the same definitions', async () => {
    const before = await indexesOfTasks()
    assert.ok(before.length >= 6, 'the migrations give tasks a primary key and secondary indexes')

    const summary = await run()

    const created = await tasks()
    assert.deepEqual(
      created.map((t) => [t.person_id, t.task_type, t.status, t.version, t.created_by_run]).sort(),
      [
        ['P1', 'FAILED_TO_REPORT', 'RECOMMENDED', 1, summary.runId],
        ['P2', 'SAFEGUARDING', 'RECOMMENDED', 1, summary.runId],
        ['P3', 'FAILED_TO_REPORT', 'RECOMMENDED', 1, summary.runId],
        ['P3', 'SAFEGUARDING', 'RECOMMENDED', 1, summary.runId],
      ],
    )
    assert.deepEqual(
      (await events()).map((e) => [e.task_id, e.task_version, e.status, e.run_id]),
      created.map((t) => [t.id, 1, 'RECOMMENDED', summary.runId]),
    )
    assert.deepEqual(summary.totals, { new: 4, unchanged: 0, withdrawn: 0, suppressed: 0 })

    const after = await indexesOfTasks()
    assert.deepEqual(definitions(after), definitions(before))
    const rebuilt = after.filter((index) => before.find((b) => b.name === index.name)?.oid !== index.oid)
    assert.deepEqual(
      rebuilt.map((index) => index.name),
      before.filter((index) => index.name !== 'tasks_pkey').map((index) => index.name),
      'every secondary index was built again after the load; the primary key was kept',
    )
  })

  it('keeps the indexes as they are when the task table already holds tasks', async () => {
    await run()
    const afterFirst = await indexesOfTasks()
    const second = await run()
    assert.equal(second.scope, 'full')
    assert.deepEqual(await indexesOfTasks(), afterFirst)
  })

  it('loads again when every task is gone, the table emptied by hand', async () => {
    await run()
    await sql`truncate task_events, tasks cascade`.execute(database.db)
    const before = await indexesOfTasks()
    const summary = await run()
    assert.equal(summary.totals.new, 4)
    const after = await indexesOfTasks()
    assert.deepEqual(definitions(after), definitions(before))
    assert.notDeepEqual(
      after.map((index) => index.oid),
      before.map((index) => index.oid),
    )
  })

  it('leaves every index in place and writes nothing when the load fails', async () => {
    const before = await indexesOfTasks()
    // A task's priority may not be null: the insert fails after the indexes were dropped.
    await assert.rejects(
      runMatches(sql<PinnedRuleMatch>`
        select 'SAFEGUARDING'::text as task_type, p.person_id, p.rom_region, p.next_reporting_date as reporting_date,
          case when p.person_id = 'P4' then null else 50 end as priority, f.facts_version::text as facts_version
        from persons p join person_facts f using (person_id)`),
      /null value in column "priority"/,
    )
    assert.deepEqual(await indexesOfTasks(), before)
    assert.deepEqual(await tasks(), [])
    assert.deepEqual(await events(), [])
    const failed = await database.db.selectFrom('rule_runs').select('status').execute()
    assert.deepEqual(failed, [{ status: 'FAILED' }])
  })

  it('leaves every index in place when building one again fails', async () => {
    const before = await indexesOfTasks()
    // Two open tasks of one type for one person: loaded, then refused by the unique index tasks_one_open as it is built.
    await assert.rejects(
      runMatches(sql<PinnedRuleMatch>`
        select 'SAFEGUARDING'::text as task_type, p.person_id, p.rom_region, p.next_reporting_date as reporting_date,
          50 as priority, f.facts_version::text as facts_version
        from persons p join person_facts f using (person_id), (values (1), (2)) twice (n)`),
      /tasks_one_open/,
    )
    assert.deepEqual(await indexesOfTasks(), before)
    assert.deepEqual(await tasks(), [])
    assert.deepEqual(await events(), [])
  })

  it('gives the same tasks as a run that reconciles into a table with tasks in it', async () => {
    // The second database state: one task decided and gone, so the table is not empty and every match is classified.
    const loaded = await run()
    const { ruleSet, compiled } = standInRuleSet('stand-in-v2')
    await publishForTest(database.db, ruleSet)
    const reconciled = await runCompiledRules(database.db, {
      ruleSet,
      compiled,
      clock,
      trigger: 'manual',
      full: true,
    })
    assert.deepEqual(reconciled.totals, { new: 0, unchanged: 4, withdrawn: 0, suppressed: 0 })
    assert.deepEqual(
      reconciled.counts.map((c) => [c.taskType, c.romRegion, c.unchanged]),
      loaded.counts.map((c) => [c.taskType, c.romRegion, c.new]),
    )
  })
})
