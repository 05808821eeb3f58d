/**
 * What the benchmarks of the server (web, api) share: a database filled
 * with a synthetic caseload through the real importer and rule run, with
 * caseworkers to sign in as; the server started alone in a child process
 * (bench/web.ts --serve), so the load generator does not share its event
 * loop; and the table their figures are printed in.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import type { CaseloadProfileName } from '../../src/cases/synthetic/profile.ts'
import { clockFixedTo } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { prepareDatabase } from '../../src/db/prepare.ts'
import { BENCH_SERVER_URL, benchDatabaseUrl, recreateBenchDatabase } from './database.ts'
import { SERVICE_NODE_FLAGS } from './node-flags.ts'
import { publishForBench } from './publish.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')
export const BENCH_TODAY = '2026-03-02' as IsoDate
export const BENCH_REGION = 'LSE'
export const BENCH_PASSWORD = 'bench-password-not-secret'
const SEED = 11

export function whole(name: string, value: string | undefined): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number (got "${value}")`)
  return n
}

async function personCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return Number((await client.query('select count(*) as n from persons')).rows[0].n)
  } catch {
    return -1
  } finally {
    await client.end()
  }
}

/**
 * The URL of the bench database `name` on the bench server, filled with
 * `persons` of the profile and `users` caseworkers; with `reuse`, the one the
 * last run left is kept when it holds as many persons (decided tasks stay decided).
 */
export async function caseloadDatabase(options: {
  readonly name: string
  readonly persons: number
  readonly users: number
  readonly profile: CaseloadProfileName
  readonly reuse: boolean
}): Promise<string> {
  const benchUrl = benchDatabaseUrl(BENCH_SERVER_URL, options.name)
  const reusable =
    options.reuse &&
    (await databaseExists(BENCH_SERVER_URL, options.name)) &&
    (await personCount(benchUrl)) === options.persons
  if (reusable)
    process.stdout.write(`Reusing ${options.name} with ${options.persons.toLocaleString('en-GB')} persons\n`)
  else await fillCaseload(BENCH_SERVER_URL, benchUrl, options)
  return benchUrl
}

/** Whether the database `name` exists on the server. */
async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1
  } finally {
    await client.end()
  }
}

/** Recreates `name` and fills it: `persons` generated persons, their tasks, and caseworkers bench-1… of LSE. */
async function fillCaseload(
  serverUrl: string,
  benchUrl: string,
  options: {
    readonly name: string
    readonly persons: number
    readonly users: number
    readonly profile: CaseloadProfileName
  },
): Promise<void> {
  // Loaded here, not at the top: the server child imports this module too, and should hold only what a server does.
  const [{ addUser }, { writeExtract }, { importExtract }, { loadRuleSet }, { runRules }] = await Promise.all(
    [
      import('../../src/access/users.ts'),
      import('../../src/cases/generate.ts'),
      import('../../src/cases/import.ts'),
      import('../../src/rules/load.ts'),
      import('../../src/tasks/rule-run.ts'),
    ],
  )
  await recreateBenchDatabase(serverUrl, options.name)
  const database = await openDatabase({ kind: 'postgres', url: benchUrl }, { poolSize: 4 })
  const scratch = await mkdtemp(join(tmpdir(), 'ipic-bench-web-'))
  try {
    const { reference } = await prepareDatabase(database.db, join(ROOT, 'reference'))
    const clock = clockFixedTo(BENCH_TODAY)
    const started = performance.now()
    const file = join(scratch, 'extract.ndjson')
    await writeExtract(file, {
      persons: options.persons,
      seed: SEED,
      today: BENCH_TODAY,
      reference,
      profile: options.profile,
    })
    const imported = await importExtract(database, { file, full: false, clock, reference })
    const ruleSet = await loadRuleSet(join(ROOT, 'rules'))
    await publishForBench(database.db, ruleSet, clock)
    await runRules(database.db, { ruleSet, clock, trigger: 'manual' })
    const tasks = await database.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst()
    process.stdout.write(
      `Filled ${imported.inserted.toLocaleString('en-GB')} persons and ${Number(tasks?.n ?? 0).toLocaleString('en-GB')} tasks ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    )
    for (let i = 1; i <= options.users; i++) {
      await addUser(database.db, {
        id: `bench-${i}`,
        name: `Bench Caseworker ${i}`,
        roles: ['CASEWORKER'],
        regions: [BENCH_REGION],
        password: BENCH_PASSWORD,
      })
    }
    await sql`analyze`.execute(database.db)
  } finally {
    await database.close()
    await rm(scratch, { recursive: true, force: true })
  }
}

/** The server on the database at `url`, alone in a child process, once it listens. */
export function startBenchServer(
  url: string,
): Promise<{ baseUrl: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [...SERVICE_NODE_FLAGS, join(ROOT, 'bench', 'web.ts'), '--serve', '--url', url],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return new Promise((done, fail) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        const { port } = JSON.parse(line) as { port: number }
        const exited = new Promise<void>((stopped) => child.once('exit', () => stopped()))
        // Resolves once the server has closed its connections to the database.
        const stop = () => {
          child.kill('SIGTERM')
          return exited
        }
        done({ baseUrl: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop })
      }
    })
    child.on('exit', (code) => fail(new Error(`the server exited with ${code} before listening`)))
  })
}

/** Rows under a header, each column as wide as its widest cell. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]?.length ?? 0)))
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')}\n`)
  }
}
