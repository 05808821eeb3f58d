/**
 * The history of person facts (docs/decisions/0026-explanations-on-demand.md):
 * the importer appends a version only when what an explanation reads
 * changes, in the batch's transaction; absence and return keep the version;
 * `ipic rules facts --rebuild` appends where a row changes and keeps the
 * version of a row that was right; migration 0027 versions every current
 * row and points a task made before at its person's version only where its
 * stored explanation agrees. On the suite's engine.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { openDatabase } from '../../src/db/connect.ts'
import { migrations } from '../../src/db/migrate.ts'
import { HISTORY_COLUMNS, rebuildAllFacts } from '../../src/db/person-facts.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { findTaskView } from '../../src/review/task-view.ts'
import { ruleTaskTypes } from '../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import { explanationForTask, isUnavailable } from '../../src/rules/stored-explanation.ts'
import { runRules } from '../../src/tasks/rule-run.ts'
import { REFERENCE_DIR, RULES_DIR, testDatabaseUrl } from '../support/database.ts'
import { importTestHarness, record } from '../support/import-harness.ts'
import { publishForTest } from '../support/publication.ts'
import { manualClock } from '../support/tasks.ts'

describe('person facts history', () => {
  const h = importTestHarness()

  async function versions(): Promise<Record<string, number>> {
    const { rows } = await sql<{ person_id: string; v: string }>`
      select person_id, facts_version::text as v from person_facts order by person_id`.execute(h.database.db)
    return Object.fromEntries(rows.map((row) => [row.person_id, Number(row.v)]))
  }

  async function historyCount(): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from person_facts_history`.execute(
      h.database.db,
    )
    return rows[0]?.n ?? 0
  }

  /** Persons whose current row's values differ from the history row of its version (or have none). */
  async function outOfStep(): Promise<string[]> {
    const columns = (alias: string) =>
      sql.join(HISTORY_COLUMNS.map((column) => sql.ref(`${alias}.${column}`)))
    const { rows } = await sql<{ person_id: string }>`
      select f.person_id from person_facts f
      left join person_facts_history v on v.facts_version = f.facts_version and v.person_id = f.person_id
      where v.person_id is null or (${columns('f')}) is distinct from (${columns('v')})
      order by 1`.execute(h.database.db)
    return rows.map((row) => row.person_id)
  }

  it('versions a new person, keeps the version through an unchanged line, and appends one for a change', async () => {
    await h.run(await h.extract('first.ndjson', [record('P01'), record('P02')]))
    const first = await versions()
    assert.equal(await historyCount(), 2)
    assert.deepEqual(await outOfStep(), [])

    h.time.moveTo('2026-03-02T10:00:00Z')
    await h.run(await h.extract('same.ndjson', [record('P01'), record('P02')]))
    assert.deepEqual(await versions(), first)
    assert.equal(await historyCount(), 2)

    h.time.moveTo('2026-03-02T11:00:00Z')
    await h.run(
      await h.extract('changed.ndjson', [
        record('P01', (r) => (r.reporting.missedEvents90Days = 4)),
        record('P02'),
      ]),
    )
    const changed = await versions()
    assert.notEqual(changed.P01, first.P01)
    assert.equal(changed.P02, first.P02)
    assert.equal(await historyCount(), 3)
    assert.deepEqual(await outOfStep(), [])
    // The version it replaced is kept with the values it had.
    const { rows } = await sql<{ v: string; missed: number }>`
      select facts_version::text as v, missed_events_90_days as missed from person_facts_history
      where person_id = 'P01' order by facts_version`.execute(h.database.db)
    assert.deepEqual(
      rows.map((row) => [Number(row.v), row.missed]),
      [
        [first.P01, validMissed()],
        [changed.P01, 4],
      ],
    )
  })

  it('keeps the version of a person marked absent by a full extract and back again', async () => {
    await h.run(await h.extract('both.ndjson', [record('P01'), record('P02')]))
    const before = await versions()
    h.time.moveTo('2026-03-02T10:00:00Z')
    await h.run(await h.extract('one.ndjson', [record('P01')]), {
      full: true,
      absenceLimit: { maxPercent: 100, allowMore: true },
    })
    h.time.moveTo('2026-03-02T11:00:00Z')
    await h.run(await h.extract('back.ndjson', [record('P01'), record('P02')]), { full: true })
    assert.deepEqual(await versions(), before)
    assert.equal(await historyCount(), 2)
    const { rows } = await sql<{
      present: boolean
    }>`select present from person_facts where person_id = 'P02'`.execute(h.database.db)
    assert.equal(rows[0]?.present, true)
  })

  it('a rebuild appends a version for a row edited by hand and keeps the version of a row that was right', async () => {
    await h.run(await h.extract('three.ndjson', [record('P01'), record('P02'), record('P03')]))
    const before = await versions()
    const db = h.database.db
    await sql`update person_facts set missed_events_90_days = 9 where person_id = 'P01'`.execute(db)
    await sql`update person_facts set present = false where person_id = 'P02'`.execute(db)
    assert.deepEqual(await outOfStep(), ['P01'])
    assert.equal(await rebuildAllFacts(db), 3)
    const after = await versions()
    assert.notEqual(after.P01, before.P01)
    assert.equal(after.P02, before.P02)
    assert.equal(after.P03, before.P03)
    assert.equal(await historyCount(), 4)
    assert.deepEqual(await outOfStep(), [])
  })

  it('an explanation shows the values imported when the task was recommended, until a run re-prioritises it on new ones', async () => {
    const missed = (n: number) =>
      record('P01', (r) => {
        r.reporting.missedEvents90Days = n
        r.reporting.consecutiveMissed = n
        r.reporting.compliance = 'FAILED_TO_REPORT'
        r.reporting.whereabouts = 'UNKNOWN'
        r.barriers = []
      })
    await h.run(await h.extract('missed-2.ndjson', [missed(2)]))
    const reference = await readReferenceData(REFERENCE_DIR)
    const ruleSet = await loadRuleSet(RULES_DIR, { taskTypes: ruleTaskTypes(reference) })
    await publishForTest(h.database.db, ruleSet)
    const clock = manualClock()
    await runRules(h.database.db, { ruleSet, clock, trigger: 'manual' })
    const task = await h.database.db
      .selectFrom('tasks')
      .select('id')
      .where('person_id', '=', 'P01')
      .where('task_type', '=', 'FAILED_TO_REPORT')
      .executeTakeFirstOrThrow()
    const missedInARow = async () => {
      const view = await findTaskView(h.database.db, task.id, { all: true })
      assert.ok(view)
      const explanation = await explanationForTask(h.database.db, view)
      assert.ok(explanation && !isUnavailable(explanation))
      return explanation.conditions.find((c) => c.field === 'reporting.consecutiveMissed')?.actual
    }
    assert.equal(await missedInARow(), 2)

    h.time.moveTo('2026-03-02T10:00:00Z')
    await h.run(await h.extract('missed-3.ndjson', [missed(3)]))
    assert.equal(await missedInARow(), 2, 'as imported when recommended')

    clock.set(new Date('2026-03-02T11:00:00Z'))
    const summary = await runRules(h.database.db, { ruleSet, clock, trigger: 'manual' })
    assert.ok(summary.refreshed >= 1)
    assert.equal(await missedInARow(), 3, 'as imported when re-prioritised')
  })

  it('migration 0027 versions every row and points a task at it only where its explanation agrees', async (t) => {
    if (testDatabaseUrl()) return t.skip('the migration is the same SQL on both engines; run on PGlite')
    const fresh = await openDatabase({ kind: 'pglite', dataDir: '' }, { inMemory: true })
    try {
      const migrator = new Migrator({ db: fresh.db, provider: { getMigrations: async () => migrations } })
      assert.equal((await migrator.migrateTo('0026-person-facts')).error, undefined)
      const changedAt = '2026-03-01T08:00:00.000Z'
      // Only the facts rows the migration reads (the importer of 0026 wrote no version).
      await sql`
        insert into person_facts (person_id, present, rom_region, data_changed_at)
        select 'P' || n, true, 'LSE', ${changedAt}::timestamptz from generate_series(1, 3) n`.execute(
        fresh.db,
      )
      await sql`insert into rule_sets (version, loaded_at, files) values ('v1', now(), '[]')`.execute(
        fresh.db,
      )
      const explained = (at: string) =>
        JSON.stringify({ form: 'compact', evaluatedOn: '2026-03-01', dataChangedAt: at })
      await sql`
        insert into tasks (person_id, task_type, rom_region, priority, status, rule_code, rule_set_version, explanation,
          created_at, status_changed_at)
        values
          ('P1', 'FAILED_TO_REPORT', 'LSE', 1, 'RECOMMENDED', 'FAILED_TO_REPORT', 'v1', ${explained(changedAt)}::jsonb, now(), now()),
          ('P2', 'FAILED_TO_REPORT', 'LSE', 1, 'RECOMMENDED', 'FAILED_TO_REPORT', 'v1', ${explained('2026-02-01T08:00:00.000Z')}::jsonb, now(), now()),
          ('P3', 'FAILED_TO_REPORT', 'LSE', 1, 'RECOMMENDED', 'FAILED_TO_REPORT', 'gone', ${explained(changedAt)}::jsonb, now(), now())`.execute(
        fresh.db,
      )
      assert.equal((await migrator.migrateToLatest()).error, undefined)
      const facts = await sql<{ n: number; versions: number }>`
        select count(*)::int as n, count(distinct facts_version)::int as versions from person_facts`.execute(
        fresh.db,
      )
      assert.deepEqual(facts.rows[0], { n: 3, versions: 3 })
      const history = await sql<{ n: number }>`
        select count(*)::int as n from person_facts_history h join person_facts f using (person_id, facts_version)`.execute(
        fresh.db,
      )
      assert.equal(history.rows[0]?.n, 3)
      const tasks = await sql<{ person_id: string; pointed: boolean; evaluated_on: string | null }>`
        select t.person_id, t.facts_version = f.facts_version as pointed, t.evaluated_on::text as evaluated_on
        from tasks t join person_facts f using (person_id) order by 1`.execute(fresh.db)
      assert.deepEqual(tasks.rows, [
        // The person's data has not changed since: pointed at its facts, made on the explanation's day.
        { person_id: 'P1', pointed: true, evaluated_on: '2026-03-01' },
        // Changed since, or made by a rule set no longer kept: shown as stored.
        { person_id: 'P2', pointed: null, evaluated_on: null },
        { person_id: 'P3', pointed: null, evaluated_on: null },
      ])
    } finally {
      await fresh.close()
    }
  })
})

function validMissed(): number {
  return record('P01').reporting.missedEvents90Days as number
}
