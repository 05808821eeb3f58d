/**
 * Issue 17 item 5 for a service instance: two `ipic serve` instances behind
 * nginx (deploy/nginx as shipped) while caseworkers browse and decide, and
 * one instance killed with SIGKILL at a random moment, then started again.
 * nginx passes a page the dead instance did not answer to the other; a
 * decision caught by the kill gets the balancer's 502 and is either wholly
 * made (with its evidence of review and audit event) or not at all; every
 * confirmed decision is in the log once, and the service answers again.
 *
 * The suite runs a few trials (test/integration/kill-instance.test.ts);
 * `npm run kill` runs many (scripts/kill.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addUser } from '../../src/access/users.ts'
import { paths } from '../../src/web/paths.ts'
import type { TestDatabase } from './database.ts'
import { type Balancer, type Instance, startInstance, startNginx } from './instances.ts'
import type { TrialReport } from './kill-trials.ts'
import {
  type Attempt,
  attemptDecision,
  DECISION_ACTIONS,
  seededRandom,
  toldDecisions,
} from './race-client.ts'
import { insertReviewTasks } from './review-tasks.ts'
import { HttpClient } from './server-process.ts'
import { halfWrittenDecisions, lostOrDoubledDecisions, taskLogProblems } from './task-log.ts'
import { TEST_PASSWORD } from './web.ts'

export interface InstanceKillOptions {
  readonly trials: number
  readonly seed: number
  readonly say?: (line: string) => void
}

const CASEWORKERS = ['kill1', 'kill2', 'kill3', 'kill4']
/** The longest a trial's load runs before the kill, in milliseconds. */
const KILL_WITHIN_MS = 1500

/** Between a caseworker's requests: a steady load that leaves the machine's cores some room. */
const PAUSE_MS = 20
/** How long the survivor works alone after the kill. */
const SURVIVOR_ALONE_MS = 500
/** How soon after nginx is reloaded the restarted instance must be answering through it. */
const READMITTED_WITHIN_MS = 10_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What was wrong with a review list page, if anything. */
async function reviewListProblem(client: HttpClient, region: string): Promise<string | undefined> {
  try {
    const page = await client.get(paths.reviewList(region, 'accepted'))
    await page.text()
    return page.status === 200 ? undefined : `a review list answered ${page.status}`
  } catch (error) {
    return `a review list got no answer: ${String(error)}`
  }
}

/**
 * Asks for pages until one logged after line `from` of nginx's access log
 * was answered by `address`; false if none was in time.
 */
async function answeredBy(
  balancer: Balancer,
  address: string,
  from: number,
  client: HttpClient,
): Promise<boolean> {
  const deadline = Date.now() + READMITTED_WITHIN_MS
  while (Date.now() < deadline) {
    await reviewListProblem(client, 'LSE')
    const lines = (await balancer.accessLog()).slice(from)
    if (
      lines.some((line) =>
        new RegExp(`upstream=(?:[^ ]+, )?${address} upstream_status=(?:\\d+, )?200`).test(line),
      )
    ) {
      return true
    }
    await sleep(100)
  }
  return false
}

export async function instanceKillTrials(
  database: TestDatabase,
  options: InstanceKillOptions,
): Promise<TrialReport[]> {
  const url = database.url
  if (!url) throw new Error('two instances need PostgreSQL: they cannot share the embedded database')
  const env = { IPIC_TODAY: '2026-03-02' }
  await database.reset()
  const taskIds = await insertReviewTasks(
    database.db,
    Array.from({ length: 40 }, (_, n) => ({ personId: `K${n}`, region: n % 2 ? 'LSE' : 'MEE' })),
  )
  for (const id of CASEWORKERS) {
    await addUser(database.db, {
      id,
      name: `Kill ${id.slice(4)}`,
      roles: ['CASEWORKER'],
      regions: 'all',
      password: TEST_PASSWORD,
    })
  }
  const folder = await mkdtemp(join(tmpdir(), 'ipic-kill-instance-'))
  const instances: Instance[] = await Promise.all([startInstance(url, env), startInstance(url, env)])
  let balancer: Balancer | undefined
  try {
    balancer = await startNginx(
      folder,
      instances.map((instance) => instance.address),
    )
    const lb = balancer
    const caseworkers = await Promise.all(
      CASEWORKERS.map(async (id) => {
        const client = new HttpClient(lb.url)
        await client.signIn(id)
        return { id, client, attempts: [] as Attempt[] }
      }),
    )
    const random = seededRandom(options.seed)
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T
    const reports: TrialReport[] = []
    for (let trial = 1; trial <= options.trials; trial += 1) {
      const problems: string[] = []
      const pages: string[] = []
      let going = true
      const load = caseworkers.map(async (caseworker) => {
        while (going) {
          caseworker.attempts.push(
            await attemptDecision(caseworker.client, pick(taskIds), pick(DECISION_ACTIONS)),
          )
          const problem = await reviewListProblem(caseworker.client, pick(['LSE', 'MEE']))
          if (problem) pages.push(problem)
          await sleep(PAUSE_MS)
        }
      })
      const delay = Math.round(random() * KILL_WITHIN_MS)
      const victim = trial % instances.length
      const dead = instances[victim] as Instance
      await sleep(delay)
      await dead.kill()
      // Work on through the survivor for a while, then start the dead one again where it was.
      await sleep(SURVIVOR_ALONE_MS)
      going = false
      await Promise.all(load)
      const port = dead.address.split(':')[1] ?? ''
      instances[victim] = await startInstance(url, { ...env, PORT: port })
      // nginx holds a failed instance back for its fail_timeout (10 s); reloading it, as a
      // deployment does once an instance is replaced, sends the instance work again at once.
      // (Reloaded under load, nginx's old workers close idle connections as clients reuse
      // them, which a browser retries and this client would not: the load waits meanwhile.)
      const logged = (await lb.accessLog()).length
      lb.process.kill('SIGHUP')
      if (!(await answeredBy(lb, dead.address, logged, caseworkers[0]?.client as HttpClient))) {
        problems.push(`nginx sent the restarted ${dead.address} nothing within ${READMITTED_WITHIN_MS} ms`)
      }

      const attempts = caseworkers.flatMap((caseworker) => caseworker.attempts)
      problems.push(...pages.map((page) => `${page}: nginx should have passed it to the live instance`))
      for (const attempt of attempts) {
        if (attempt.kind === 'unexpected')
          problems.push(`${attempt.action} ${attempt.taskId}: ${attempt.detail}`)
        if (attempt.kind === 'unavailable' && (attempt.step === 'form' || attempt.answer !== 'bad gateway')) {
          problems.push(
            `${attempt.action} ${attempt.taskId}: the ${attempt.step} answered the ${attempt.answer}`,
          )
        }
      }
      problems.push(...(await taskLogProblems(database.db, { createdByRules: false })))
      problems.push(...(await halfWrittenDecisions(database.db)))
      problems.push(
        ...(await lostOrDoubledDecisions(
          database.db,
          caseworkers.map((caseworker) => toldDecisions(caseworker.id, caseworker.attempts)),
        )),
      )
      const after = await reviewListProblem(caseworkers[0]?.client as HttpClient, 'LSE')
      if (after) problems.push(`after the trial ${after}`)
      const caught = attempts.filter((attempt) => attempt.kind === 'unavailable').length
      const leftBehind = `${attempts.length} decisions attempted so far, ${caught} caught by a kill`
      reports.push({ trial, killedAfterMs: delay, leftBehind, problems })
      options.say?.(
        `trial ${trial}: killed ${dead.address} ${delay} ms in; ${leftBehind}; ${problems.length} problems`,
      )
    }
    return reports
  } finally {
    await balancer?.stop()
    await Promise.all(instances.map((instance) => instance.stop()))
    await rm(folder, { recursive: true, force: true })
  }
}
