/**
 * `npm run bench:import [-- --sizes 100000,1000000 --profile realistic|stress|both]`:
 * the importer on PostgreSQL against its reference, measured in the same run.
 *
 * For each caseload profile (both by default: realistic, then stress) and
 * each size: a synthetic extract is generated (not timed), imported into
 * an empty database by a child process (so that its peak RSS is the import's
 * alone), and then the same person rows are copied with a bare COPY into a
 * plain table with the persons columns and no constraints or indexes: the
 * fastest the server can take the rows in. Prints records/s, the ratio to
 * COPY and peak RSS beside the targets.
 *
 * Uses its own database, ipic_bench_import, on the server named by
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped and
 * recreated at the start.
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
import { SERVICE_NODE_FLAGS } from './support/node-flags.ts'
import { benchProfiles, PROFILE_OPTION } from './support/profiles.ts'
import { printTable, verdict } from './support/report.ts'

const ROOT = resolve(import.meta.dirname, '..')
const REFERENCE_DIR = join(ROOT, 'reference')
const BENCH_DATABASE = 'ipic_bench_import'
const TODAY = '2026-03-02' as IsoDate
const SEED = 7

const TARGETS = { recordsPerSecond: 50_000, shareOfCopy: 1 / 3, peakRssMegabytes: 300 }

interface ChildResult {
  summary: ImportSummary
  maxRssKilobytes: number
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
  try {
    const reference = await readReferenceData(REFERENCE_DIR)
    const summary = await importExtract(database, {
      file,
      full: false,
      clock: clockFixedTo(TODAY),
      reference,
      ...(batchSize ? { batchSize: Number(batchSize) } : {}),
    })
    const result: ChildResult = { summary, maxRssKilobytes: process.resourceUsage().maxRSS }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await database.close()
  }
}

async function runBenchmark(): Promise<void> {
  // Loaded here, not at the top, so that the child's peak RSS holds none of the generator.
  const { default: pg } = await import('pg')
  const { writeExtract } = await import('../src/cases/generate.ts')
  const { prepareDatabase } = await import('../src/db/prepare.ts')
  const { BENCH_SERVER_URL: serverUrl, recreateBenchDatabase } = await import('./support/database.ts')
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
    for (const { profile, persons } of runs) {
      const file = join(scratch, `extract-${persons}.ndjson`)
      const { bytes } = await writeExtract(file, { persons, seed: SEED, today: TODAY, reference, profile })
      await emptyCaseTables(client)
      const child = await importInChild(benchUrl, file, values['batch-size'])
      const importRate = persons / child.summary.seconds
      if (child.summary.inserted !== persons) {
        throw new Error(`Expected ${persons} persons inserted, got ${JSON.stringify(child.summary)}`)
      }
      const copySeconds = await timeReferenceCopy(client, join(scratch, `persons-${persons}.copy`))
      const copyRate = persons / copySeconds
      const rssMegabytes = child.maxRssKilobytes / 1024
      rows.push([
        profile,
        persons.toLocaleString('en-GB'),
        `${(bytes / 1e6).toFixed(0)} MB`,
        `${child.summary.seconds.toFixed(1)} s`,
        rate(importRate),
        rate(copyRate),
        `${((importRate / copyRate) * 100).toFixed(0)} %`,
        `${rssMegabytes.toFixed(0)} MB`,
        verdict(
          importRate >= TARGETS.recordsPerSecond,
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
        'COPY rows/s',
        'of COPY',
        'peak RSS',
        'targets (≥50k/s, ≥⅓ COPY, <300 MB)',
      ],
      rows,
    )
    process.stdout.write(`Load average ${loadavg()[0]?.toFixed(2)} at the end\n`)
  } finally {
    await client.end()
    await rm(scratch, { recursive: true, force: true })
  }
}

async function emptyCaseTables(client: pg.Client): Promise<void> {
  await client.query(
    'truncate persons, barriers, offences, children, vulnerability_indicators, referrals, imports, import_seen restart identity',
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

function rate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-GB')
}
