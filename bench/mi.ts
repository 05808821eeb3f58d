/**
 * `npm run bench:mi [-- --rows 1000000 --rounds 3]`: the MI report download on
 * PostgreSQL beside its reference, measured in the same run.
 *
 * Generates persons, tasks and `--rows` status updates with set-based SQL
 * (not timed), then starts the web server in a child process for each
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
import { SERVICE_NODE_FLAGS } from './support/node-flags.ts'
import { printTable, verdict } from './support/report.ts'

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
    await generate(database.pool as pg.Pool, rows)
    process.stdout.write(
      `Generated ${rows.toLocaleString('en-GB')} status updates in ${((performance.now() - generated) / 1000).toFixed(1)} s\n`,
    )

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
  } finally {
    await database.close()
  }
}

/**
 * A plausible national history: one person per four updates, one task per
 * two (a recommendation, then a decision, hold or withdrawal), spread over
 * the year with rejection reasons and explanations on the rejections.
 */
async function generate(pool: pg.Pool, rows: number): Promise<void> {
  const tasks = Math.ceil(rows / 2)
  const persons = Math.max(1, Math.ceil(rows / 4))
  const client = await pool.connect()
  try {
    await client.query(`
      insert into users (id, name, roles, regions)
      select 'cw' || g, 'Caseworker ' || g, array['CASEWORKER'], array[(array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + g % 6]]
      from generate_series(1, 60) g`)
    await client.query(
      `
      with places as (select array_agg(code order by code) as codes from reporting_locations),
      nations as (select array_agg(code order by code) as codes from countries)
      insert into persons (person_id, home_office_reference, family_name, given_names, date_of_birth, age_disputed,
        gender, nationality, rom_region, ice_region, red_notice, case_type, immigration_status, identified_for_removal,
        travel_document, etd_status, identity_status, reporting_location, reporting_type, reporting_frequency,
        next_reporting_date, next_reporting_date_2, next_reporting_date_3, missed_events_90_days, consecutive_missed,
        compliance, ever_out_of_contact, whereabouts, residence_condition, electronic_monitoring, curfew,
        foreign_national_offender, harm_level, deportation_order, on_licence, relationship, primary_carer, family_case,
        adult_at_risk_level, nrm_status, self_harm_risk, care_leaver, pregnant, em_contraindicated,
        content_hash, first_imported_at, data_changed_at)
      select 'P' || lpad(g::text, 8, '0'), 'HO/' || g, 'Family' || (g % 9973), 'Given' || (g % 4999),
        date '1960-01-01' + (g * 7919) % 20000, false, (array['M','F','X','U'])[1 + g % 4],
        nations.codes[1 + g % cardinality(nations.codes)], (array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + g % 6],
        (array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + g % 6], 'NONE', 'NON_ASYLUM', 'OVERSTAYER', false,
        'NONE', 'NOT_STARTED', 'VERIFIED', places.codes[1 + g % cardinality(places.codes)], 'IN_PERSON',
        (array['WEEKLY','MONTHLY','TWICE_WEEKLY'])[1 + g % 3], date '2027-01-04' + g % 60, date '2027-02-04' + g % 60,
        null, g % 3, g % 2, 'COMPLIANT', false, 'KNOWN', true, 'NONE', false, false, 'LOW', false, false,
        'SINGLE', false, false, 0, 'NONE', false, false, false, false,
        md5(g::text), timestamptz '2026-01-01', timestamptz '2026-01-01'
      from generate_series(1, $1::int) g, places, nations`,
      [persons],
    )
    await client.query(
      `insert into referrals (person_id, position, business_area, referred_on)
       select 'P' || lpad(g::text, 8, '0'), 1, 'RETURNS_PREPARATION', date '2025-12-01' + g % 30
       from generate_series(1, $1::int, 5) g`,
      [persons],
    )
    await client.query(
      `
      insert into tasks (person_id, task_type, rom_region, priority, status, version, rule_code, rule_set_version,
        explanation, created_at, status_changed_at)
      select 'P' || lpad((1 + g % $2::int)::text, 8, '0'),
        (array['FAILED_TO_REPORT','SAFEGUARDING','REPORTING_REVIEW','EM_REVIEW'])[1 + g % 4],
        (array['LSE','MEE','NEYH','NW','WSW','SNI'])[1 + (g % $2::int) % 6], g % 100, 'ACCEPTED', 2,
        (array['FAILED_TO_REPORT','SAFEGUARDING','REPORTING_REVIEW','EM_REVIEW'])[1 + g % 4], 'bench-v1', '{}'::jsonb,
        timestamptz '2026-01-01 08:00Z' + (g::float8 / $1::int) * interval '360 days',
        timestamptz '2026-01-01 08:00Z' + (g::float8 / $1::int) * interval '360 days' + interval '2 hours'
      from generate_series(1, $1::int) g`,
      [tasks, persons],
    )
    // Both updates of every task, the second a decision, a hold or a withdrawal; trimmed to exactly --rows.
    await client.query(
      `
      insert into task_events (task_id, task_version, status, occurred_at, user_id, run_id, rule_set_version, reasons,
        details, checks_confirmed)
      select t.id, v.version, v.status, t.created_at + (v.version - 1) * interval '2 hours',
        case when v.version = 2 and v.status <> 'WITHDRAWN' then 'cw' || (1 + t.id % 60) end,
        case when v.version = 1 or v.status = 'WITHDRAWN' then 1 end, 'bench-v1',
        case when v.status = 'REJECTED' then array['MEDICAL', 'SOURCE_DATA_INCORRECT'] end,
        case when v.status = 'REJECTED' then 'Explanation for task ' || t.id || ', with a comma' end,
        case when v.status in ('ACCEPTED', 'REJECTED') then true end
      from tasks t
        cross join lateral (values
          (1, 'RECOMMENDED'),
          (2, (array['ACCEPTED','REJECTED','ON_HOLD','WITHDRAWN'])[1 + t.id % 4])
        ) as v(version, status)
      where t.id * 2 - 2 + v.version <= $1::int`,
      [rows],
    )
    await client.query('analyze')
  } finally {
    client.release()
  }
}

interface Timing {
  readonly name: string
  readonly rows: number
  readonly seconds: number
  readonly bytes: number
  readonly peakRssMegabytes: number
  /** The server process's CPU time, start-up and sign-in included. */
  readonly cpuSeconds: number
}

type CopyTiming = Omit<Timing, 'peakRssMegabytes' | 'cpuSeconds'>

/** One round: the reference, then each download, one after the other. */
interface Round {
  readonly copy: CopyTiming
  readonly xlsx: Timing
  readonly csv: Timing
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

// Declared as functions, not constants: the benchmark runs (top-level await, above) before
// constants this far down the module would be initialised.
function shareOfCopy(download: Timing, copy: CopyTiming): number {
  return download.rows / download.seconds / (copy.rows / copy.seconds)
}

function perSecond(timing: CopyTiming): string {
  return Math.round(timing.rows / timing.seconds).toLocaleString('en-GB')
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

function medianRate(timings: readonly CopyTiming[]): number {
  return median(timings.map((timing) => timing.rows / timing.seconds))
}

/** The rows, the median seconds and the median rows/s of one kind of timing, over the rounds. */
function columns(timings: readonly CopyTiming[]): string[] {
  return [
    (timings[0]?.rows ?? 0).toLocaleString('en-GB'),
    median(timings.map((timing) => timing.seconds)).toFixed(2),
    Math.round(medianRate(timings)).toLocaleString('en-GB'),
  ]
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
