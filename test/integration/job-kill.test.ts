/**
 * A worker killed with SIGKILL while a rule run job is running: the job is
 * not lost and does not stay "running". Another worker, started after,
 * notices the silence (no heartbeat for IPIC_JOB_HEARTBEAT_SECONDS) and
 * runs the job again; the killed run is recorded as interrupted, and the
 * tasks are exactly those one clean run gives, each with one event.
 *
 * PostgreSQL only: the embedded database dies with its process. The run is
 * held mid-way by a lock the test takes on the tasks table, so the kill
 * lands inside the run's transaction, after it recorded itself as running,
 * every time, without waiting on a timer.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import pg from 'pg'
import { generateCaseRecords } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import { runLiveRules } from '../../src/commands/rules-run.ts'
import { clockFor, loadConfig } from '../../src/config.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { JobList } from '../../src/jobs/job-list.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { createLogger } from '../../src/logger.ts'
import { INTERRUPTED_RUN_FAILURE } from '../../src/tasks/interrupted-runs.ts'
import type { RunSummary } from '../../src/tasks/rule-run.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { TODAY } from '../support/generated-sample.ts'
import { type RunningCommand, startIpic } from '../support/ipic-command.ts'
import { publishRulesIn } from '../support/publication.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `found` gives a value, failing with `what` after `seconds`. */
async function until<T>(what: string, seconds: number, found: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const value = await found()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await sleep(100)
  }
}

describe('a worker killed during a rule run job (PostgreSQL)', () => {
  let database: TestDatabase
  let folder: string
  const workers: RunningCommand[] = []
  /** The test's session that holds the tasks table while the run is killed. */
  let blocker: pg.Client | undefined

  before(async () => {
    database = await openTestDatabase()
    folder = await mkdtemp(join(tmpdir(), 'ipic-job-kill-'))
  })
  after(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL')
    // Let go of the table whatever happened, or the test's own connection would keep it running.
    await blocker?.end().catch(() => undefined)
    await database.close()
    await rm(folder, { recursive: true, force: true })
  })

  /** `ipic jobs work` against the test database, once it says it is working. */
  async function startWorker(): Promise<RunningCommand> {
    const worker = startIpic(['jobs', 'work'], {
      DATABASE_URL: database.url,
      IPIC_TODAY: TODAY,
      IPIC_DEMO: '0',
      IPIC_RULES_DIR: RULES_DIR,
      IPIC_JOB_HEARTBEAT_SECONDS: '10',
      IPIC_AUDIT_PURGE_SCHEDULE: 'off',
      IPIC_SESSION_CLEANUP_SCHEDULE: 'off',
      IPIC_FACTS_PRUNE_SCHEDULE: 'off',
    })
    workers.push(worker)
    let said = ''
    worker.child.stdout?.on('data', (chunk) => (said += chunk))
    await until('the worker to start', 120, async () =>
      said.includes('Working the background job queue') ? true : undefined,
    )
    return worker
  }

  it('is retried by another worker and completes with exactly the counts of one clean run', async (t) => {
    if (!database.url) return t.skip('the embedded database dies with its process')
    const config = loadConfig({ IPIC_RULES_DIR: RULES_DIR, IPIC_TODAY: TODAY })
    const runtime = {
      config,
      clock: clockFor(config),
      database,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
    const file = join(folder, 'extract.ndjson')
    const persons = generateCaseRecords({ persons: 400, seed: 9, today: TODAY, reference: runtime.reference })
    await writeFile(file, [...persons].map((person) => JSON.stringify(person)).join('\n'))
    await importExtract(database, { file, full: false, clock: runtime.clock, reference: runtime.reference })
    await publishRulesIn(database.db, RULES_DIR)

    const first = await startWorker()
    // The test's own session holds the tasks table: the run, once under way, waits inside its transaction.
    blocker = new pg.Client({ connectionString: database.url })
    await blocker.connect()
    await blocker.query('begin')
    await blocker.query('lock table tasks in access exclusive mode')

    // With the workers' heartbeat: opening a queue sets its settings for every instance.
    const queue = await JobQueue.open(database, database.url, { upkeep: false, heartbeatSeconds: 10 })
    const id = await queue.enqueue('rule-run', { trigger: 'import', full: false })
    await queue.close()
    const stuckBackend = await until('the run to start and wait on the tasks table', 120, async () => {
      const { rows } = await sql<{ pid: number }>`
        select l.pid from pg_locks l join pg_class c on c.oid = l.relation
          and l.database = (select oid from pg_database where datname = current_database())
        where c.relname = 'tasks' and not l.granted`.execute(database.db)
      const running = await database.db
        .selectFrom('rule_runs')
        .where('status', '=', 'RUNNING')
        .select('id')
        .execute()
      return rows[0] && running.length === 1 ? rows[0].pid : undefined
    })
    const jobs = new JobList(database.db)
    assert.equal((await jobs.find(id))?.state, 'running')

    first.child.kill('SIGKILL')
    await first.finished
    await blocker.query('commit')
    await blocker.end()
    blocker = undefined
    // Its server session ends once it finds its client gone (on its next word to it).
    await until('the killed worker’s session to end', 120, async () => {
      const { rows } = await sql`select 1 from pg_stat_activity where pid = ${stuckBackend}`.execute(
        database.db,
      )
      return rows.length === 0 ? true : undefined
    })
    assert.equal((await jobs.find(id))?.state, 'running', 'nobody has noticed yet')

    const second = await startWorker()
    const job = await until('the job to be retried and settle', 180, async () => {
      const found = await jobs.find(id)
      return found && (found.state === 'completed' || found.state === 'failed') ? found : undefined
    })
    second.child.kill('SIGTERM')
    await second.finished

    assert.equal(job.state, 'completed', job.error ?? '')
    assert.equal(job.attempts, 2, 'the killed attempt and the one that completed')
    const summary = job.result as RunSummary
    assert.ok(summary.totals.new > 0)
    const stillRunning = await jobs.recent({ limit: 100, states: ['running'] })
    assert.deepEqual(stillRunning, [], 'no job is left running')

    const runs = await database.db
      .selectFrom('rule_runs')
      .select(['id', 'status', 'failure'])
      .orderBy('id')
      .execute()
    assert.deepEqual(runs, [
      { id: runs[0]?.id, status: 'FAILED', failure: INTERRUPTED_RUN_FAILURE },
      { id: summary.runId, status: 'COMPLETED', failure: null },
    ])
    const counts = await sql<{ tasks: number; events: number; tasks_without_one_event: number }>`
      select (select count(*)::int from tasks) as tasks,
             (select count(*)::int from task_events) as events,
             (select count(*)::int from tasks t
               where (select count(*) from task_events e where e.task_id = t.id) <> 1) as tasks_without_one_event`.execute(
      database.db,
    )
    assert.deepEqual(counts.rows[0], {
      tasks: summary.totals.new,
      events: summary.totals.new,
      tasks_without_one_event: 0,
    })
    // A clean full run now changes nothing: the retried run left what one run leaves.
    const check = await runLiveRules(runtime, 'manual', { full: true })
    assert.deepEqual(
      { new: check.totals.new, unchanged: check.totals.unchanged, withdrawn: check.totals.withdrawn },
      { new: 0, unchanged: summary.totals.new, withdrawn: 0 },
    )
  })
})
