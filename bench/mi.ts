/**
 * `npm run bench:mi [-- --rows 1000000 --rounds 3 --profile realistic|stress|both]`:
 * the MI report download on PostgreSQL beside its reference, measured in the
 * same run, for each caseload profile (both by default: realistic, then stress).
 *
 * Generates persons, tasks and `--rows` status updates with set-based SQL
 * (not timed; the profile sets how many persons share them), then starts the web server in a child process for each
 * format, so that its peak RSS is that download's alone, signs in over HTTP
 * and downloads the whole range as Excel and as CSV. The reference is
 * `COPY (the same query) TO STDOUT` through pg: the fastest the server can
 * hand the same rows over.
 *
 * `--rounds` times (3 by default) it times the reference and then both
 * downloads, and prints each round's figures; this machine's speed drifts
 * by half within an hour, so a download is compared with the COPY of its own
 * round, and the summary gives the medians beside the targets (peak RSS: the
 * highest of any round), with the server's CPU time per row (steadier than
 * rows/s when the machine is shared).
 *
 * Uses its own database, ipic_bench_mi, on the server named by DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test), dropped and recreated.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { addUser } from '../src/access/users.ts'
import { clockFixedTo } from '../src/clock.ts'
import { loadConfig } from '../src/config.ts'
import type { IsoDate } from '../src/dates.ts'
import { openDatabase } from '../src/db/connect.ts'
import { prepareDatabase } from '../src/db/prepare.ts'
import { readReferenceData } from '../src/db/reference-data.ts'
import { createLogger } from '../src/logger.ts'
import { miReportQuery } from '../src/mi/report-query.ts'
import { buildServices } from '../src/services.ts'
import { buildApp } from '../src/web/app.ts'
import { paths } from '../src/web/paths.ts'
import { recreateBenchDatabase } from './support/database.ts'
import {
  type CopyTiming,
  columns,
  medianRate,
  percent,
  perSecond,
  type Round,
  shareOfCopy,
  type Timing,
} from './support/download-timings.ts'
import { printIndexUsage, settledIndexUsage } from './support/index-usage.ts'
import { generateMiHistory } from './support/mi-history.ts'
import { SERVICE_NODE_FLAGS } from './support/node-flags.ts'
import { benchProfiles, type CaseloadProfileName, PROFILE_OPTION } from './support/profiles.ts'
import { printTable, verdict } from './support/report.ts'
import { median } from './support/statistics.ts'

const ROOT = resolve(import.meta.dirname, '..')
const REFERENCE_DIR = join(ROOT, 'reference')
const BENCH_DATABASE = 'ipic_bench_mi'
const RANGE = { from: '2026-01-01' as IsoDate, to: '2026-12-31' as IsoDate }
const USER = { id: 'bench.analyst', password: 'bench-password-long-enough' }
const TARGETS = { xlsxRowsPerSecond: 50_000, csvShareOfCopy: 0.5, peakRssMegabytes: 300 }

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    /** Each round times the reference and then both downloads; the summary gives the medians. */
    rounds: { type: 'string', default: '3' },
    child: { type: 'boolean', default: false },
    url: { type: 'string' },
    ...PROFILE_OPTION,
  },
})

if (values.child) await serveInChild(values.url as string)
else await runBenchmark()

/** The child: the real web app on the bench database, reporting its port and, when asked, its peak RSS. */
async function serveInChild(url: string): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: url,
    IPIC_DEMO: '0',
    LOG_LEVEL: 'silent',
    IPIC_MI_MAX_DAYS: '366',
    IPIC_REFERENCE_DIR: REFERENCE_DIR,
    IPIC_RULES_DIR: join(ROOT, 'rules'),
  })
  const database = await openDatabase(config.database)
  const clock = clockFixedTo('2027-01-01' as IsoDate)
  const reference = await readReferenceData(config.referenceDir)
  const services = await buildServices({ config, clock, database, reference })
  const app = await buildApp({ config, clock, database, logger: createLogger('silent'), services })
  await app.listen({ port: 0, host: '127.0.0.1' })
  process.send?.({ port: (app.server.address() as AddressInfo).port })
  process.on('message', async () => {
    const usage = process.resourceUsage()
    process.send?.({
      maxRssKilobytes: usage.maxRSS,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1_000_000,
    } satisfies ServerUsage)
    await app.close()
    await database.close()
    process.disconnect?.()
  })
}

async function runBenchmark(): Promise<void> {
  for (const profile of benchProfiles(values.profile, 'both')) await measureProfile(profile)
}

/** One caseload profile's history, in a database made afresh, and its rounds of downloads. */
async function measureProfile(profile: CaseloadProfileName): Promise<void> {
  const rows = Number(values.rows)
  if (!Number.isInteger(rows) || rows < 10) throw new Error('--rows must be a whole number, at least 10')
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number, at least 1')
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
  const url = await recreateBenchDatabase(serverUrl, BENCH_DATABASE)
  const database = await openDatabase({ kind: 'postgres', url })
  try {
    await prepareDatabase(database.db, REFERENCE_DIR)
    await addUser(database.db, {
      id: USER.id,
      name: 'Bench analyst',
      roles: ['MI_ANALYST'],
      regions: 'all',
      password: USER.password,
    })
    const generated = performance.now()
    const persons = await generateMiHistory(database.pool as pg.Pool, rows, profile)
    process.stdout.write(
      `\n${profile} caseload: generated ${rows.toLocaleString('en-GB')} status updates ` +
        `of ${persons.toLocaleString('en-GB')} persons in ${((performance.now() - generated) / 1000).toFixed(1)} s\n`,
    )

    // The generator's connections are still open: the counts are taken once they have handed theirs over.
    const afterSetup = await settledIndexUsage(url)
    const idle = await idleServerUsage(url)
    const measured: Round[] = []
    for (let round = 1; round <= rounds; round++) {
      // The reference just before the downloads it is compared with: this machine's speed drifts.
      const copy = await timeCopy(database.pool as pg.Pool, database.db)
      const xlsx = await timeDownload(url, 'xlsx')
      const csv = await timeDownload(url, 'csv')
      for (const result of [xlsx, csv]) {
        if (result.rows !== rows)
          throw new Error(`The ${result.name} download had ${result.rows} rows, not ${rows}`)
      }
      measured.push({ copy, xlsx, csv })
      process.stdout.write(
        `Round ${round} of ${rounds}: COPY ${perSecond(copy)} rows/s; ` +
          `XLSX ${perSecond(xlsx)} rows/s, ${Math.round(xlsx.peakRssMegabytes)} MB; ` +
          `CSV ${perSecond(csv)} rows/s (${percent(shareOfCopy(csv, copy))} of this round's COPY), ` +
          `${Math.round(csv.peakRssMegabytes)} MB\n`,
      )
    }
    /** A download's row of the summary: medians, its median share of each round's COPY, its highest RSS. */
    const downloadRow = (name: string, format: 'xlsx' | 'csv') => {
      const timings = measured.map((round) => round[format])
      const rate = medianRate(timings)
      const share = median(measured.map((round) => shareOfCopy(round[format], round.copy)))
      const rss = Math.max(...timings.map((timing) => timing.peakRssMegabytes))
      const cpuPerRow = median(timings.map((timing) => (timing.cpuSeconds - idle.cpuSeconds) / rows))
      const rateMet = format === 'xlsx' ? rate >= TARGETS.xlsxRowsPerSecond : share >= TARGETS.csvShareOfCopy
      return [
        name,
        ...columns(timings),
        percent(share),
        String(Math.round(rss)),
        (cpuPerRow * 1_000_000).toFixed(1),
        (timings[0]?.bytes ?? 0).toLocaleString('en-GB'),
        verdict(rateMet, rss < TARGETS.peakRssMegabytes),
      ]
    }
    const copies = measured.map((round) => round.copy)
    process.stdout.write(
      `\nMedian of ${rounds} round${rounds === 1 ? '' : 's'}; "of COPY" is the median of each round's share of its own COPY; ` +
        'peak RSS is the highest of any round.\n',
    )
    printTable(
      [
        'download',
        'rows',
        'seconds',
        'rows/s',
        'of COPY',
        'peak RSS MB',
        'server CPU µs/row',
        'bytes',
        'targets (XLSX ≥50k/s; CSV ≥½ COPY; <300 MB)',
      ],
      [
        [
          'COPY … TO STDOUT (reference)',
          ...columns(copies),
          '100%',
          '–',
          '–',
          (copies[0]?.bytes ?? 0).toLocaleString('en-GB'),
          '–',
        ],
        downloadRow('XLSX over HTTP', 'xlsx'),
        downloadRow('CSV over HTTP', 'csv'),
      ],
    )
    process.stdout.write(
      `Peak RSS of a server that only signed in (the baseline under each download's figure): ${Math.round(idle.maxRssKilobytes / 1024)} MB\n`,
    )
    process.stdout.write(
      'Server CPU: user and system time of the server process (threads included), less that of one that only signed in;\n' +
        'steadier than rows/s on a busy machine, though not immune to it.\n',
    )
    process.stdout.write(`Load average ${loadavg()[0]?.toFixed(2)} at the end\n`)
    printIndexUsage(
      `Index scans (${profile}) while the history was generated, then during the rounds above`,
      [
        { label: 'generated', end: afterSetup },
        { label: 'rounds', end: await settledIndexUsage(url) },
      ],
    )
  } finally {
    await database.close()
  }
}

/** What a server child reports as it stops. */
interface ServerUsage {
  readonly maxRssKilobytes: number
  readonly cpuSeconds: number
}

/** The report's own SQL, parameters written in as literals (COPY takes none), through COPY. */
async function timeCopy(
  pool: pg.Pool,
  db: Parameters<ReturnType<typeof miReportQuery>['compile']>[0],
): Promise<CopyTiming> {
  const compiled = miReportQuery({ ...RANGE, scope: { all: true } }).compile(db)
  const text = compiled.sql.replace(/\$(\d+)/g, (_, index: string) => {
    const value = compiled.parameters[Number(index) - 1]
    return `'${String(value).replaceAll("'", "''")}'`
  })
  const client = await pool.connect()
  try {
    let bytes = 0
    let lines = 0
    const started = performance.now()
    await pipeline(
      client.query(copyTo(`copy (${text}) to stdout with (format csv, header)`)),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1
          done()
        },
      }),
    )
    return { name: 'COPY', rows: lines - 1, seconds: (performance.now() - started) / 1000, bytes }
  } finally {
    client.release()
  }
}

async function startServer(url: string): Promise<{ child: ChildProcess; origin: string }> {
  const child = fork(import.meta.filename, ['--child', '--url', url], {
    execArgv: [...SERVICE_NODE_FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const [message] = (await once(child, 'message')) as [{ port: number }]
  return { child, origin: `http://127.0.0.1:${message.port}` }
}

/** Signs in as a browser would: the form's CSRF token and cookie, then the session cookie. */
async function signIn(origin: string): Promise<string> {
  const form = await fetch(`${origin}${paths.signIn()}`)
  const html = await form.text()
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('The sign-in page has no CSRF token')
  const cookies = new Map<string, string>()
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const [name, ...value] = (pair ?? '').split('=')
      if (name) cookies.set(name, value.join('='))
    }
  }
  remember(form)
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  const signedIn = await fetch(`${origin}${paths.signIn()}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: token, userId: USER.id, password: USER.password }),
  })
  if (signedIn.status !== 303) throw new Error(`Sign-in failed with status ${signedIn.status}`)
  remember(signedIn)
  return header()
}

async function idleServerUsage(url: string): Promise<ServerUsage> {
  const { child, origin } = await startServer(url)
  await signIn(origin)
  child.send('report')
  const [message] = (await once(child, 'message')) as [ServerUsage]
  await Promise.race([once(child, 'exit'), new Promise((done) => setTimeout(done, 5000))])
  if (child.exitCode === null) child.kill()
  return message
}

async function timeDownload(url: string, format: 'xlsx' | 'csv'): Promise<Timing> {
  const { child, origin } = await startServer(url)
  try {
    const cookie = await signIn(origin)
    const started = performance.now()
    const response = await fetch(`${origin}${paths.miReportFile(format, RANGE)}`, { headers: { cookie } })
    if (response.status !== 200 || !response.body)
      throw new Error(`The ${format} download failed: ${response.status}`)
    let bytes = 0
    for await (const chunk of response.body) bytes += chunk.length
    const seconds = (performance.now() - started) / 1000
    const audit = new pg.Client({ connectionString: url })
    await audit.connect()
    let rows = -1
    try {
      // The server records the row count as the download ends; it may land just after the last byte.
      for (let attempt = 0; attempt < 100 && rows < 0; attempt += 1) {
        const result = await audit.query<{ rows: number | null }>(
          'select rows from mi_downloads where format = $1 order by id desc limit 1',
          [format],
        )
        if (result.rows[0]?.rows != null) rows = result.rows[0].rows
        else await new Promise((done) => setTimeout(done, 50))
      }
    } finally {
      await audit.end()
    }
    child.send('report')
    const [message] = (await once(child, 'message')) as [ServerUsage]
    return {
      name: format,
      rows,
      seconds,
      bytes,
      peakRssMegabytes: message.maxRssKilobytes / 1024,
      cpuSeconds: message.cpuSeconds,
    }
  } finally {
    if (child.exitCode === null) {
      await Promise.race([once(child, 'exit'), new Promise((done) => setTimeout(done, 5000))])
      if (child.exitCode === null) child.kill()
    }
  }
}
