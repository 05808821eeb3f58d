/**
 * Issue 17 item 5 for the importer and the rule runner: the real `ipic
 * import` and `ipic rules run` processes killed with SIGKILL at random
 * points of their work, then checked: nothing half-written (every person
 * stored whole, batches whole, every task with its events, the run's work
 * all there or none of it), and a re-run of the same command finishing the
 * work with exactly the counts and tasks one clean run gives.
 *
 * The suite runs a few trials (test/integration/kill-*.test.ts); `npm run
 * kill` runs many (scripts/kill.ts). Each trial says where it struck and
 * every way it went wrong, as sentences.
 */
import { sql } from 'kysely'
import { DEFAULT_BATCH_SIZE } from '../../src/cases/import.ts'
import { JobList } from '../../src/jobs/job-list.ts'
import { INTERRUPTED_RUN_FAILURE } from '../../src/tasks/interrupted-runs.ts'
import { personDifferences, personSnapshot, taskDifference, taskSnapshot } from './case-snapshot.ts'
import { RULES_DIR, type TestDatabase } from './database.ts'
import { type CommandResult, runIpic, startIpic } from './ipic-command.ts'
import { publishRulesIn } from './publication.ts'
import { seededRandom } from './race-client.ts'
import { taskLogProblems } from './task-log.ts'

export interface KillOptions {
  readonly trials: number
  readonly seed: number
  /** The extract the import reads, or the caseload the rules run over. */
  readonly file: string
  readonly say?: (line: string) => void
}

export interface TrialReport {
  readonly trial: number
  /** Milliseconds after the command recorded its start that it was killed. */
  readonly killedAfterMs: number
  /** What the kill left: how far the work had gone. */
  readonly leftBehind: string
  readonly problems: readonly string[]
}

/** An empty database with the live rule set published, as an operator would have published it before a run. */
async function freshStart(database: TestDatabase): Promise<void> {
  await database.reset()
  await publishRulesIn(database.db, RULES_DIR)
}

/** How the killed process's database sessions are told apart from the test's own. */
const KILLED = 'ipic-killed-by-test'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function commandEnv(database: TestDatabase): NodeJS.ProcessEnv {
  if (!database.url) throw new Error('killing a command needs PostgreSQL: the embedded database dies with it')
  return { DATABASE_URL: database.url, IPIC_TODAY: '2026-03-02', IPIC_DEMO: '0' }
}

async function ipic(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const result = await runIpic(args, env)
  if (result.code !== 0) throw new Error(`ipic ${args.join(' ')} exited ${result.code}:\n${result.stderr}`)
  return result
}

/** Polls until `found` says yes; false if the process ended first. */
async function until(found: () => Promise<boolean>, ended: () => boolean): Promise<boolean> {
  for (;;) {
    if (await found()) return true
    if (ended()) return false
    await sleep(5)
  }
}

/**
 * Waits until the server has ended the killed process's sessions, and with
 * them its locks and open transaction, as it does a moment after the socket closes.
 */
async function sessionsGone(database: TestDatabase): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where application_name = ${KILLED}`.execute(database.db)
    if (rows[0]?.n === 0) return
    if (Date.now() > deadline) throw new Error('the killed process’s sessions are still open after 30 s')
    await sleep(20)
  }
}

/**
 * Starts `args`, waits until `started` sees its work under way, kills it
 * with SIGKILL `delayMs` later, and waits for its sessions to end.
 */
async function killPartWay(
  database: TestDatabase,
  args: readonly string[],
  started: () => Promise<boolean>,
  delayMs: number,
): Promise<{ killed: boolean }> {
  const running = startIpic(args, { ...commandEnv(database), PGAPPNAME: KILLED })
  let ended = false
  void running.finished.then(() => {
    ended = true
  })
  if (await until(started, () => ended)) await sleep(delayMs)
  running.child.kill('SIGKILL')
  const end = await running.finished
  await sessionsGone(database)
  if (end.signal !== 'SIGKILL' && end.code !== 0)
    throw new Error(`ipic ${args.join(' ')} failed:\n${end.stderr}`)
  return { killed: end.signal === 'SIGKILL' }
}

/** A figure from a command's summary: "  Inserted:   1,000" or a column of the "Total" row. */
function figure(stdout: string, label: RegExp): number {
  const found = label.exec(stdout)?.[1]
  return found === undefined ? Number.NaN : Number(found.replace(/,/g, ''))
}

async function statuses(database: TestDatabase, table: 'imports' | 'rule_runs'): Promise<string[]> {
  const rows = await database.db.selectFrom(table).select(['status', 'failure']).orderBy('id').execute()
  return rows.map((row) =>
    row.failure === INTERRUPTED_RUN_FAILURE ? `${row.status} (interrupted)` : row.status,
  )
}

/** The tasks are none at all, or all a clean run makes: a run commits its whole work or nothing. */
function wholeOrNothing(reference: readonly string[], tasks: readonly string[]): string[] {
  if (tasks.length === 0) return []
  const difference = taskDifference(reference, tasks)
  return difference ? [`the kill left part of a run’s work: ${difference}`] : []
}

/** A clean run of `args` on the database as it is: how long from its start being recorded to its end. */
async function timedRun(
  database: TestDatabase,
  args: readonly string[],
  table: 'imports' | 'rule_runs',
): Promise<number> {
  const running = startIpic(args, commandEnv(database))
  let ended = false
  void running.finished.then(() => {
    ended = true
  })
  await until(
    async () => (await database.db.selectFrom(table).select('id').executeTakeFirst()) !== undefined,
    () => ended,
  )
  const from = performance.now()
  const end = await running.finished
  if (end.code !== 0) throw new Error(`ipic ${args.join(' ')} failed:\n${end.stderr}`)
  return performance.now() - from
}

/**
 * Where an import's kill falls: anywhere from its start to its end; just
 * after its first batch committed, while later ones are written; or once
 * the rule run after it has started.
 */
const IMPORT_MOMENTS = ['batches', 'rule run', 'anywhere'] as const
type ImportMoment = (typeof IMPORT_MOMENTS)[number]

async function reached(database: TestDatabase, moment: ImportMoment): Promise<boolean> {
  const table = moment === 'anywhere' ? 'imports' : moment === 'batches' ? 'persons' : 'rule_runs'
  const { rows } = await sql<{
    found: boolean
  }>`select exists (select from ${sql.table(table)}) as found`.execute(database.db)
  return rows[0]?.found === true
}

/** `ipic import FILE`, killed part-way through its batches or the rule run after them, then run again. */
export async function importKillTrials(database: TestDatabase, options: KillOptions): Promise<TrialReport[]> {
  const { file } = options
  const env = commandEnv(database)
  await freshStart(database)
  const expectedMs = await timedRun(database, ['import', file], 'imports')
  const persons = await personSnapshot(database.db)
  const tasks = await taskSnapshot(database.db)
  options.say?.(
    `a clean import of ${persons.size} persons and its run take ${Math.round(expectedMs)} ms; ${tasks.length} tasks`,
  )
  const random = seededRandom(options.seed)
  const reports: TrialReport[] = []
  for (let trial = 1; trial <= options.trials; trial += 1) {
    await freshStart(database)
    // Each trial in turn strikes at a moment of its own kind, at a random point within it.
    const moment = IMPORT_MOMENTS[(trial - 1) % IMPORT_MOMENTS.length] as ImportMoment
    const delay = Math.round(
      random() * (moment === 'anywhere' ? expectedMs : moment === 'batches' ? 10 : 300),
    )
    const { killed } = await killPartWay(database, ['import', file], () => reached(database, moment), delay)
    const problems: string[] = []

    const stored = await personSnapshot(database.db)
    problems.push(...personDifferences(persons, stored))
    if (stored.size % DEFAULT_BATCH_SIZE !== 0 && stored.size !== persons.size) {
      problems.push(`${stored.size} persons stored: not a whole number of batches of ${DEFAULT_BATCH_SIZE}`)
    }
    const tasksLeft = await taskSnapshot(database.db)
    problems.push(...wholeOrNothing(tasks, tasksLeft))
    problems.push(...(await taskLogProblems(database.db, { createdByRules: true })))
    const leftBehind = `${moment}: ${killed ? '' : 'finished before the kill; '}${stored.size} persons, ${tasksLeft.length} tasks, import ${(await statuses(database, 'imports')).join(', ')}, runs ${(await statuses(database, 'rule_runs')).join(', ') || 'none'}`

    const rerun = await ipic(['import', file], env)
    const inserted = figure(rerun.stdout, /Inserted:\s+([\d,]+)/)
    const unchanged = figure(rerun.stdout, /Unchanged:\s+([\d,]+)/)
    if (inserted !== persons.size - stored.size || unchanged !== stored.size) {
      problems.push(
        `the re-run inserted ${inserted} and left ${unchanged} unchanged; ${persons.size - stored.size} and ${stored.size} expected`,
      )
    }
    const after = await personSnapshot(database.db)
    if (after.size !== persons.size)
      problems.push(`${after.size} persons after the re-run, ${persons.size} expected`)
    problems.push(...personDifferences(persons, after))
    const difference = taskDifference(tasks, await taskSnapshot(database.db))
    if (difference) problems.push(`after the re-run: ${difference}`)
    problems.push(...(await taskLogProblems(database.db, { createdByRules: true })))
    problems.push(...(await unfinishedWork(database)))
    const jobs = await jobStates(database)
    reports.push({
      trial,
      killedAfterMs: delay,
      leftBehind: `${leftBehind}; rule-run jobs ${jobs}`,
      problems,
    })
    options.say?.(
      `trial ${trial}: killed ${delay} ms in; ${leftBehind}; rule-run jobs ${jobs}; ${problems.length} problems`,
    )
  }
  return reports
}

/**
 * The rule-run jobs on the queue by state, e.g. "2 completed, 1 running": a
 * job whose worker was killed shows as running until another worker's upkeep
 * finds its heartbeat stopped and retries it (src/jobs, IPIC_JOB_HEARTBEAT_SECONDS).
 */
async function jobStates(database: TestDatabase): Promise<string> {
  const jobs = await new JobList(database.db).recent({ limit: 1000 })
  const counts = new Map<string, number>()
  for (const job of jobs) if (job.kind === 'rule-run') counts.set(job.state, (counts.get(job.state) ?? 0) + 1)
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ') || 'none'
}

/** `ipic rules run` over an imported caseload, killed part-way, then run again. */
export async function ruleRunKillTrials(
  database: TestDatabase,
  options: KillOptions,
): Promise<TrialReport[]> {
  const env = commandEnv(database)
  await freshStart(database)
  await ipic(['import', '--no-rules', options.file], env)
  const expectedMs = await timedRun(database, ['rules', 'run'], 'rule_runs')
  const tasks = await taskSnapshot(database.db)
  options.say?.(`a clean rule run takes ${Math.round(expectedMs)} ms and recommends ${tasks.length} tasks`)
  const random = seededRandom(options.seed)
  const reports: TrialReport[] = []
  for (let trial = 1; trial <= options.trials; trial += 1) {
    await sql`truncate tasks, task_events, rule_runs restart identity cascade`.execute(database.db)
    await publishRulesIn(database.db, RULES_DIR)
    const delay = Math.round(random() * expectedMs)
    const started = async () =>
      (await database.db.selectFrom('rule_runs').select('id').executeTakeFirst()) !== undefined
    const { killed } = await killPartWay(database, ['rules', 'run'], started, delay)
    const problems: string[] = []
    const tasksLeft = await taskSnapshot(database.db)
    problems.push(...wholeOrNothing(tasks, tasksLeft))
    problems.push(...(await taskLogProblems(database.db, { createdByRules: true })))
    const runs = await statuses(database, 'rule_runs')
    const leftBehind = `${killed ? '' : 'finished before the kill; '}${tasksLeft.length} tasks, runs ${runs.join(', ') || 'none'}`

    const rerun = await ipic(['rules', 'run'], env)
    if (/^Total/m.test(rerun.stdout)) {
      const made = figure(rerun.stdout, /^Total\s+([\d,]+)/m)
      const kept = figure(rerun.stdout, /^Total\s+[\d,]+\s+([\d,]+)/m)
      const expected = tasksLeft.length === 0 ? [tasks.length, 0] : [0, tasks.length]
      if (made !== expected[0] || kept !== expected[1]) {
        problems.push(
          `the re-run made ${made} new tasks and kept ${kept}; ${expected[0]} and ${expected[1]} expected`,
        )
      }
    } else if (tasksLeft.length === 0 || !/ 0 persons evaluated/.test(rerun.stdout)) {
      // Only after a run that committed may the next have nobody to evaluate (nothing changed since).
      problems.push(`the re-run counted nothing: ${rerun.stdout.trim()}`)
    }
    const difference = taskDifference(tasks, await taskSnapshot(database.db))
    if (difference) problems.push(`after the re-run: ${difference}`)
    problems.push(...(await taskLogProblems(database.db, { createdByRules: true })))
    problems.push(...(await unfinishedWork(database)))
    const killedRun = (await statuses(database, 'rule_runs'))[0]
    if (runs[0] === 'RUNNING' && killedRun !== 'FAILED (interrupted)') {
      problems.push(`the killed run is ${killedRun} after the re-run, not FAILED as interrupted`)
    }
    reports.push({ trial, killedAfterMs: delay, leftBehind, problems })
    options.say?.(`trial ${trial}: killed ${delay} ms in; ${leftBehind}; ${problems.length} problems`)
  }
  return reports
}

/** Imports or runs still RUNNING after the re-run finished: the killed one should have been recorded as failed. */
async function unfinishedWork(database: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ what: string }>`
    select 'import ' || id as what from imports where status = 'RUNNING'
    union all select 'rule run ' || id from rule_runs where status = 'RUNNING'`.execute(database.db)
  return rows.map((row) => `${row.what} is still RUNNING after the re-run`)
}
