/**
 * What the API's tests share: the app on a test database holding Grace
 * Okafor's task (1) in LSE and another person's task (2) in MEE, made by a
 * stand-in rule run at 09:00 on 2 March 2026 (the data the OpenAPI
 * document's examples are written for); caseworkers of LSE and MEE; and
 * machine clients with chosen scopes and regions, each with a token from
 * the real token endpoint.
 */
import { after, before, beforeEach } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import type { ApiScope } from '../../src/access/api-scopes.ts'
import { apiClientWithToken } from './api-clients.ts'
import { seedLseAndMeeTasks } from './case-tasks.ts'
import { openTestDatabase, type TestDatabase } from './database.ts'
import { manualClock } from './tasks.ts'
import { addTestUser, startTestApp, type TestApp, type TestAppOptions } from './web.ts'

export const MINUTE = 60_000

export interface ApiCall {
  readonly method?: 'GET' | 'POST'
  readonly url: string
  readonly authorization?: string
  readonly body?: unknown
  readonly query?: Readonly<Record<string, string>>
}

/** Call inside a describe: a fresh database with the tasks and users before each test. */
export function apiHarness(options: Pick<TestAppOptions, 'env' | 'extraApiResources'> = {}) {
  let database: TestDatabase
  let web: TestApp
  const clock = manualClock()

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { clock, ...options })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })
  /** Empties the database and seeds it afresh, the clock a minute past the rule run. */
  async function reset() {
    await database.reset()
    clock.set(new Date('2026-03-02T09:00:00Z'))
    await addTestUser(database, { id: 'cw1', name: 'Casey Worker', regions: ['LSE'] })
    await addTestUser(database, { id: 'cw-mee', name: 'Morgan East', regions: ['MEE'] })
    await addTestUser(database, { id: 'mi1', name: 'Ira Analyst', roles: ['MI_ANALYST'], regions: 'all' })
    await seedLseAndMeeTasks(database.db, clock)
    clock.advance(MINUTE)
  }
  beforeEach(reset)

  /** A client of `regions` (LSE unless given) with `scopes`, and its Authorization header. */
  function client(scopes: readonly ApiScope[], regions?: 'all' | readonly string[]) {
    return apiClientWithToken(web.app, web.services.machineClients, {
      scopes,
      ...(regions ? { regions } : {}),
    })
  }

  function call(request: ApiCall): Promise<LightMyRequestResponse> {
    return web.app.inject({
      method: request.method ?? 'GET',
      url: request.url,
      ...(request.query ? { query: request.query } : {}),
      headers: request.authorization ? { authorization: request.authorization } : {},
      ...(request.body === undefined ? {} : { payload: request.body as object }),
    })
  }

  /** The audit events of `kind`, oldest first. */
  function auditEvents(kind: string) {
    return database.db.selectFrom('audit_events').selectAll().where('kind', '=', kind).orderBy('id').execute()
  }

  function task(id: number) {
    return database.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  }

  return {
    get database() {
      return database
    },
    get web() {
      return web
    },
    clock,
    reset,
    client,
    call,
    auditEvents,
    task,
  }
}
