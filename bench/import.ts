/**
 * `npm run bench:import [-- --sizes 100000,1000000 --profile realistic|stress|both]`:
 * the importer on PostgreSQL against its reference, measured in the same run.
 *
 * For each caseload profile (both by default: realistic, then stress) and
 * each size: a synthetic extract is generated (not timed), imported into
 * an empty database by a child process (so that its peak RSS is the import's
 * alone), and then it is measured against two references in the same run:
 *
 * - (c) the same work: every row the import wrote (persons, their lists,
 *   facts and facts history) copied with one COPY per table into the same
 *   tables, indexes and constraints, in a scratch database built by the
 *   migrations (support/import-copy-reference.ts). Issue 19's target: the
 *   import at 50% of its rate or more.
 * - the old reference: the person rows alone copied into a plain table with
 *   the persons columns and no constraints or indexes, the fastest the
 *   server can take the persons in; kept for comparison.
 *
 * Prints records/s, the ratio to each reference and peak RSS beside the
 * targets.
 *
 * Uses its own databases, ipic_bench_import and ipic_bench_import_copy (the
 * scratch for (c)), on the server named by DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), dropped and recreated at the start.
 */
import { spawn } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type pg from 'pg'
import { type ImportSummary, importExtract } from '../src/cases/import.ts'
import { clockFixedTo } from '../src/clock.ts'
import type { IsoDate } from '../src/dates.ts'
import { openDatabase } from '../src/db/connect.ts'
import { readReferenceData } from '../src/db/reference-data.ts'
import type { SameWorkTiming } from './support/import-copy-reference.ts'
import { SERVICE_NODE_FLAGS } from './support/node-flags.ts'
import { cpuMillisecondsNowOf } from './support/process-cpu.ts'
import { benchProfiles, PROFILE_OPTION } from './support/profiles.ts'
import { printTable, verdict } from './support/report.ts'

const ROOT = resolve(import.meta.dirname, '..')
const REFERENCE_DIR = join(ROOT, 'reference')
const BENCH_DATABASE = 'ipic_bench_import'
const SAME_WORK_DATABASE = 'ipic_bench_import_copy'
const TODAY = '2026-03-02' as IsoDate
const SEED = 7

const TARGETS = {
  recordsPerSecond: 50_000,
  shareOfSameWork: 1 / 2,
  shareOfCopy: 1 / 3,
  peakRssMegabytes: 300,
}

interface ChildResult {
  summary: ImportSummary
  maxRssKilobytes: number
  /** CPU time of the server backends the import used: steadier than its duration on a shared machine. */
  serverCpuSeconds: number
  /** CPU time of the import's own process: reading, checking and encoding the records. */
  clientCpuSeconds: number
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    'batch-size': { type: 'string' },
    child: { type: 'boolean', default: false },
    url: { type: 'string' },
    file: { type: 'string' },
    ...PROFILE_OPTION,
  },
})

if (values.child) {
  await runChildImport(values.url as string, values.file as string, values['batch-size'])
} else {
  await runBenchmark()
}

/** The import alone, in a process of its own: prints its summary and peak RSS as JSON. */
async function runChildImport(url: string, file: string, batchSize: string | undefined): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 2 })
  let serverCpuMilliseconds = 0
  const atAcquire = new Map<number, number>()
  // The import closes its connection when it is done: each backend is read as its client is released.
  database.pool?.on('acquire', (client) => {
    const pid = backendPid(client)
    atAcquire.set(pid, cpuMillisecondsNowOf(pid))
  })
  database.pool?.on('release', (_error, client) => {
    const pid = backendPid(client)
    serverCpuMilliseconds += cpuMillisecondsNowOf(pid) - (atAcquire.get(pid) ?? 0)
  })
  try {
    const reference = await readReferenceData(REFERENCE_DIR)
    const summary = await importExtract(database, {
      file,
      full: false,
      clock: clockFixedTo(TODAY),
      reference,
      ...(batchSize ? { batchSize: Number(batchSize) } : {}),
    })
    const result: ChildResult = {
      summary,
      maxRssKilobytes: process.resourceUsage().maxRSS,
      serverCpuSeconds: serverCpuMilliseconds / 1000,
      clientCpuSeconds: cpuSecondsOf(process.cpuUsage()),
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await database.close()
  }
}

function cpuSecondsOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6
}

/** The server process serving a pooled client (pg sets it at connection, without a type for it). */
function backendPid(client: pg.PoolClient): number {
  return (client as unknown as { processID: number }).processID
}

async function runBenchmark(): Promise<void> {
  // Loaded here, not at the top, so that the child's peak RSS holds none of the generator.
  const { default: pg } = await import('pg')
  const { writeExtract } = await import('../src/cases/generate.ts')
  const { prepareDatabase } = await import('../src/db/prepare.ts')
  const { BENCH_SERVER_URL: serverUrl, recreateBenchDatabase } = await import('./support/database.ts')
  const { SameWorkCopy } = await import('./support/import-copy-reference.ts')
  const sizes = (values.sizes ?? '').split(',').map((size) => Number(size.trim()))
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(`--sizes must be whole numbers separated by commas (got "${values.sizes}")`)
  }
  const runs = benchProfiles(values.profile, 'both').flatMap((profile) =>
    sizes.map((persons) => ({ profile, persons })),
  )
  const benchUrl = await recreateBenchDatabase(serverUrl, BENCH_DATABASE)
  const database = await openDatabase({ kind: 'postgres', url: benchUrl }, { poolSize: 2 })
  const reference = (await prepareDatabase(database.db, REFERENCE_DIR)).reference
  await database.close()

  const sameWork = await SameWorkCopy.create(serverUrl, SAME_WORK_DATABASE, REFERENCE_DIR)
  const client = new pg.Client({ connectionString: benchUrl })
  await client.connect()
  const scratch = await mkdtemp(join(tmpdir(), 'ipic-bench-import-'))
  try {
    const [{ server_version: version }] = (await client.query('show server_version')).rows
    process.stdout.write(
      `Import benchmark on PostgreSQL ${version}, ${availableParallelism()} cores, ` +
        `load average ${loadavg()[0]?.toFixed(2)} at the start\n`,
    )
    const rows: string[][] = []
    const breakdowns: string[] = []
    for (const { profile, persons } of runs) {
      const file = join(scratch, `extract-${persons}.ndjson`)
      const { bytes } = await writeExtract(file, { persons, seed: SEED, today: TODAY, reference, profile })
      await emptyCaseTables(client)
      const child = await importInChild(benchUrl, file, values['batch-size'])
      const importRate = persons / child.summary.seconds
      if (child.summary.inserted !== persons) {
        throw new Error(`Expected ${persons} persons inserted, got ${JSON.stringify(child.summary)}`)
      }
      const sameWorkTiming = await sameWork.time(client, scratch)
      const sameWorkRate = persons / sameWorkTiming.seconds
      breakdowns.push(
        `${profile} ${persons.toLocaleString('en-GB')}: import ${child.summary.seconds.toFixed(1)} s, ` +
          `server CPU ${child.serverCpuSeconds.toFixed(1)} s, its own CPU ${child.clientCpuSeconds.toFixed(1)} s; (c) ${describeTiming(sameWorkTiming)}; ` +
          `server CPU import ÷ (c) ${percentOf(child.serverCpuSeconds, sameWorkTiming.serverCpuSeconds)}`,
      )
      const copySeconds = await timeReferenceCopy(client, join(scratch, `persons-${persons}.copy`))
      const copyRate = persons / copySeconds
      const rssMegabytes = child.maxRssKilobytes / 1024
      rows.push([
        profile,
        persons.toLocaleString('en-GB'),
        `${(bytes / 1e6).toFixed(0)} MB`,
        `${child.summary.seconds.toFixed(1)} s`,
        rate(importRate),
        rate(sameWorkRate),
        percent(importRate / sameWorkRate),
        rate(copyRate),
        percent(importRate / copyRate),
        `${rssMegabytes.toFixed(0)} MB`,
        verdict(
          importRate >= TARGETS.recordsPerSecond,
          importRate / sameWorkRate >= TARGETS.shareOfSameWork,
          importRate / copyRate >= TARGETS.shareOfCopy,
          rssMegabytes < TARGETS.peakRssMegabytes,
        ),
      ])
      await rm(file, { force: true })
    }
    printTable(
      [
        'caseload',
        'persons',
        'extract',
        'import',
        'import rec/s',
        '(c) same-work COPY persons/s',
        'of (c)',
        'bare COPY rows/s',
        'of bare',
        'peak RSS',
        'targets (≥50k/s, ≥½ (c), ≥⅓ bare, <300 MB)',
      ],
      rows,
    )
    process.stdout.write(
      `Where the time went (seconds; server CPU is steadier than time when others share the cores):\n${breakdowns.map((line) => `  ${line}\n`).join('')}`,
    )
    process.stdout.write(`Load average ${loadavg()[0]?.toFixed(2)} at the end\n`)
  } finally {
    await client.end()
    await sameWork.close()
    await rm(scratch, { recursive: true, force: true })
  }
}

async function emptyCaseTables(client: pg.Client): Promise<void> {
  await client.query(
    `truncate persons, barriers, offences, children, vulnerability_indicators, referrals,
       person_facts, person_facts_history, imports, import_seen restart identity`,
  )
  await client.query('drop table if exists bench_copy_reference')
  await client.query('checkpoint')
}

function importInChild(url: string, file: string, batchSize: string | undefined): Promise<ChildResult> {
  const args = [import.meta.filename, '--child', '--url', url, '--file', file]
  if (batchSize) args.push('--batch-size', batchSize)
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', fail)
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`The import exited with code ${code}`))
      done(JSON.parse(output.trim().split('\n').at(-1) ?? '') as ChildResult)
    })
  })
}

/**
 * The reference: the person rows the import wrote, exported to a file, then
 * timed as they are copied back into a plain table with the same columns.
 */
async function timeReferenceCopy(client: pg.Client, file: string): Promise<number> {
  const { from: copyFrom, to: copyTo } = await import('pg-copy-streams')
  const { PERSON_COLUMNS } = await import('../src/cases/person-rows.ts')
  const columns = PERSON_COLUMNS.join(', ')
  await pipeline(
    client.query(copyTo(`copy (select ${columns}, content_hash from persons) to stdout`)),
    createWriteStream(file),
  )
  await client.query(
    `create table bench_copy_reference as select ${columns}, content_hash from persons with no data`,
  )
  await client.query('checkpoint')
  const size = (await stat(file)).size
  const started = performance.now()
  await pipeline(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    client.query(copyFrom(`copy bench_copy_reference (${columns}, content_hash) from stdin`)),
  )
  const seconds = (performance.now() - started) / 1000
  await rm(file, { force: true })
  if (size === 0) throw new Error('The reference COPY had no rows to copy')
  return seconds
}

function describeTiming(timing: SameWorkTiming): string {
  const tables = [...timing.secondsByTable].map(([table, seconds]) => `${table} ${seconds.toFixed(2)}`)
  return `${timing.seconds.toFixed(1)} s (${tables.join(', ')}), server CPU ${timing.serverCpuSeconds.toFixed(1)} s`
}

function percentOf(part: number, whole: number): string {
  return percent(part / whole)
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)} %`
}

function rate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-GB')
}
