/**
 * The soak benchmark's caseworkers: each signs in through the real sign-in
 * page and then works as a caseworker does, over and over until the time is
 * up: a page of results, a later page, a case, one of its sections, and a
 * decision (accept, reject or place on hold, with the form's version), and
 * every so often signs in afresh. Every request is timed by its kind, and
 * every answer that is not what a working service gives is counted as an
 * error, with its first few described.
 */
import type { IsoDate } from '../../src/dates.ts'
import type { CaseSection } from '../../src/web/case/sections.ts'
import { paths } from '../../src/web/paths.ts'
import { attemptDecision, DECISION_ACTIONS, seededRandom } from '../../test/support/race-client.ts'
import { HttpClient } from '../../test/support/server-process.ts'
import { TEST_PASSWORD } from '../../test/support/web.ts'

export const REQUEST_KINDS = [
  'sign in',
  'results page 1',
  'results, later page',
  'case page',
  'case section',
  'decision',
] as const
export type RequestKind = (typeof REQUEST_KINDS)[number]

/** What one phase of the soak recorded. */
export interface Tally {
  /** Milliseconds of each request (a sign-in and a decision are two requests each: form and post). */
  readonly timings: Map<RequestKind, number[]>
  errors: number
  readonly errorSamples: string[]
}

export interface Workload {
  /** Where the caseworkers send their requests: nginx, or one instance. */
  readonly baseUrl: string
  readonly userIds: readonly string[]
  readonly region: string
  readonly taskTypes: readonly string[]
  readonly today: IsoDate
  readonly to: IsoDate
  /** Tasks to open and decide; each caseworker takes its own share of them in turn. */
  readonly tasks: readonly number[]
  /** How many pages after the first the search has, up to 4: the later page is one of them. */
  readonly laterPages: number
  readonly seconds: number
  readonly seed: number
}

const SECTIONS: readonly CaseSection[] = [
  'barriers',
  'vulnerability',
  'family-status',
  'why-recommended',
  'history',
]
/** A caseworker signs in afresh after this many rounds, as the day's new sessions do. */
const ROUNDS_PER_SESSION = 25
/** At most this many sign in at once: the service limits the attempts under way from one address. */
const SIGN_IN_AT_ONCE = 8

export function emptyTally(): Tally {
  return { timings: new Map(REQUEST_KINDS.map((kind) => [kind, []])), errors: 0, errorSamples: [] }
}

/** Runs every caseworker until the time is up, and returns what they saw. */
export async function runWorkload(workload: Workload): Promise<Tally> {
  const tally = emptyTally()
  const stopAt = performance.now() + workload.seconds * 1000
  const signIns = new Semaphore(SIGN_IN_AT_ONCE)
  await Promise.all(
    workload.userIds.map((userId, index) => caseworker(workload, tally, { userId, index, stopAt, signIns })),
  )
  return tally
}

async function caseworker(
  workload: Workload,
  tally: Tally,
  me: {
    readonly userId: string
    readonly index: number
    readonly stopAt: number
    readonly signIns: Semaphore
  },
): Promise<void> {
  const random = seededRandom(workload.seed + me.index)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const mine = workload.tasks.filter((_, n) => n % workload.userIds.length === me.index)
  const search = {
    taskType: [...workload.taskTypes],
    from: workload.today,
    to: workload.to,
    country: [],
    location: '',
  }
  const timed = async <T>(kind: RequestKind, work: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await work()
    tally.timings.get(kind)?.push(performance.now() - started)
    return result
  }
  const failed = (what: string) => {
    tally.errors++
    if (tally.errorSamples.length < 10) tally.errorSamples.push(`${me.userId}: ${what}`)
  }
  const page = async (kind: RequestKind, path: string) => {
    const response = await timed(kind, async () => {
      const answer = await fetchOrError(() => client.get(path))
      await answer.body?.cancel()
      return answer
    })
    if (response.status !== 200) failed(`${kind} ${path} answered ${response.status}`)
  }

  let client = new HttpClient(workload.baseUrl)
  for (let round = 0; performance.now() < me.stopAt; round++) {
    if (round % ROUNDS_PER_SESSION === 0) {
      client = new HttpClient(workload.baseUrl)
      const signedIn = await me.signIns.run(() =>
        timed('sign in', () =>
          client.signIn(me.userId, TEST_PASSWORD).then(
            () => true,
            (error: unknown) => String(error),
          ),
        ),
      )
      if (signedIn !== true) {
        failed(`sign in: ${signedIn}`)
        continue
      }
    }
    const taskId = mine[round % mine.length] ?? pick(workload.tasks)
    await page('results page 1', paths.reviewList(workload.region, 'recommended', search))
    await page(
      'results, later page',
      paths.reviewList(
        workload.region,
        'recommended',
        search,
        2 + Math.floor(random() * workload.laterPages),
      ),
    )
    // Where a case link lands (the case's own URL sends the browser here).
    await page('case page', paths.taskSection(taskId, 'person-details'))
    await page('case section', paths.taskSection(taskId, pick(SECTIONS)))
    const attempt = await timed('decision', () => attemptDecision(client, taskId, pick(DECISION_ACTIONS)))
    // Refusals are the service working: a decision changed meanwhile, or an open task of the type exists.
    if (attempt.kind === 'unavailable') failed(`decision on task ${taskId}: ${attempt.answer}`)
    if (attempt.kind === 'unexpected') failed(`decision on task ${taskId}: ${attempt.detail}`)
  }
}

/** A request's answer, or a stand-in 599 when none came (the connection failed). */
async function fetchOrError(request: () => Promise<Response>): Promise<Response> {
  try {
    return await request()
  } catch {
    return new Response(null, { status: 599 })
  }
}

/** Lets at most `limit` of the callers run at once. */
class Semaphore {
  #free: number
  readonly #waiting: (() => void)[] = []
  constructor(limit: number) {
    this.#free = limit
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#free++
    }
  }
}
