/**
 * `npm run bench:soak [-- --persons 20000 --clients 20 --seconds 60 --profile realistic|stress]`: a
 * mixed caseworker workload (bench/support/soak-workload.ts) for a fixed
 * time against two `ipic serve` instances behind nginx (deploy/nginx as
 * shipped), beside the same workload for the same time against one
 * instance, in the same run, on loopback.
 *
 * It fills its own database (ipic_bench_soak on the server named by
 * DATABASE_URL, dropped and made afresh) as an operator would: `ipic
 * generate`, `ipic migrate`, `ipic rules publish`, `ipic import`. Each phase
 * decides its own half of the region's recommended tasks, so both do the
 * same work, after an unmeasured warm-up. Prints throughput, p50/p95/p99 per
 * kind of request, the errors (there must be none), and each instance's
 * memory (RSS) over the phase, which must stay flat.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { addUser } from '../src/access/users.ts'
import { addDays, type IsoDate } from '../src/dates.ts'
import { openDatabase } from '../src/db/connect.ts'
import { lastPage } from '../src/review/lists.ts'
import { type Instance, nginxInstalled, startInstance, startNginx } from '../test/support/instances.ts'
import { runIpic } from '../test/support/ipic-command.ts'
import { TEST_PASSWORD } from '../test/support/web.ts'
import { BENCH_SERVER_URL, recreateBenchDatabase } from './support/database.ts'
import { benchProfile, PROFILE_OPTION, profileLine } from './support/profiles.ts'
import { REQUEST_KINDS, runWorkload, type Tally, type Workload } from './support/soak-workload.ts'
import { median, percentile } from './support/statistics.ts'

const TODAY = '2026-03-02' as IsoDate
const REGION = 'LSE'
/** The search's last reporting date: four weeks from today, as the longest range allows. */
const TO = addDays(TODAY, 27)
const ROOT = resolve(import.meta.dirname, '..')
/** How often each instance's memory is read. */
const MEMORY_EVERY_MS = 2000

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '20000' },
    clients: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '60' },
    ...PROFILE_OPTION,
  },
})
/** One profile a run (realistic unless told): two phases of a minute each leave no time for both. */
const profile = benchProfile(values.profile)
const whole = (name: string, text: string | undefined): number => {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--${name} must be a whole number above 0, not ${text}`)
  return n
}
const persons = whole('persons', values.persons)
const clients = whole('clients', values.clients)
const seconds = whole('seconds', values.seconds)

if (!nginxInstalled())
  throw new Error('the soak benchmark needs nginx at /usr/sbin/nginx (apt-get install nginx)')

const url = await recreateBenchDatabase(BENCH_SERVER_URL, 'ipic_bench_soak')
const env = { DATABASE_URL: url, IPIC_TODAY: TODAY, IPIC_DEMO: '0' }
const folder = await mkdtemp(join(tmpdir(), 'ipic-soak-'))
try {
  const { tasks, taskTypes, inSearch } = await fill(folder)
  const laterPages = Math.min(4, lastPage(inSearch) - 1)
  if (laterPages < 1) {
    throw new Error(
      `the search finds ${inSearch} tasks in ${REGION}, one page: the workload needs a later page (more --persons)`,
    )
  }
  const half = Math.floor(tasks.length / 2)
  process.stdout.write(
    `Soak benchmark: ${persons.toLocaleString('en-GB')} persons, ${clients} caseworkers, ${seconds} s a phase, ` +
      `${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)} at the start\n` +
      `${profileLine('bench:soak', profile)}\n`,
  )
  const workload = {
    userIds: userIds(),
    region: REGION,
    taskTypes,
    today: TODAY,
    to: TO,
    laterPages,
    seconds,
  }

  const alone = [await startInstance(url, env)]
  const one = await phase(alone, (alone[0] as Instance).address, {
    ...workload,
    tasks: tasks.slice(0, half),
    seed: 1,
  })
  await Promise.all(alone.map((instance) => instance.stop()))

  const pair = await Promise.all([startInstance(url, env), startInstance(url, env)])
  const balancer = await startNginx(
    folder,
    pair.map((instance) => instance.address),
  )
  const two = await phase(pair, balancer.url.replace('http://', ''), {
    ...workload,
    tasks: tasks.slice(half),
    seed: 2,
  })
  await balancer.stop()
  await Promise.all(pair.map((instance) => instance.stop()))

  report('Reference: one instance, direct', one)
  report('Two instances behind nginx', two)
} finally {
  await rm(folder, { recursive: true, force: true })
}

function userIds(): string[] {
  return Array.from({ length: clients }, (_, n) => `soak${n + 1}`)
}

/** The caseload, its rule run and the caseworkers, made as an operator makes them. */
async function fill(dir: string): Promise<{ tasks: number[]; taskTypes: string[]; inSearch: number }> {
  const extract = join(dir, 'extract.ndjson')
  const ipic = async (...args: string[]) => {
    const result = await runIpic(args, env)
    if (result.code !== 0) throw new Error(`ipic ${args.join(' ')} exited ${result.code}:\n${result.stderr}`)
  }
  const started = performance.now()
  await ipic(
    'generate',
    ...[
      '--persons',
      String(persons),
      '--seed',
      '42',
      '--today',
      TODAY,
      '--profile',
      profile,
      '--out',
      extract,
    ],
  )
  await ipic('migrate')
  await ipic('rules', 'publish', join(ROOT, 'rules'), '--notes', 'Published for the soak benchmark.')
  await ipic('import', extract)
  const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 2 })
  try {
    for (const id of userIds()) {
      await addUser(database.db, {
        id,
        name: `Soak caseworker ${id.slice(4)}`,
        roles: ['CASEWORKER'],
        regions: [REGION],
        password: TEST_PASSWORD,
      })
    }
    const rows = await database.db
      .selectFrom('tasks')
      .select(['id', 'task_type', 'reporting_date'])
      .where('rom_region', '=', REGION)
      .where('status', '=', 'RECOMMENDED')
      .orderBy('id')
      .execute()
    process.stdout.write(
      `Filled ${persons.toLocaleString('en-GB')} persons (${rows.length.toLocaleString('en-GB')} recommended tasks in ${REGION}) ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    )
    return {
      tasks: rows.map((row) => Number(row.id)),
      taskTypes: [...new Set(rows.map((row) => row.task_type))],
      // The results list shows the tasks due in its range and those with no reporting date.
      inSearch: rows.filter((row) => row.reporting_date === null || row.reporting_date <= TO).length,
    }
  } finally {
    await database.close()
  }
}

interface PhaseResult {
  readonly tally: Tally
  readonly seconds: number
  /** Each instance's RSS in megabytes, read every MEMORY_EVERY_MS. */
  readonly memory: readonly (readonly number[])[]
}

async function phase(
  instances: readonly Instance[],
  address: string,
  workload: Omit<Workload, 'baseUrl'>,
): Promise<PhaseResult> {
  // Unmeasured: the first minutes of a process (compiling, filling caches) are not what a soak is about.
  await runWorkload({ ...workload, baseUrl: `http://${address}`, seconds: warmUpSeconds(workload.seconds) })
  const memory = instances.map(() => [] as number[])
  const readMemory = async () => {
    for (const [n, instance] of instances.entries()) memory[n]?.push(await rssMegabytes(instance))
  }
  await readMemory()
  const sampler = setInterval(() => void readMemory(), MEMORY_EVERY_MS)
  const started = performance.now()
  try {
    const tally = await runWorkload({ ...workload, baseUrl: `http://${address}` })
    return { tally, seconds: (performance.now() - started) / 1000, memory }
  } finally {
    clearInterval(sampler)
    await readMemory()
  }
}

/** A sixth of the phase, between 5 and 30 seconds. */
function warmUpSeconds(phaseSeconds: number): number {
  return Math.min(30, Math.max(5, Math.round(phaseSeconds / 6)))
}

async function rssMegabytes(instance: Instance): Promise<number> {
  const status = await readFile(`/proc/${instance.process.pid}/status`, 'utf8').catch(() => '')
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return kilobytes / 1024
}

function report(title: string, result: PhaseResult): void {
  const { tally } = result
  const all = [...tally.timings.values()].flat()
  const lines = [
    `${title}: ${all.length.toLocaleString('en-GB')} timed requests in ${result.seconds.toFixed(0)} s, ` +
      `${(all.length / result.seconds).toFixed(1)}/s; errors: ${tally.errors}`,
    `  ${'Kind'.padEnd(22)}${'Count'.padStart(7)}${'Per s'.padStart(8)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}`,
  ]
  for (const kind of REQUEST_KINDS) {
    const times = [...(tally.timings.get(kind) ?? [])].sort((a, b) => a - b)
    lines.push(
      `  ${kind.padEnd(22)}${String(times.length).padStart(7)}${(times.length / result.seconds).toFixed(1).padStart(8)}` +
        `${median(times).toFixed(1).padStart(9)}${percentile(times, 95).toFixed(1).padStart(9)}${percentile(times, 99).toFixed(1).padStart(9)}`,
    )
  }
  for (const [n, series] of result.memory.entries()) {
    const third = Math.max(1, Math.floor(series.length / 3))
    const early = median(series.slice(0, third))
    const late = median(series.slice(-third))
    lines.push(
      `  Instance ${n + 1} RSS MB: start ${series[0]?.toFixed(0)}, peak ${Math.max(...series).toFixed(0)}, ` +
        `end ${series.at(-1)?.toFixed(0)}; median of the last third ${late.toFixed(0)} against the first third's ` +
        `${early.toFixed(0)} (${late >= early ? '+' : ''}${(((late - early) / early) * 100).toFixed(1)}%)`,
    )
  }
  for (const sample of tally.errorSamples) lines.push(`  error: ${sample}`)
  process.stdout.write(`${lines.join('\n')}\n\n`)
}
