/**
 * `npm run bench:api [-- --persons 100000 --duration 10 --connections 10 --profile realistic|stress --no-events]`:
 * the JSON API under load on PostgreSQL, beside the same operations
 * through the pages in the same run.
 *
 * Fills its own database (ipic_bench_api_<profile>) as the web benchmark
 * does (bench/support/web-fixture.ts), starts the server in a child
 * process, and then, with 10 concurrent clients (one signed-in caseworker
 * per connection for the pages, one registered API client with a token for
 * the API), drives:
 *
 *   - a search: the results page's first page, and GET /api/v1/tasks with
 *     the same criteria and the same hundred tasks;
 *   - decisions: the accept form's post, and POST /api/v1/tasks/{id}/decision
 *     (accept, for the connection's caseworker), every request a different
 *     task, each half of the region's tasks kept for one of the two.
 *
 * Prints requests/s, p50/p95/p99 and CPU per request of each, and the
 * API's figures as a ratio of the pages'. Then runs the decision events'
 * benchmark (bench/api-events.ts), unless --no-events.
 */
import { spawn } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { AutocannonRequest } from 'autocannon'
import pg from 'pg'
import { API_SCOPES } from '../src/access/api-scopes.ts'
import { MachineClients } from '../src/access/machine-clients.ts'
import { clockFixedTo } from '../src/clock.ts'
import { addDays } from '../src/dates.ts'
import { openDatabase } from '../src/db/connect.ts'
import { paths } from '../src/web/paths.ts'
import { type Measured, measure } from './support/load-measure.ts'
import { benchProfile, PROFILE_OPTION, profileLine } from './support/profiles.ts'
import {
  BENCH_PASSWORD,
  BENCH_REGION,
  BENCH_TODAY,
  caseloadDatabase,
  printTable,
  startBenchServer,
  whole,
} from './support/web-fixture.ts'
import { expectPage, PROXY, type Session, signIn } from './support/web-session.ts'

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    /** Keep the database from the last run with the same --persons (skips the fill; decided tasks stay decided). */
    reuse: { type: 'boolean', default: false },
    'no-events': { type: 'boolean', default: false },
    ...PROFILE_OPTION,
  },
})
const PROFILE = benchProfile(values.profile)
const BENCH_DATABASE = `ipic_bench_api_${PROFILE}`

interface ApiCredentials {
  readonly authorization: string
}

/** One API client per connection, with every scope in LSE, and a token for it from the token endpoint. */
async function apiClients(baseUrl: string, benchUrl: string, count: number): Promise<ApiCredentials[]> {
  const database = await openDatabase({ kind: 'postgres', url: benchUrl }, { poolSize: 2 })
  try {
    const clients = new MachineClients({ db: database.db, clock: clockFixedTo(BENCH_TODAY) })
    const credentials: ApiCredentials[] = []
    for (let i = 1; i <= count; i++) {
      const added = await clients.add(
        {
          name: `Bench client ${i}`,
          scopes: API_SCOPES,
          regions: { all: false, codes: [BENCH_REGION] },
          providerClientId: undefined,
        },
        { userId: null, through: 'command', account: 'bench' },
      )
      if (!added.ok || !added.added.secret) throw new Error('the bench client was not added')
      const basic = Buffer.from(`${added.added.client.clientId}:${added.added.secret}`).toString('base64')
      const response = await fetch(`${baseUrl}/api/v1/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...PROXY,
        },
        body: 'grant_type=client_credentials',
      })
      if (!response.ok)
        throw new Error(`the token endpoint answered ${response.status}: ${await response.text()}`)
      const { access_token: token } = (await response.json()) as { access_token: string }
      credentials.push({ authorization: `Bearer ${token}` })
    }
    return credentials
  } finally {
    await database.close()
  }
}

async function runBenchmark(): Promise<void> {
  const persons = whole('persons', values.persons)
  const duration = whole('duration', values.duration)
  const connections = whole('connections', values.connections)
  const benchUrl = await caseloadDatabase({
    name: BENCH_DATABASE,
    persons,
    users: connections,
    profile: PROFILE,
    reuse: values.reuse,
  })
  const server = await startBenchServer(benchUrl)
  try {
    await runScenarios(server.baseUrl, server.pid, benchUrl, { persons, duration, connections })
  } finally {
    server.stop()
  }
  if (!values['no-events']) await runEventsBenchmark(join(import.meta.dirname, 'api-events.ts'))
}

function runEventsBenchmark(script: string): Promise<void> {
  process.stdout.write('\nDecision events (bench/api-events.ts):\n')
  const child = spawn(process.execPath, [script], { stdio: 'inherit' })
  return new Promise((done, fail) =>
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`bench/api-events.ts exited with ${code}`)),
    ),
  )
}

/** The region's recommended tasks, in two halves: one for the pages' decisions, one for the API's. */
async function tasksToDecide(benchUrl: string): Promise<{ pages: number[]; api: number[]; types: string[] }> {
  const db = new pg.Client({ connectionString: benchUrl })
  await db.connect()
  try {
    const types = (await db.query('select code from task_types where active order by position')).rows.map(
      (r) => r.code as string,
    )
    const ids = (
      await db.query(
        `select id from tasks where rom_region = $1 and status = 'RECOMMENDED' and version = 1 order by id`,
        [BENCH_REGION],
      )
    ).rows.map((r) => Number(r.id))
    return { pages: ids.filter((_, i) => i % 2 === 0), api: ids.filter((_, i) => i % 2 === 1), types }
  } finally {
    await db.end()
  }
}

async function runScenarios(
  baseUrl: string,
  serverPid: number,
  benchUrl: string,
  options: { persons: number; duration: number; connections: number },
): Promise<void> {
  const { connections, duration } = options
  const sessions: Session[] = []
  for (let i = 1; i <= connections; i++) sessions.push(await signIn(baseUrl, `bench-${i}`, BENCH_PASSWORD))
  const clients = await apiClients(baseUrl, benchUrl, connections)
  const toDecide = await tasksToDecide(benchUrl)
  const to = addDays(BENCH_TODAY, 27)
  const resultsPage = paths.reviewList(BENCH_REGION, 'recommended', {
    taskType: toDecide.types,
    from: BENCH_TODAY,
    to,
    country: [],
    location: '',
  })
  const apiSearch = `/api/v1/tasks?${new URLSearchParams({
    region: BENCH_REGION,
    taskTypes: toDecide.types.join(','),
    from: BENCH_TODAY,
    to,
    limit: '100',
  })}`

  process.stdout.write(
    `API benchmark: ${options.persons.toLocaleString('en-GB')} persons, ${connections} connections, ` +
      `${duration} s per search scenario, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}\n` +
      `${(toDecide.pages.length + toDecide.api.length).toLocaleString('en-GB')} recommended tasks in ${BENCH_REGION} to decide\n` +
      profileLine('bench:api', PROFILE),
  )
  // Each answers as expected before it is measured: a redirect or a problem is never timed as success.
  await expectPage(baseUrl, sessions[0] as Session, resultsPage, '/tasks/')
  const probe = await fetch(`${baseUrl}${apiSearch}`, {
    headers: { authorization: clients[0]?.authorization ?? '', ...PROXY },
  })
  if (probe.status !== 200) throw new Error(`the API search answered ${probe.status}: ${await probe.text()}`)

  const page = (i: number): Record<string, string> => ({ ...PROXY, cookie: sessions[i]?.cookie ?? '' })
  const bearer = (i: number): Record<string, string> => ({
    ...PROXY,
    authorization: clients[i]?.authorization ?? '',
  })
  const common = { baseUrl, serverPid, connections }
  const perConnection = Math.min(
    Math.floor(Math.min(toDecide.pages.length, toDecide.api.length) / connections),
    1000,
  )
  const decisions = (ids: number[], request: (id: number, i: number) => AutocannonRequest) => ({
    ...common,
    // A little under the tasks prepared: a connection that ran out would start again and time refusals.
    amount: Math.floor(perConnection * connections * 0.9),
    requestsFor: (i: number) =>
      ids
        .filter((_, n) => n % connections === i)
        .slice(0, perConnection)
        .map((id) => request(id, i)),
  })

  const pairs: [Measured, Measured][] = []
  pairs.push([
    await measure('Search, pages (results page 1)', {
      ...common,
      duration,
      requestsFor: (i) => [{ method: 'GET', path: resultsPage, headers: page(i) }],
    }),
    await measure('Search, API (first 100 tasks)', {
      ...common,
      duration,
      requestsFor: (i) => [{ method: 'GET', path: apiSearch, headers: bearer(i) }],
    }),
  ])
  pairs.push([
    await measure(
      'Accept, pages (form post)',
      decisions(toDecide.pages, (id, i) => ({
        method: 'POST',
        path: paths.taskDecision(id, 'accept'),
        headers: { ...page(i), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: sessions[i]?.csrfToken ?? '',
          version: '1',
          checksConfirmed: 'yes',
        }).toString(),
      })),
    ),
    await measure(
      'Accept, API (decision)',
      decisions(toDecide.api, (id, i) => ({
        method: 'POST',
        path: `/api/v1/tasks/${id}/decision`,
        headers: { ...bearer(i), 'content-type': 'application/json' },
        body: JSON.stringify({
          decision: 'accept',
          version: 1,
          decidedBy: `bench-${i + 1}`,
          checksConfirmed: true,
        }),
      })),
    ),
  ])

  const header = [
    'Scenario',
    'Requests',
    'Req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'Server CPU ms',
    'DB CPU ms',
    'KB',
    'Statuses',
  ]
  const row = (r: Measured) => [
    r.name,
    String(r.requests),
    r.perSecond.toFixed(0),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    r.serverCpuMs.toFixed(2),
    r.databaseCpuMs.toFixed(2),
    (r.bytesPerResponse / 1024).toFixed(1),
    r.statuses,
  ]
  printTable(header, pairs.flat().map(row))
  process.stdout.write('\nAPI ÷ pages, the same operation in the same run:\n')
  printTable(
    ['Operation', 'Req/s', 'p95', 'Server CPU per request'],
    pairs.map(([pages, api]) => [
      api.name.replace(/,.*/, ''),
      `${(api.perSecond / pages.perSecond).toFixed(2)}×`,
      `${(api.p95 / pages.p95).toFixed(2)}×`,
      `${(api.serverCpuMs / pages.serverCpuMs).toFixed(2)}×`,
    ]),
  )
  process.stdout.write(
    'CPU ms: per request, user and system time of the server process and of every PostgreSQL process on the\n' +
      'machine over the scenario. The pages render HTML for a signed-in session; the API answers JSON to a bearer token.\n',
  )
}

await runBenchmark()
