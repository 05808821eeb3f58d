/**
 * Pruning the person facts history (docs/decisions/0030-facts-history-pruning.md):
 * `ipic rules facts --prune` removes exactly the versions no task names and
 * no person holds as current; every task's explanation, derived on demand,
 * is the same after as before (recommended, re-prioritised, decided and
 * withdrawn tasks alike); a prune waits for a rule run holding its lock, and
 * stops with a clear message when the run outlasts its wait. On the suite's
 * engine.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import type { CaseRecordInput } from '../../src/cases/extract.ts'
import { generateCaseRecords } from '../../src/cases/generate.ts'
import { jobHandlers } from '../../src/commands/job-handlers.ts'
import { pruneOutput } from '../../src/commands/rules-facts.ts'
import { clockFor, loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { createLogger } from '../../src/logger.ts'
import { ruleTaskTypes } from '../../src/rules/live-rules.ts'
import { loadRuleSet } from '../../src/rules/load.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { explanationForTask, isUnavailable } from '../../src/rules/stored-explanation.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { pruneFactsHistory, RuleRunUnderWayError } from '../../src/tasks/facts-history-pruning.ts'
import { runRules } from '../../src/tasks/rule-run.ts'
import { lockForRuleRun } from '../../src/tasks/run-lock.ts'
import { REFERENCE_DIR, RULES_DIR, testDatabaseUrl } from '../support/database.ts'
import { currentDatabaseUrl, importTestHarness } from '../support/import-harness.ts'
import { runIpic } from '../support/ipic-command.ts'
import { publishForTest } from '../support/publication.ts'
import { manualClock } from '../support/tasks.ts'

const TODAY = '2026-03-02' as IsoDate
const PERSONS = 240
const LEAD = { id: 'lead', regions: { all: true as const } }

describe('pruning the person facts history', () => {
  const h = importTestHarness()

  /** Missed reporting events moved by `by` (0–4 in a row): enough to start, move and end tasks. */
  function missing(record: CaseRecordInput, by: number): CaseRecordInput {
    const changed = structuredClone(record) as CaseRecordInput & {
      reporting: { missedEvents90Days: number; consecutiveMissed: number }
    }
    const missed = (changed.reporting.missedEvents90Days + by) % 5
    changed.reporting.missedEvents90Days = missed
    changed.reporting.consecutiveMissed = Math.min(changed.reporting.consecutiveMissed, missed)
    return changed
  }

  /**
   * A caseload with every kind of version: imported, run, some tasks
   * accepted and rejected, a third of the persons changed and run again
   * (new, re-prioritised and withdrawn tasks), then a quarter changed twice
   * more with no run between (versions nothing ever named). Returns the rule set.
   */
  async function caseloadWithHistory(): Promise<RuleSet> {
    const db = h.database.db
    const clock = manualClock()
    const ruleSet = await loadRuleSet(RULES_DIR, { taskTypes: ruleTaskTypes(h.reference) })
    await publishForTest(db, ruleSet)
    await db
      .insertInto('users')
      .values({ id: LEAD.id, name: 'Lee Ead', roles: ['CASEWORKER'], all_regions: true, password_hash: null })
      .execute()
    const records = [
      ...generateCaseRecords({
        persons: PERSONS,
        seed: 5,
        today: TODAY,
        reference: h.reference,
        profile: 'stress',
      }),
    ]
    const importAt = async (at: string, lines: readonly CaseRecordInput[]) => {
      h.time.moveTo(at)
      await h.run(await h.extract(`${at}.ndjson`, lines))
    }
    const run = async (at: string) => {
      clock.set(new Date(at))
      await runRules(db, { ruleSet, clock, trigger: 'manual' })
    }

    await importAt('2026-03-02T08:00:00Z', records)
    await run('2026-03-02T08:10:00Z')
    const open = await db.selectFrom('tasks').select(['id', 'version']).orderBy('id').execute()
    clock.set(new Date('2026-03-02T08:20:00Z'))
    for (const [i, task] of open.entries()) {
      if (i % 7 !== 0 && i % 7 !== 1) continue
      const decision =
        i % 7 === 0
          ? ({ status: 'ACCEPTED', checksConfirmed: true } as const)
          : ({
              status: 'REJECTED',
              reasons: ['OTHER_TEAM'],
              details: 'Owned by the FNO team.',
              checksConfirmed: true,
            } as const)
      const decided = await decideTask(db, {
        taskId: task.id,
        expectedVersion: task.version,
        decision,
        user: LEAD,
        clock,
      })
      assert.equal(decided.kind, 'decided', JSON.stringify(decided))
    }

    const second = records.map((record, i) => (i % 3 === 0 ? missing(record, 2) : record))
    await importAt('2026-03-02T09:00:00Z', second)
    await run('2026-03-02T09:10:00Z')
    const third = second.map((record, i) => (i % 4 === 0 ? missing(record, 1) : record))
    await importAt('2026-03-02T10:00:00Z', third)
    await importAt(
      '2026-03-02T11:00:00Z',
      third.map((record, i) => (i % 4 === 0 ? missing(record, 1) : record)),
    )
    return ruleSet
  }

  async function historyVersions(): Promise<string[]> {
    const { rows } = await sql<{ v: string }>`
      select facts_version::text as v from person_facts_history order by facts_version`.execute(h.database.db)
    return rows.map((row) => row.v)
  }

  /** What the prune must remove, by the definition itself: no task names it, no facts row holds it. */
  async function unnamedAndNotCurrent(): Promise<string[]> {
    const { rows } = await sql<{ v: string }>`
      select h.facts_version::text as v from person_facts_history h
      where not exists (select 1 from person_facts f where f.facts_version = h.facts_version)
        and not exists (select 1 from tasks t where t.facts_version = h.facts_version)
      order by h.facts_version`.execute(h.database.db)
    return rows.map((row) => row.v)
  }

  /** Every task's explanation as "Why recommended" would show it, by task ID. */
  async function explanations(): Promise<Map<number, unknown>> {
    const tasks = await h.database.db
      .selectFrom('tasks')
      .select([
        'id',
        'explanation',
        'rule_set_version',
        'rule_code',
        sql<string | null>`facts_version::text`.as('facts_version'),
        sql<IsoDate | null>`evaluated_on::text`.as('evaluated_on'),
      ])
      .orderBy('id')
      .execute()
    const shown = new Map<number, unknown>()
    for (const task of tasks) {
      const explanation = await explanationForTask(h.database.db, {
        explanation: task.explanation,
        ruleSetVersion: task.rule_set_version,
        ruleCode: task.rule_code,
        factsVersion: task.facts_version,
        evaluatedOn: task.evaluated_on,
      })
      assert.ok(explanation && !isUnavailable(explanation), `task ${task.id}: ${JSON.stringify(explanation)}`)
      shown.set(task.id, explanation)
    }
    return shown
  }

  it('removes exactly the versions no task names and no person holds, and every explanation stays as it was', async () => {
    await caseloadWithHistory()
    const db = h.database.db
    const statuses = await sql<{ status: string; stale: number }>`
      select t.status, count(*) filter (where f.facts_version is distinct from t.facts_version)::int as stale
      from tasks t left join person_facts f using (person_id) group by t.status order by 1`.execute(db)
    const stale = Object.fromEntries(statuses.rows.map((row) => [row.status, row.stale]))
    // The story reaches every kind of task, each naming versions that are no longer current.
    for (const status of ['ACCEPTED', 'REJECTED', 'WITHDRAWN', 'RECOMMENDED']) {
      assert.ok((stale[status] ?? 0) > 0, `${status} tasks naming an old version: ${JSON.stringify(stale)}`)
    }

    const before = await historyVersions()
    const doomed = await unnamedAndNotCurrent()
    assert.ok(doomed.length > PERSONS / 10, `${doomed.length} versions to prune`)
    const shown = await explanations()

    const result = await pruneFactsHistory(db, { batchSize: 37 })
    const after = await historyVersions()
    assert.deepEqual(
      after,
      before.filter((version) => !doomed.includes(version)),
    )
    assert.deepEqual(result, {
      removed: doomed.length,
      kept: after.length,
      // Each batch looks at 37 versions; the last, at fewer, also looks past the end.
      batches: Math.floor(before.length / 37) + 1,
    })
    assert.deepEqual(await explanations(), shown)
    // Every person keeps their current version, so the next run and --check find their facts.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from person_facts f
      where not exists (select 1 from person_facts_history h where h.facts_version = f.facts_version)`.execute(
      db,
    )
    assert.equal(rows[0]?.n, 0)

    assert.deepEqual(await pruneFactsHistory(db), { removed: 0, kept: after.length, batches: 1 })
  })

  it('waits for a rule run holding its lock, and keeps a version that run stores', async () => {
    await caseloadWithHistory()
    const db = h.database.db
    const doomed = await unnamedAndNotCurrent()
    const stored = doomed[0]
    assert.ok(stored)
    const before = await historyVersions()
    const task = await db
      .selectFrom('tasks')
      .selectAll()
      .where('status', '=', 'WITHDRAWN')
      .executeTakeFirstOrThrow()
    let pruning: Promise<unknown> | undefined
    await db.transaction().execute(async (trx) => {
      // A run: it read this version while it was current, and stores it in a task after an import superseded it.
      await lockForRuleRun(trx)
      let settled = false
      pruning = pruneFactsHistory(db, { batchSize: 25 }).finally(() => {
        settled = true
      })
      if (testDatabaseUrl()) {
        // On PostgreSQL the prune reaches the lock and waits there (or, were it not to wait, finishes);
        // PGlite's one connection is this transaction's, so there the prune cannot begin until it ends.
        while (!settled) {
          const { rows } = await sql<{ waiting: boolean }>`
            select exists (select 1 from pg_locks where locktype = 'advisory' and not granted) as waiting`.execute(
            trx,
          )
          if (rows[0]?.waiting) break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
      await sql`
        insert into tasks (person_id, task_type, rom_region, priority, status, rule_code, rule_set_version,
          facts_version, evaluated_on, created_at, status_changed_at)
        values (${task.person_id}, ${task.task_type}, ${task.rom_region}, 1, 'WITHDRAWN', ${task.rule_code},
          ${task.rule_set_version}, ${stored}::bigint, ${TODAY}::date, now(), now())`.execute(trx)
      const kept = await sql<{ n: number }>`select count(*)::int as n from person_facts_history`.execute(trx)
      assert.equal(kept.rows[0]?.n, before.length, 'nothing removed while the run holds its lock')
    })
    await pruning
    const after = new Set(await historyVersions())
    assert.ok(after.has(stored), 'the version the run stored is kept')
    assert.deepEqual(
      doomed.filter((version) => after.has(version)),
      [stored],
    )
  })

  it('stops with a clear message when a rule run outlasts its wait (PostgreSQL)', async (t) => {
    if (!testDatabaseUrl())
      return t.skip('PGlite has one connection: a prune cannot start while a run holds it')
    await caseloadWithHistory()
    const db = h.database.db
    const before = await historyVersions()
    await db.transaction().execute(async (trx) => {
      await lockForRuleRun(trx)
      await assert.rejects(
        pruneFactsHistory(db, { runWaitSeconds: 0.2 }),
        (error: unknown) =>
          error instanceof RuleRunUnderWayError &&
          error.sofar.removed === 0 &&
          /^A rule run has been working for more than 0\.2 s, so the facts history was not pruned further \(0 versions removed before it started\)/.test(
            error.message,
          ) &&
          /Prune again once the run has finished$/.test(error.message),
      )
    })
    assert.deepEqual(await historyVersions(), before)
  })

  it('prunes as the scheduled background job, with the same result as the command', async () => {
    await caseloadWithHistory()
    const doomed = await unnamedAndNotCurrent()
    const kept = (await historyVersions()).length - doomed.length
    const config = loadConfig({
      IPIC_RULES_DIR: RULES_DIR,
      IPIC_REFERENCE_DIR: REFERENCE_DIR,
      IPIC_TODAY: TODAY,
    })
    const runtime = {
      config,
      clock: clockFor(config),
      database: h.database,
      reference: h.reference,
      logger: createLogger('silent'),
    }
    const queue = await JobQueue.open(h.database, h.database.url, { pollingIntervalSeconds: 0.5 })
    try {
      await queue.work(jobHandlers(runtime))
      const job = await queue.settled(await queue.enqueue('facts-history-prune', {}))
      assert.equal(job.state, 'completed', job.error ?? '')
      assert.deepEqual(job.result, { removed: doomed.length, kept, batches: 1 })
    } finally {
      await queue.close()
    }
    assert.deepEqual(await unnamedAndNotCurrent(), [])
  })

  it('says how many versions it removed and kept', () => {
    assert.equal(
      pruneOutput({ removed: 12_345, kept: 1, batches: 3 }, 2.04),
      'Removed 12,345 facts versions that no task names and no person holds as current; ' +
        'kept 1 facts version (each person’s current one and every one a task names), in 3 batches, 2.0 s.\n',
    )
  })

  it('prunes from the command line, and refuses --prune with another action (PostgreSQL)', async (t) => {
    const url = testDatabaseUrl()
    if (!url)
      return t.skip('the command runs in its own process, which cannot open the test’s in-memory PGlite')
    await caseloadWithHistory()
    const doomed = await unnamedAndNotCurrent()
    const kept = (await historyVersions()).length - doomed.length
    const env = { DATABASE_URL: await currentDatabaseUrl(h.database, url), IPIC_DEMO: '0' }
    const pruned = await runIpic(['rules', 'facts', '--prune'], env)
    assert.equal(pruned.code, 0, pruned.stderr)
    assert.match(
      pruned.stdout,
      new RegExp(
        `^Removed ${doomed.length} facts versions that no task names and no person holds as current; ` +
          `kept ${kept} facts versions \\(each person’s current one and every one a task names\\), in 1 batch, \\d+\\.\\d s\\.\\n$`,
      ),
    )
    const both = await runIpic(['rules', 'facts', '--prune', '--check'], env)
    assert.equal(both.code, 1)
    assert.match(
      both.stderr,
      /^ipic: say what to do with the person facts: --prune, --rebuild or --check \(one of them\)/,
    )
  })
})
