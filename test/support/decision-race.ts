/**
 * The race of issue 17 item 4, at any size: two `ipic serve` instances
 * behind nginx (deploy/nginx as shipped), caseworkers signed in through it
 * deciding the same tasks (accept, reject, hold, and changing one another's
 * decisions) while `ipic import` (started twice) brings in changed case
 * data and two `ipic rules run` start at once, as operators run them (the
 * instances work the import's rule run from the job queue). Afterwards it
 * checks what must hold, and returns every way it did not as a sentence.
 *
 * The suite runs it small (test/integration/race-decisions.test.ts);
 * `npm run race` runs it at full size (scripts/race.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addUser } from '../../src/access/users.ts'
import { paths } from '../../src/web/paths.ts'
import { RULES_DIR, type TestDatabase } from './database.ts'
import { type Balancer, type Instance, startInstance, startNginx } from './instances.ts'
import { runIpic } from './ipic-command.ts'
import { publishRulesIn } from './publication.ts'
import { checkAfterRace, type RaceChecks } from './race-checks.ts'
import { type Attempt, attemptDecision, DECISION_ACTIONS, seededRandom } from './race-client.ts'
import { HttpClient } from './server-process.ts'
import { TEST_PASSWORD } from './web.ts'

export const RACE_TODAY = '2026-03-02'

/** Fewer than the attempts one address may have under way (SIGN_IN_MAX_FAILURES_PER_ADDRESS, 20). */
const SIGN_IN_AT_ONCE = 8

export interface RaceSize {
  readonly clients: number
  readonly tasks: number
  /** Decisions each client attempts at least (it goes on until the import and rule run are done). */
  readonly attemptsPerClient: number
  readonly seed: number
}

export interface RaceReport extends RaceChecks {
  readonly attempts: Readonly<Record<Attempt['kind'], number>>
  /** What the second import and the rule runs said when they were refused because an import was running. */
  readonly refusals: readonly string[]
  readonly seconds: number
}

/** A line of an extract: one person, as JSON. */
type ExtractLine = string

/**
 * The import the race runs: the first extract with every third person's
 * record taken from another generated population, so that persons change
 * (some move region, some stop matching a rule) while their tasks are decided.
 */
async function changedExtract(first: string, second: string, out: string): Promise<void> {
  const before: ExtractLine[] = (await readFile(first, 'utf8')).split('\n').filter(Boolean)
  const after: ExtractLine[] = (await readFile(second, 'utf8')).split('\n').filter(Boolean)
  const mixed = before.map((line, index) => (index % 3 === 0 ? (after[index] ?? line) : line))
  await writeFile(out, `${mixed.join('\n')}\n`)
}

async function ipic(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runIpic(args, env)
  if (result.code !== 0) throw new Error(`ipic ${args.join(' ')} exited ${result.code}:\n${result.stderr}`)
  return result.stdout
}

export async function runDecisionRace(
  database: TestDatabase,
  size: RaceSize,
  say: (line: string) => void = () => {},
): Promise<RaceReport> {
  const url = database.url
  if (!url) throw new Error('the race needs PostgreSQL: two instances cannot share the embedded database')
  const started = performance.now()
  const folder = await mkdtemp(join(tmpdir(), 'ipic-race-'))
  const env = { DATABASE_URL: url, IPIC_TODAY: RACE_TODAY, IPIC_DEMO: '0' }
  const instances: Instance[] = []
  let balancer: Balancer | undefined
  try {
    // Enough persons that the rules recommend more tasks than the race decides.
    const persons = String(Math.max(100, size.tasks * 2))
    const first = join(folder, 'extract-1.ndjson')
    const second = join(folder, 'extract-2.ndjson')
    const changed = join(folder, 'extract-changed.ndjson')
    // The stress caseload, so that the changed extract moves many tasks while they are decided.
    const generate = (seed: number, out: string) =>
      ipic(
        ['generate', '--persons', persons, '--seed', String(seed), '--profile', 'stress', '--out', out],
        env,
      )
    await Promise.all([generate(size.seed, first), generate(size.seed + 1, second)])
    await changedExtract(first, second, changed)
    // A rule set runs only once published, as an operator would have published it.
    await publishRulesIn(database.db, RULES_DIR)
    await ipic(['import', first], env)

    const contested = (
      await database.db
        .selectFrom('tasks')
        .select('id')
        .where('status', '=', 'RECOMMENDED')
        .orderBy('id')
        .limit(size.tasks)
        .execute()
    ).map((row) => Number(row.id))
    if (contested.length < size.tasks) {
      throw new Error(`the rules recommended ${contested.length} tasks, fewer than ${size.tasks}`)
    }
    const userIds = Array.from({ length: size.clients }, (_, n) => `racer${n + 1}`)
    for (const id of userIds) {
      await addUser(database.db, {
        id,
        name: `Racer ${id.slice(5)}`,
        roles: ['CASEWORKER'],
        regions: 'all',
        password: TEST_PASSWORD,
      })
    }
    say(`${contested.length} tasks, ${userIds.length} caseworkers; starting two instances and nginx`)

    instances.push(...(await Promise.all([startInstance(url, env), startInstance(url, env)])))
    balancer = await startNginx(
      folder,
      instances.map((instance) => instance.address),
    )
    const lb = balancer
    const clients: { id: string; client: HttpClient; attempts: Attempt[] }[] = []
    // A few at a time: every sign-in through nginx comes from one address, and the service
    // counts the attempts still being checked against that address's limit.
    for (let start = 0; start < userIds.length; start += SIGN_IN_AT_ONCE) {
      clients.push(
        ...(await Promise.all(
          userIds.slice(start, start + SIGN_IN_AT_ONCE).map(async (id) => {
            const client = new HttpClient(lb.url)
            await client.signIn(id)
            return { id, client, attempts: [] as Attempt[] }
          }),
        )),
      )
    }

    // The operators' work starts once the caseworkers are deciding, and both run to the end.
    let firstDecisions!: () => void
    const deciding = new Promise<void>((resolve) => {
      firstDecisions = resolve
    })
    let backgroundDone = false
    const refusals: string[] = []
    const background = (async () => {
      await deciding
      // The import started twice, and two rule runs, all at once: one import runs and the other
      // is refused (or, started once the first has finished, finds nothing changed); the runs are
      // serialised by their lock, and one asked for while an import writes is refused, saying so.
      const [imported, importedAgain, ...runs] = await Promise.all([
        runIpic(['import', changed], env),
        runIpic(['import', changed], env),
        runIpic(['rules', 'run'], env),
        runIpic(['rules', 'run'], env),
      ])
      for (const result of [imported, importedAgain]) {
        if (result?.code === 0) continue
        if (!/Another import is running/.test(result?.stderr ?? '')) {
          throw new Error(`an import failed:\n${result?.stderr}`)
        }
        refusals.push(result?.stderr.trim() ?? '')
      }
      if (imported?.code !== 0 && importedAgain?.code !== 0) throw new Error('neither import ran')
      for (const ran of runs) {
        if (ran.code === 0) continue
        if (!/An import is running/.test(ran.stderr)) throw new Error(`a rule run failed:\n${ran.stderr}`)
        refusals.push(ran.stderr.trim())
        // Run again once the import has finished, as the message asks.
        await ipic(['rules', 'run'], env)
      }
    })().finally(() => {
      backgroundDone = true
    })

    // Each instance keeps the tabs' counts for a while: read them first, as caseworkers
    // starting the day would, so that a count an instance fails to move would show.
    const regions = (await database.db.selectFrom('tasks').select('rom_region').distinct().execute()).map(
      (row) => row.rom_region,
    )
    const tabsOf = (client: HttpClient, region: string) => client.get(paths.reviewList(region, 'accepted'))
    const browsing: string[] = []
    const browse = async (client: HttpClient, region: string) => {
      const page = await tabsOf(client, region)
      await page.text()
      if (page.status !== 200) browsing.push(`${region}'s review list answered ${page.status}`)
    }
    for (const region of regions) {
      for (const racer of clients.slice(0, 2 * instances.length)) await browse(racer.client, region)
    }

    const random = seededRandom(size.seed)
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T
    let attempted = 0
    await Promise.all(
      clients.map(async (racer) => {
        while (racer.attempts.length < size.attemptsPerClient || !backgroundDone) {
          racer.attempts.push(await attemptDecision(racer.client, pick(contested), pick(DECISION_ACTIONS)))
          attempted += 1
          if (attempted === size.clients) firstDecisions()
          // Between decisions, a look at a region's tabs now and then.
          if (random() < 1 / 3) await browse(racer.client, pick(regions))
        }
      }),
    )
    await background
    say('decided; checking the event logs, the decisions and the tab counts')

    const all = clients.flatMap((racer) => racer.attempts)
    const attempts = Object.fromEntries(
      (['decided', 'refused', 'open-task-exists', 'not-offered', 'unavailable', 'unexpected'] as const).map(
        (kind) => [kind, all.filter((attempt) => attempt.kind === kind).length],
      ),
    ) as Record<Attempt['kind'], number>
    const checks = await checkAfterRace(database, {
      racers: clients,
      tabsOf: (region) => tabsOf(clients[0]?.client as HttpClient, region),
      tabReadings: 2 * instances.length,
    })
    const problems = [...browsing, ...checks.problems]
    return { ...checks, problems, attempts, refusals, seconds: (performance.now() - started) / 1000 }
  } finally {
    await balancer?.stop()
    await Promise.all(instances.map((instance) => instance.stop()))
    await rm(folder, { recursive: true, force: true })
  }
}
