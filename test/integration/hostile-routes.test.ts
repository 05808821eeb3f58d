/**
 * Every route the app registers, with hostile values in its path
 * parameters, its query and its form: never a server error, never markup
 * shown back unescaped, always a GOV.UK page with a heading (an error
 * summary for a refused form), never a redirect out of the service. The
 * routes come from the app itself (as the route-declarations test walks
 * them), and the field names from the forms and links its pages render, so a
 * new route or field is covered without being listed here.
 */
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { RouteOptions } from 'fastify'
import { CASE_SECTIONS } from '../../src/web/case/sections.ts'
import { seedLseAndMeeTasks } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  assertAnswerIsSound,
  type BodyKind,
  fieldNamesIn,
  fieldNamesInSources,
  fieldValuesIn,
  fillPattern,
  LEAK_WORDS,
  parametersOf,
  type RouteSeen,
  routesSeen,
  sendHostile,
} from '../support/hostile-requests.ts'
import { checkProperty, encodeHostile, hostileField, hostileText } from '../support/hostile-values.ts'
import { manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  signedInClient,
  startTestApp,
  type TestApp,
  WebClient,
} from '../support/web.ts'

/** Names read from the query by the routes rather than from a rendered form. */
const QUERY_NAMES = [
  'sort',
  'returnTo',
  'reason',
  'show',
  'back',
  'done',
  'page',
  'user',
  'ruleVersion',
  'order',
  'tab',
]

/** Routes that end the session they are sent on: tried with a visitor of their own. */
const SESSION_ENDING = new Set(['POST /sign-out', 'POST /sign-in'])

describe('hostile values in every route', () => {
  let database: TestDatabase
  let web: TestApp
  let routes: RouteSeen[]
  let realValues: Record<string, string[]>
  let fieldNames: string[]
  /** Real name and value pairs from the pages' inputs (a task's version, a checkbox's value). */
  let realFields: (readonly [string, string])[]
  let everyone: WebClient
  let everyoneToken: string

  before(async () => {
    database = await openTestDatabase()
    const clock = manualClock()
    const { lseTask, meeTask } = await seedLseAndMeeTasks(database.db, clock)
    const seen: RouteOptions[] = []
    web = await startTestApp(database, { clock, onRoute: (route) => seen.push(route) })
    routes = routesSeen(seen)
    await addTestUser(database, {
      id: 'everyone',
      roles: ['CASEWORKER', 'MANAGER', 'RULE_AUTHOR', 'MI_ANALYST', 'ADMIN', 'AUDITOR'],
      regions: 'all',
    })
    await addTestUser(database, { id: 'cw1' })
    everyone = await signedInClient(web.app, 'everyone')
    const version = await database.db.selectFrom('rule_sets').select('version').executeTakeFirst()
    // Real values beside the hostile ones, so the properties also reach past "not found".
    realValues = {
      taskId: [String(lseTask), String(meeTask)],
      region: ['LSE', 'MEE'],
      tab: ['recommended', 'accepted', 'rejected', 'on-hold'],
      section: CASE_SECTIONS.map((section) => section.slug),
      version: [String(version?.version ?? 1)],
      userId: ['cw1'],
      personId: ['P1'],
      contestId: ['1'],
      jobId: ['00000000-0000-0000-0000-000000000000'],
    }
    // Every field name the pages render, read from the pages themselves at real values.
    const names = new Set<string>(QUERY_NAMES)
    const formValues = new Set<string>()
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const filled = fillPattern(
        route.url,
        Object.fromEntries(parametersOf(route.url).map((name) => [name, realValues[name]?.[0] ?? '1'])),
      )
      const page = await everyone.get(filled)
      if (String(page.headers['content-type']).startsWith('text/html')) {
        for (const name of fieldNamesIn(page.body)) names.add(name)
        for (const [name, value] of fieldValuesIn(page.body)) formValues.add(`${name}=${value}`)
      }
    }
    for (const name of await fieldNamesInSources()) names.add(name)
    names.delete('_csrf')
    fieldNames = [...names].sort()
    realFields = [...formValues].sort().map((pair) => {
      const at = pair.indexOf('=')
      return [pair.slice(0, at), pair.slice(at + 1)] as const
    })
    everyoneToken = csrfTokenIn((await everyone.get('/mi')).body)
  })

  after(async () => {
    await web.close()
    await database.close()
  })

  /** A value for a path parameter: a real one or a hostile one, already encoded. */
  const parameterValue = (name: string) =>
    fc.oneof(
      fc.constantFrom(...(realValues[name] ?? ['1'])).map(encodeURIComponent),
      hostileText.filter((text) => text !== '').map(encodeHostile),
    )

  /** Hostile fields, sometimes beside real ones, so that a form gets past its first check to the next. */
  const fields = () =>
    fc
      .tuple(
        fc.dictionary(
          fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...fieldNames) },
            { weight: 1, arbitrary: hostileText },
          ),
          hostileField,
          { maxKeys: 6 },
        ),
        fc.subarray(realFields, { maxLength: 4 }),
      )
      .map(([hostile, real]) => ({ ...Object.fromEntries(real), ...hostile }))

  function requestFor(route: RouteSeen) {
    const parameters = parametersOf(route.url)
    return fc.record({
      parameters: fc.tuple(...parameters.map(parameterValue)),
      query: route.method === 'GET' ? fields() : fc.constant({}),
      body: route.method === 'POST' ? fields() : fc.constant({}),
      bodyKind: fc.constantFrom<BodyKind>('form', 'form', 'form', 'form', 'json', 'text'),
      token: fc.constantFrom('valid', 'valid', 'valid', 'missing', 'wrong'),
    })
  }

  it('every route answers soundly, whatever is sent', async () => {
    const wordsSent = new Set<string>()
    const runsPerRoute = 6
    const property = fc.asyncProperty(
      fc
        .integer({ min: 0, max: routes.length - 1 })
        .chain((index) =>
          requestFor(routes[index]!).map((request) => ({ route: routes[index]!, ...request })),
        ),
      async ({ route, parameters, query, body, bodyKind, token }) => {
        const names = parametersOf(route.url)
        const path = fillPattern(
          route.url,
          Object.fromEntries(names.map((name, i) => [name, parameters[i]!])),
        )
        const key = `${route.method} ${route.url}`
        const visitor = SESSION_ENDING.has(key) ? new WebClient(web.app) : everyone
        let csrf: string | undefined
        if (route.method === 'POST' && token !== 'missing') {
          csrf =
            token === 'wrong'
              ? 'not-a-token'
              : visitor === everyone
                ? everyoneToken
                : csrfTokenIn((await visitor.get('/sign-in')).body)
        }
        const sentBody = csrf === undefined ? body : { ...body, _csrf: csrf }
        const response = await sendHostile(web.app, visitor.cookies, {
          method: route.method,
          path,
          query,
          body: sentBody,
          bodyKind,
        })
        const what = `${key} as ${JSON.stringify({ path, query, body, bodyKind, token })}`
        // A form may store what it was sent, and any later page show it: remember every leak word sent.
        for (const word of LEAK_WORDS) if (what.includes(word)) wordsSent.add(word)
        assertAnswerIsSound(response, what, [what, ...wordsSent].join(' '))
      },
    )
    console.log(
      `${routes.length} routes, ${fieldNames.length} field and query names read from the pages and templates`,
    )
    await checkProperty(
      'every route, hostile parameters, query and form',
      property,
      routes.length * runsPerRoute,
    )
  })
})
