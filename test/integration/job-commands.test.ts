/**
 * The job queue from the command line and across processes, on PostgreSQL
 * (the embedded database has one process): `ipic jobs` lists what the
 * workers did, a malformed payload included, with the words of kinds.ts;
 * `ipic jobs retry` refuses what it cannot retry, saying why; two imports
 * started together are serialised by refusing the second, whose rule run
 * job the first runs; and a rule run job that arrives while an import is
 * writing waits for it, recording no failed run; a rule run job and
 * `ipic rules run` on another process take turns at the run lock.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import pg from 'pg'
import { generateCaseRecords } from '../../src/cases/generate.ts'
import { jobHandlers } from '../../src/commands/job-handlers.ts'
import { clockFor, loadConfig } from '../../src/config.ts'
import { IMPORT_LOCK_KEY } from '../../src/db/import-lock.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { JobList } from '../../src/jobs/job-list.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { createLogger } from '../../src/logger.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { TODAY } from '../support/generated-sample.ts'
import { runIpic, startIpic } from '../support/ipic-command.ts'
import { publishRulesIn } from '../support/publication.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Locks in this test's database only: other tests' databases on the same server have their own. */
const THIS_DATABASE = sql`database = (select oid from pg_database where datname = current_database())`

describe('background jobs across processes (PostgreSQL)', () => {
  let database: TestDatabase
  let folder: string
  let env: NodeJS.ProcessEnv
  before(async () => {
    database = await openTestDatabase()
    folder = await mkdtemp(join(tmpdir(), 'ipic-job-commands-'))
    env = {
      DATABASE_URL: database.url,
      IPIC_TODAY: TODAY,
      IPIC_DEMO: '0',
      IPIC_RULES_DIR: RULES_DIR,
      IPIC_AUDIT_PURGE_SCHEDULE: 'off',
      IPIC_SESSION_CLEANUP_SCHEDULE: 'off',
      IPIC_FACTS_PRUNE_SCHEDULE: 'off',
    }
  })
  after(async () => {
    await database.close()
    await rm(folder, { recursive: true, force: true })
  })

  it('lists no jobs before any was queued', async (t) => {
    if (!database.url) return t.skip('needs a database other processes can open')
    const listed = await runIpic(['jobs'], env)
    assert.equal(listed.code, 0, listed.stderr)
    assert.equal(listed.stdout, 'No background jobs.\n')
  })

  it('shows a malformed job failed by a worker with its reason, and refuses to retry what is not failed', async (t) => {
    if (!database.url) return t.skip('needs a database other processes can open')
    const queue = await JobQueue.open(database, database.url, { upkeep: false })
    const bad = (await queue.sendUnchecked('audit-purge', { days: 'all' })) ?? ''
    await queue.close()
    const worker = startIpic(['jobs', 'work'], env)
    const jobs = new JobList(database.db)
    try {
      for (let n = 0; n < 300 && (await jobs.find(bad))?.state !== 'failed'; n++) await sleep(100)
    } finally {
      worker.child.kill('SIGTERM')
      assert.equal((await worker.finished).code, 0, 'a worker stops cleanly when told to')
    }

    const listed = await runIpic(['jobs', '--state', 'failed'], env)
    assert.equal(listed.code, 0, listed.stderr)
    const [header, , row, ...rest] = listed.stdout.trimEnd().split('\n')
    assert.match(header ?? '', /^ID +Kind +State +Attempts +Queued +Started +Finished +Error$/)
    assert.deepEqual(rest, [])
    assert.match(
      row ?? '',
      new RegExp(
        `^${bad}  audit-purge  failed +1 of 4 .* A audit-purge job's payload is not valid: Unrecognized key: "days"$`,
      ),
    )

    const completed = await runIpic(['jobs', 'retry', bad], env)
    assert.equal(completed.code, 0, completed.stderr)
    assert.match(completed.stdout, new RegExp(`^Job ${bad} will be tried again`))
    assert.equal((await jobs.find(bad))?.state, 'retrying')
    const again = await runIpic(['jobs', 'retry', bad], env)
    assert.equal(again.code, 1)
    assert.equal(again.stderr, `ipic: job ${bad} is retrying: only a failed job can be retried\n`)
    const unknown = await runIpic(['jobs', 'retry', '00000000-0000-4000-8000-000000000000'], env)
    assert.equal(unknown.code, 1)
    assert.match(
      unknown.stderr,
      /^ipic: no job has the ID 00000000-0000-4000-8000-000000000000: "ipic jobs" lists/,
    )
    const notAnId = await runIpic(['jobs', 'retry', "1'; drop table tasks"], env)
    assert.equal(notAnId.code, 1)
    assert.match(notAnId.stderr, /^ipic: "1'; drop table tasks" is not a job ID/)
    const badState = await runIpic(['jobs', '--state', 'stuck'], env)
    assert.equal(badState.code, 1)
    assert.match(
      badState.stderr,
      /argument 'stuck' is invalid\. Allowed choices are queued, running, retrying/,
    )
  })

  it('refuses a second import while one is running, and the first one’s rule run job completes', async (t) => {
    if (!database.url) return t.skip('needs a database other processes can open')
    const reference = await readReferenceData(REFERENCE_DIR)
    const file = join(folder, 'extract.ndjson')
    const persons = generateCaseRecords({ persons: 500, seed: 4, today: TODAY, reference })
    await writeFile(file, [...persons].map((person) => JSON.stringify(person)).join('\n'))
    await publishRulesIn(database.db, RULES_DIR)

    // The test's session holds the persons table, so the first import, once it has its lock, waits
    // for it; the second starts then: a real overlap, every time, however fast the machine.
    const blocker = new pg.Client({ connectionString: database.url })
    await blocker.connect()
    await blocker.query('begin')
    await blocker.query('lock table persons in access exclusive mode')
    const first = startIpic(['import', file], env)
    let second: Awaited<ReturnType<typeof runIpic>>
    try {
      // However slow the machine, the second starts only once the first holds the import lock.
      let held = false
      for (let n = 0; n < 1200 && !held && first.child.exitCode === null; n++) {
        const { rows } = await sql`
          select 1 from pg_locks where locktype = 'advisory' and granted and ${THIS_DATABASE}
            and objid = (select ${sql.raw(IMPORT_LOCK_KEY)})::oid`.execute(database.db)
        held = rows.length > 0
        if (!held) await sleep(100)
      }
      assert.ok(held, 'the first import took its lock')
      second = await runIpic(['import', file], env)
    } finally {
      // Whatever happened, the tables are let go, so no import is left waiting for them.
      await blocker.query('commit')
      await blocker.end()
    }
    const done = await first.finished
    assert.equal(second.code, 1)
    assert.equal(second.stderr, 'ipic: Another import is running: wait for it to finish, then try again\n')
    assert.equal(done.code, 0, done.stderr)
    assert.match(done.stdout, /^Import \d+ finished/)
    assert.match(done.stdout, /Rule run \d+ \(import\) with rule set \w+: 500 persons evaluated/)

    const imports = await database.db.selectFrom('imports').select(['status']).execute()
    assert.equal(imports.length, 1, 'the refused import recorded nothing')
    const runJobs = await new JobList(database.db).recent({ limit: 10 })
    const ruleRuns = runJobs.filter((job) => job.kind === 'rule-run')
    assert.deepEqual(
      ruleRuns.map((job) => job.state),
      ['completed'],
    )
  })

  it('holds a rule run job back while an import writes, recording no failed run, and runs it after', async (t) => {
    if (!database.url) return t.skip('PGlite has one session: an import and a run cannot overlap')
    const config = loadConfig({ IPIC_RULES_DIR: RULES_DIR, IPIC_TODAY: TODAY })
    const runtime = {
      config,
      clock: clockFor(config),
      database,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
    const runsBefore = await database.db.selectFrom('rule_runs').select('id').execute()
    // Another session holding the import's lock, as an import in another process does.
    const importing = new pg.Client({ connectionString: database.url })
    await importing.connect()
    await importing.query(`select pg_advisory_lock(${IMPORT_LOCK_KEY})`)
    const queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
    try {
      await queue.work(jobHandlers(runtime, { importWaitMs: 100 }))
      const id = await queue.enqueue('rule-run', { trigger: 'manual', full: false })
      const jobs = new JobList(database.db)
      for (let n = 0; n < 100 && (await jobs.find(id))?.state !== 'running'; n++) await sleep(100)
      await sleep(1000)
      assert.equal((await jobs.find(id))?.state, 'running', 'it waits')
      assert.deepEqual(await database.db.selectFrom('rule_runs').select('id').execute(), runsBefore)

      await importing.query(`select pg_advisory_unlock(${IMPORT_LOCK_KEY})`)
      const job = await queue.settled(id)
      assert.equal(job.state, 'completed', job.error ?? '')
      assert.equal(job.attempts, 1)
      const runs = await database.db.selectFrom('rule_runs').select('status').execute()
      assert.deepEqual(
        runs.map((run) => run.status),
        [...runsBefore.map(() => 'COMPLETED'), 'COMPLETED'],
      )
    } finally {
      await importing.end()
      await queue.close()
    }
  })
  it('makes a rule run job and `ipic rules run` on another process take turns, each completing', async (t) => {
    if (!database.url) return t.skip('needs a database other processes can open')
    const config = loadConfig({ IPIC_RULES_DIR: RULES_DIR, IPIC_TODAY: TODAY })
    const runtime = {
      config,
      clock: clockFor(config),
      database,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
    const runsBefore = (await database.db.selectFrom('rule_runs').select('id').execute()).length
    // The test holds the tasks table: the job's run, once it has the run lock, waits inside its transaction.
    const blocker = new pg.Client({ connectionString: database.url })
    await blocker.connect()
    await blocker.query('begin')
    await blocker.query('lock table tasks in access exclusive mode')
    const queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
    try {
      await queue.work(jobHandlers(runtime))
      const id = await queue.enqueue('rule-run', { trigger: 'manual', full: true })
      const waitingOn = async (granted: boolean) => {
        const { rows } = await sql`
          select 1 from pg_locks l join pg_class c on c.oid = l.relation and ${THIS_DATABASE}
          where c.relname = 'tasks' and l.granted = ${granted} and l.pid <> pg_backend_pid()`.execute(
          database.db,
        )
        return rows.length > 0
      }
      for (let n = 0; n < 300 && !(await waitingOn(false)); n++) await sleep(50)
      // The command on another process now asks for the run lock the job holds, and waits for it.
      const command = startIpic(['rules', 'run', '--full'], env)
      // 41207311: the run lock's key (src/tasks/run-lock.ts), which only a rule run asks for.
      let commandWaits = false
      for (let n = 0; n < 300 && !commandWaits; n++) {
        const { rows } = await sql`
          select 1 from pg_locks where locktype = 'advisory' and not granted and objid = 41207311 and ${THIS_DATABASE}`.execute(
          database.db,
        )
        commandWaits = rows.length > 0
        if (!commandWaits) await sleep(50)
      }
      assert.ok(commandWaits, 'the command waits for the run lock')
      await blocker.query('commit')
      const job = await queue.settled(id)
      const done = await command.finished
      assert.equal(job.state, 'completed', job.error ?? '')
      assert.equal(done.code, 0, done.stderr)
      const first = job.result as { runId: number; totals: { new: number; unchanged: number } }
      // The second run found every task as the first left it.
      assert.match(done.stdout, new RegExp(`^Rule run ${first.runId + 1} \\(manual\\)`))
      const runs = await database.db.selectFrom('rule_runs').select(['id', 'status']).orderBy('id').execute()
      assert.deepEqual(runs.slice(runsBefore), [
        { id: first.runId, status: 'COMPLETED' },
        { id: first.runId + 1, status: 'COMPLETED' },
      ])
      const totals = /Total +(\d[\d,]*) +(\d[\d,]*) +(\d[\d,]*)/.exec(done.stdout)
      const open = first.totals.new + first.totals.unchanged
      assert.deepEqual(totals?.slice(1, 3), ['0', open.toLocaleString('en-GB')], done.stdout)
    } finally {
      await blocker.end()
      await queue.close()
    }
  })
})
