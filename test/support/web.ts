/**
 * The web app on a test database, with its log lines captured, and a small
 * client that keeps the session cookie between requests and fills in the
 * CSRF token the way a browser submitting the page's form would.
 */
import { randomBytes, scryptSync } from 'node:crypto'
import { Writable } from 'node:stream'
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify'
import { pino } from 'pino'
import { addUser, type NewUser } from '../../src/access/users.ts'
import { type Clock, frozenClock } from '../../src/clock.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'
import type { Logger } from '../../src/logger.ts'
import { buildServices } from '../../src/services.ts'
import type { ApiRouteModule } from '../../src/web/api/plugin.ts'
import { buildApp } from '../../src/web/app.ts'
import { paths } from '../../src/web/paths.ts'
import type { RouteModule, Services } from '../../src/web/routes/dependencies.ts'
import type { TestDatabase } from './database.ts'

/** Every log line the app wrote, parsed. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = []
  readonly logger: Logger

  constructor() {
    const lines = this.lines
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line))
        done()
      },
    })
    this.logger = pino({ level: 'info', base: { service: 'ipic' } }, sink) as unknown as Logger
  }

  /** The raw text of every line, for "does this secret appear anywhere" checks. */
  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n')
  }
}

export interface TestApp {
  readonly app: FastifyInstance
  readonly config: Config
  readonly logs: LogCapture
  /** The app's services, built as `ipic serve` builds them. */
  readonly services: Services
  close(): Promise<void>
}

export interface TestAppOptions {
  /** Environment variables for loadConfig, on top of the test defaults. */
  readonly env?: NodeJS.ProcessEnv
  readonly clock?: Clock
  /** Real time for session ages and sign-in throttling; the system clock unless given. */
  readonly sessionClock?: Clock
  readonly extraRoutes?: readonly RouteModule[]
  /** More API operations, after the API's own. */
  readonly extraApiResources?: readonly ApiRouteModule[]
  /** Told of every route the app registers, with its options. */
  readonly onRoute?: (route: RouteOptions) => void
}

export async function startTestApp(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ IPIC_DEMO: '0', LOG_LEVEL: 'info', ...options.env })
  const clock = options.clock ?? frozenClock(new Date('2018-07-25T09:00:00Z'))
  const logs = new LogCapture()
  const services = await buildServices({
    config,
    clock,
    database,
    reference: await referenceDataIn(config.referenceDir),
  })
  const app = await buildApp({
    config,
    clock,
    database,
    logger: logs.logger,
    services,
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.extraApiResources ? { extraApiResources: options.extraApiResources } : {}),
    ...(options.sessionClock ? { sessionClock: options.sessionClock } : {}),
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
  })
  // A test emptying the tables leaves the lists' cached counts behind: forget them with it.
  const stopForgetting = database.afterReset(() => services.reviewLists.forgetAll())
  await app.ready()
  return {
    app,
    config,
    logs,
    services,
    close: async () => {
      stopForgetting()
      await app.close()
    },
  }
}

const referenceData = new Map<string, Promise<ReferenceData>>()

/**
 * The reference data a test database was prepared with, as a start returns
 * it (runtime.reference); read once per directory for the test file.
 */
export function referenceDataIn(directory: string): Promise<ReferenceData> {
  let read = referenceData.get(directory)
  if (!read) {
    read = readReferenceData(directory)
    referenceData.set(directory, read)
  }
  return read
}

export const TEST_PASSWORD = 'correct-horse-battery'

/**
 * TEST_PASSWORD as stored, hashed once per test process with scrypt at a low
 * cost (N = 2^10). The stored form carries its parameters and sign-in checks
 * a password at the cost it finds, so a test user signs in exactly as a real
 * one does, without the suite paying the production cost (a tenth of a
 * second of CPU a hash) for every user it adds and every sign-in. Hashing at
 * the production cost is tested where it is the subject (the password and
 * user tests, which add users through addUser itself).
 */
const testPasswordHash = (() => {
  let hash: string | undefined
  return (): string => {
    if (hash) return hash
    const cost = { N: 2 ** 10, r: 8, p: 1 }
    const salt = randomBytes(16)
    const key = scryptSync(TEST_PASSWORD, salt, 32, cost)
    hash = ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$')
    return hash
  }
})()

/** Adds a user (a caseworker in LSE unless told otherwise) whose password is TEST_PASSWORD unless given. */
export async function addTestUser(database: TestDatabase, user: Partial<NewUser> & { id: string }) {
  const testPassword = user.password === undefined || user.password === TEST_PASSWORD
  const added = await addUser(database.db, {
    name: `Test user ${user.id}`,
    roles: ['CASEWORKER'],
    regions: ['LSE'],
    ...user,
    password: testPassword ? null : (user.password ?? null),
  })
  if (testPassword) {
    await database.db
      .updateTable('users')
      .set({ password_hash: testPasswordHash() })
      .where('id', '=', user.id)
      .execute()
  }
  return added
}

/** The value of the first CSRF hidden field in a page. */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match?.[1]) throw new Error('the page has no CSRF field')
  return match[1]
}

/** The GOV.UK error summary's items: [text, href]. */
export function errorSummaryOf(html: string): [string, string][] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [
    match[2]!.trim(),
    match[1]!,
  ])
}

/** The text of the page's <title>, whitespace collapsed. */
export function titleOf(html: string): string {
  return (/<title[^>]*>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '').replace(/\s+/g, ' ').trim()
}

/** The visible text of a page: scripts and tags dropped, whitespace collapsed, common entities decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A visitor with a cookie jar: what a browser does, minus the rendering. */
export class WebClient {
  readonly #app: FastifyInstance
  readonly #cookies = new Map<string, string>()

  constructor(app: FastifyInstance) {
    this.#app = app
  }

  get cookies(): ReadonlyMap<string, string> {
    return this.#cookies
  }

  /** Starts a second client with this one's cookies: someone who copied the cookie. */
  copy(): WebClient {
    const other = new WebClient(this.#app)
    for (const [name, value] of this.#cookies) other.#cookies.set(name, value)
    return other
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.#remember(
      await this.#app.inject({ method: 'GET', url, headers, cookies: Object.fromEntries(this.#cookies) }),
    )
  }

  /** Posts exactly these fields (no CSRF token unless given). */
  async post(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
    }
    return this.#remember(
      await this.#app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: Object.fromEntries(this.#cookies),
        payload: body.toString(),
      }),
    )
  }

  /** Loads `pageUrl` and submits its form to `action` with these fields and the page's CSRF token. */
  async submit(
    pageUrl: string,
    action: string,
    fields: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl)
    return this.post(action, { _csrf: csrfTokenIn(page.body), ...fields })
  }

  async signIn(userId: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    return this.submit(paths.signIn(), paths.signIn(), { userId, password })
  }

  #remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date }[]) {
      const expired = cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()
      if (expired || cookie.value === '') this.#cookies.delete(cookie.name)
      else this.#cookies.set(cookie.name, cookie.value)
    }
    return response
  }
}

/** A client signed in as `userId` with the test password; throws unless sign-in redirects. */
export async function signedInClient(app: FastifyInstance, userId: string): Promise<WebClient> {
  const client = new WebClient(app)
  const response = await client.signIn(userId)
  if (response.statusCode !== 303) throw new Error(`${userId} did not sign in (${response.statusCode})`)
  return client
}
