/**
 * Who may use each route: every route the app registers (each page, form
 * and download), asked by a visitor who has not signed in and by a user of
 * each role, the regional ones in London and South East (LSE, where the
 * task and region in every URL are) or in Midlands and East (MEE), the
 * national ones over every region. A table says what each of them gets:
 *
 *   ok   the route's own answer (its status is in the route's row)
 *   in   sent to sign in
 *   403  the "no permission" page
 *   404  "page not found": another region's task or region answers as one that does not exist
 *   400  the form again with its problem: an MI region the user may not see
 *   401  "Stay signed in" from a visitor: there is no signed-in session to keep
 *
 * Then what the MI downloads hold: a manager's only their regions' rows,
 * a national role's every region's. One app, one database, users signed in
 * once; nothing a row asks changes what a later row sees (a decision is
 * posted stale, so nothing is decided), and signing out comes last.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse, RouteOptions } from 'fastify'
import { frozenClock } from '../../src/clock.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { buildMiFixture, insertMiUsers, JULY_FORM, parseCsv } from '../support/mi.ts'
import { type SingleSignOnSetup, startWithIdentityProvider } from '../support/single-sign-on.ts'
import { insertPersons, standInRuleSet } from '../support/tasks.ts'
import { addTestUser, csrfTokenIn, signedInClient, WebClient } from '../support/web.ts'

const USERS = {
  'cw.lse': { roles: ['CASEWORKER'], regions: ['LSE'] },
  'cw.mee': { roles: ['CASEWORKER'], regions: ['MEE'] },
  'mgr.lse': { roles: ['MANAGER'], regions: ['LSE'] },
  'mgr.mee': { roles: ['MANAGER'], regions: ['MEE'] },
  author: { roles: ['RULE_AUTHOR'], regions: ['LSE'] },
  analyst: { roles: ['MI_ANALYST'], regions: 'all' },
  admin: { roles: ['ADMIN'], regions: 'all' },
  auditor: { roles: ['AUDITOR'], regions: 'all' },
} as const
type UserId = keyof typeof USERS
const USER_IDS = Object.keys(USERS) as UserId[]
const COLUMNS = ['anonymous', ...USER_IDS] as const
type Column = (typeof COLUMNS)[number]

// An auditor reads the audit and the rules only: "no permission" everywhere else, whatever a row's name says.
// biome-ignore format: a table, one column a user
const WHO = {
  //                             anonymous cw.lse cw.mee mgr.lse mgr.mee author analyst admin   auditor
  everyone:                     'ok        ok     ok     ok      ok      ok     ok      ok      ok',
  onlyVisitors:                 'ok        303    303    303     303     303    303     303     303',
  signedIn:                     'in        ok     ok     ok      ok      ok     ok      ok      ok',
  signedInElse401:              '401       ok     ok     ok      ok      ok     ok      ok      ok',
  allButRuleAuthors:            'in        ok     ok     ok      ok      403    ok      ok      403',
  allButRuleAuthorsWhoChoose:   'in        ok     ok     ok      ok      403    200     200     403',
  allButRuleAuthorsInLse:       'in        ok     404    ok      404     403    ok      ok      403',
  regionChoiceOfLse:            'in        ok     403    ok      403     403    ok      ok      403',
  miOfLse:                      'in        ok     400    ok      400     403    ok      ok      403',
  caseworkersAndManagersInLse:  'in        ok     404    ok      404     403    403     403     403',
  caseworkersAndManagersInMee:  'in        404    ok     404     ok      403    403     403     403',
  caseworkersAndManagers:       'in        ok     ok     ok      ok      403    403     403     403',
  managersAndNational:          'in        403    403    ok      ok      403    ok      ok      403',
  managersAndNationalMiOfLse:   'in        403    403    ok      400     403    ok      ok      403',
  managersAndAdmins:            'in        403    403    ok      ok      403    403     ok      403',
  auditReaders:                 'in        403    403    403     403     403    403     ok      ok',
  managersOfLseAndAdmins:       'in        403    403    ok      403     403    403     ok      403',
  admins:                       'in        403    403    403     403     403    403     ok      403',
  ruleChangeReaders:            'in        403    403    ok      ok      ok     ok      403     403',
} as const

/** The two recommended tasks the case rows ask about: P5's in LSE, P4's in MEE. */
interface Tasks {
  readonly lse: number
  readonly mee: number
}

interface Ask {
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly form?: Record<string, string | string[]>
}

interface Row {
  /** The route as registered: method and URL pattern. */
  readonly route: string
  /** The status of the route's own answer ("ok"). */
  readonly ok: number
  /** What each column gets. */
  readonly who: string
  readonly ask: (task: Tasks) => Ask
}

const row = (route: string, ok: number, who: string, ask: Row['ask']): Row => ({ route, ok, who, ask })
const get = (url: string): Ask => ({ method: 'GET', url })
const post = (url: string, form: Ask['form'] = {}): Ask => ({ method: 'POST', url, form })
const JULY = { from: '2026-07-01', to: '2026-07-31' }
const LSE_JULY = { ...JULY_FORM, region: 'LSE' }
/** A version the task never had: the decision is refused, as stale or as incomplete, and nothing is written. */
const STALE = { version: '999' }
const ACTIONS = ['accept', 'reject', 'hold'] as const

// biome-ignore format: a table, one route a line
const ROWS: readonly Row[] = [
  row('GET /',                              200, WHO.everyone,     () => get(paths.home())),
  row('GET /sign-in',                       200, WHO.onlyVisitors, () => get(paths.signIn())),
  row('POST /sign-in',                      400, WHO.everyone,     () => post(paths.signIn())),
  row('GET /sign-in/provider',              303, WHO.everyone,     () => get(paths.signInWithProvider())),
  row('GET /sign-in/callback',              400, WHO.everyone,     () => get(paths.signInCallback())),
  row('GET /signed-out',                    200, WHO.onlyVisitors, () => get(paths.signedOut())),
  row('GET /timed-out',                     200, WHO.onlyVisitors, () => get(paths.timedOut('idle'))),
  row('GET /session/status',                200, WHO.everyone,     () => get(paths.sessionStatus())),
  row('POST /session/keep-alive',           204, WHO.signedInElse401, () => post(paths.sessionKeepAlive())),
  row('GET /health',                        200, WHO.everyone,     () => get(paths.health())),
  row('GET /health/ready',                  200, WHO.everyone,     () => get(paths.healthReady())),
  row('GET /info',                          200, WHO.everyone,     () => get(paths.info())),
  row('GET /transparency',                  200, WHO.everyone,     () => get(paths.transparency())),
  row('GET /transparency.json',             200, WHO.everyone,     () => get(paths.transparencyFile('json'))),
  row('GET /transparency.md',               200, WHO.everyone,     () => get(paths.transparencyFile('md'))),
  row('GET /assets/*',                      200, WHO.everyone,     () => get('/assets/images/favicon.svg')),
  row('GET /vendor/govuk-frontend/*',       200, WHO.everyone,     () => get(paths.assets.govukFrontendJs())),
  row('GET /vendor/moj-frontend/*',         200, WHO.everyone,     () => get(paths.assets.mojFrontendCss())),
  row('GET /vendor/accessible-autocomplete/*', 200, WHO.everyone,  () => get(paths.assets.accessibleAutocompleteJs())),
  row('GET /public/*',                      200, WHO.everyone,     () => get(paths.assets.applicationCss())),

  row('GET /rules',                         200, WHO.signedIn,     () => get(paths.rules())),
  row('GET /help',                          200, WHO.signedIn,     () => get(paths.help())),
  // The MI fixture's rule set is published (test/support/mi.ts): its impact report has a page.
  row('GET /rules/changes',                 200, WHO.ruleChangeReaders, () => get(paths.ruleChanges())),
  row('GET /rules/changes/:version',        200, WHO.ruleChangeReaders, () => get(paths.ruleChange('mi-v1'))),

  row('GET /review-tasks',                  303, WHO.allButRuleAuthors,      () => get(paths.reviewTasks())),
  row('GET /review-tasks/:tab',             303, WHO.allButRuleAuthors,      () => get(paths.reviewTab('accepted'))),
  // One region: straight on to its search; a national role chooses.
  row('GET /review-tasks/region',           303, WHO.allButRuleAuthorsWhoChoose, () => get(paths.reviewRegion())),
  // Only a tampered form names a region that was not offered: refused, as today.
  row('POST /review-tasks/region',          303, WHO.regionChoiceOfLse,      () => post(paths.reviewRegion(), { region: 'LSE' })),
  row('GET /review-tasks/:region/search',   200, WHO.allButRuleAuthorsInLse, () => get(paths.reviewSearch('LSE'))),
  row('POST /review-tasks/:region/search',  200, WHO.allButRuleAuthorsInLse, () => post(paths.reviewSearch('LSE'), { remove: 'FRA' })),
  row('GET /review-tasks/:region/:tab',     200, WHO.allButRuleAuthorsInLse, () => get(paths.reviewList('LSE', 'accepted'))),
  row('POST /review-tasks/clear-data',      303, WHO.allButRuleAuthors,      () => post(paths.reviewClear())),

  row('GET /tasks/:taskId',                 303, WHO.caseworkersAndManagersInLse, (t) => get(paths.task(t.lse))),
  row('GET /tasks/:taskId/:section',        200, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskSection(t.lse, 'person-details'))),
  row('GET /tasks/:taskId/:section',        200, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskSection(t.lse, 'why-recommended'))),
  row('GET /tasks/:taskId/:section',        200, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskSection(t.lse, 'history'))),
  row('GET /tasks/:taskId/:section',        200, WHO.caseworkersAndManagersInMee, (t) => get(paths.taskSection(t.mee, 'person-details'))),
  ...ACTIONS.flatMap((action) => [
    row(`GET /tasks/:taskId/${action}`,     200, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskDecision(t.lse, action))),
    // Posted stale: an incomplete acceptance or rejection is 400, a hold (nothing to fill in) is stale, 409.
    row(`POST /tasks/:taskId/${action}`,    action === 'hold' ? 409 : 400, WHO.caseworkersAndManagersInLse, (t) => post(paths.taskDecision(t.lse, action), STALE)),
    // Not decided this way: the confirmation sends the user to the case instead.
    row(`GET /tasks/:taskId/${action}/done`, 303, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskDecided(t.lse, action))),
  ]),
  row('POST /tasks/:taskId/accept',         400, WHO.caseworkersAndManagersInMee, (t) => post(paths.taskDecision(t.mee, 'accept'), STALE)),

  // Representations: the LSE task is undecided, so the form says so and a post is refused; nothing is recorded.
  row('GET /tasks/:taskId/representations',  200, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskRepresentations(t.lse))),
  row('POST /tasks/:taskId/representations', 400, WHO.caseworkersAndManagersInLse, (t) => post(paths.taskRepresentations(t.lse))),
  row('GET /tasks/:taskId/information',      200, WHO.caseworkersAndManagersInLse, (t) => get(paths.taskInformation(t.lse))),
  row('GET /contests',                       200, WHO.caseworkersAndManagers,      () => get(paths.contests())),
  // Assignment, posted stale or with nothing ticked: nothing is assigned.
  row('POST /tasks/:taskId/assignment',       409, WHO.caseworkersAndManagersInLse, (t) => post(paths.taskAssignment(t.lse), { ...STALE, action: 'assign-to-me' })),
  row('POST /review-tasks/:region/assignment', 400, WHO.caseworkersAndManagersInLse, () => post(paths.reviewAssignment('LSE'), { action: 'assign-to-me' })),
  row('GET /my-tasks',                        200, WHO.caseworkersAndManagers,      () => get(paths.myTasks())),
  row('POST /review-tasks/:region/hold',      400, WHO.caseworkersAndManagersInLse, () => post(paths.reviewHold('LSE'))),

  // No such contest: those who may review contests get "page not found", the others no permission.
  row('GET /contests/:contestId',            404, WHO.caseworkersAndManagers,      () => get(paths.contest(999999))),
  row('POST /contests/:contestId',           404, WHO.caseworkersAndManagers,      () => post(paths.contest(999999), STALE)),

  row('GET /mi',                            200, WHO.allButRuleAuthors, () => get(paths.miReport())),
  row('GET /mi/download',                   303, WHO.allButRuleAuthors, () => get(`${paths.miDownload()}?${new URLSearchParams({ ...JULY_FORM, format: 'csv' })}`)),
  row('GET /mi/report.csv',                 200, WHO.allButRuleAuthors, () => get(paths.miReportFile('csv', JULY))),
  row('GET /mi/report.csv',                 200, WHO.miOfLse,           () => get(paths.miReportFile('csv', { ...JULY, region: 'LSE' }))),
  row('GET /mi/report.xlsx',                200, WHO.allButRuleAuthors, () => get(paths.miReportFile('xlsx', JULY))),
  row('GET /mi/report.xlsx',                200, WHO.miOfLse,           () => get(paths.miReportFile('xlsx', { ...JULY, region: 'LSE' }))),
  row('GET /mi/dashboard',                  200, WHO.managersAndNational,        () => get(paths.miDashboard(JULY_FORM))),
  row('GET /mi/dashboard',                  200, WHO.managersAndNationalMiOfLse, () => get(paths.miDashboard(LSE_JULY))),
  row('GET /mi/data-quality',               200, WHO.managersAndNational,        () => get(paths.miDataQuality(undefined, JULY_FORM))),
  row('GET /mi/data-quality',               200, WHO.managersAndNationalMiOfLse, () => get(paths.miDataQuality(undefined, LSE_JULY))),
  row('GET /mi/data-quality.csv',           200, WHO.managersAndNational,        () => get(paths.miDataQuality('csv', JULY_FORM))),
  row('GET /mi/data-quality.csv',           200, WHO.managersAndNationalMiOfLse, () => get(paths.miDataQuality('csv', LSE_JULY))),
  row('GET /mi/decisions',                  200, WHO.managersAndNational,        () => get(paths.miDecisions({ ...JULY_FORM, user: 'cw.lse' }))),
  row('GET /mi/decisions',                  200, WHO.managersAndNationalMiOfLse, () => get(paths.miDecisions({ ...LSE_JULY, ruleVersion: 'v1' }))),

  // Users: a manager only their regions' caseworkers (cw.lse is LSE's). Forms are posted empty or
  // stale, so nothing is added or changed.
  row('GET /users',                         200, WHO.managersAndAdmins,      () => get(paths.users())),
  row('GET /users/new',                     200, WHO.managersAndAdmins,      () => get(paths.userNew())),
  row('POST /users/new',                    400, WHO.managersAndAdmins,      () => post(paths.userNew())),
  row('GET /users/:userId',                 200, WHO.managersOfLseAndAdmins, () => get(paths.user('cw.lse'))),
  row('GET /users/:userId/roles-and-regions',  200, WHO.managersOfLseAndAdmins, () => get(paths.userAccess('cw.lse'))),
  row('POST /users/:userId/roles-and-regions', 409, WHO.managersOfLseAndAdmins, () => post(paths.userAccess('cw.lse'), { ...STALE, roles: 'CASEWORKER', regions: 'MEE' })),
  row('GET /users/:userId/deactivate',      200, WHO.managersOfLseAndAdmins, () => get(paths.userDeactivate('cw.lse'))),
  row('POST /users/:userId/deactivate',     409, WHO.managersOfLseAndAdmins, () => post(paths.userDeactivate('cw.lse'), STALE)),
  row('POST /users/:userId/reactivate',     409, WHO.managersOfLseAndAdmins, () => post(paths.userReactivate('cw.lse'), STALE)),

  // The audit: administrators and auditors only, whatever their regions.
  row('GET /audit',                         200, WHO.auditReaders,   () => get(paths.audit({ person: 'P5' }))),
  row('GET /audit/events.csv',              200, WHO.auditReaders,   () => get(paths.auditCsv({ person: 'P5' }))),
  row('GET /audit/people/:personId',        200, WHO.auditReaders,   () => get(paths.auditPerson('P5'))),

  // Background jobs: administrators only.
  row('GET /jobs',                          200, WHO.admins,         () => get(paths.jobs('failed'))),
  // No such job: administrators get "page not found", the others no permission.
  row('POST /jobs/:jobId/retry',            404, WHO.admins,         () => post(paths.jobRetry('00000000-0000-4000-8000-000000000000'))),

  // API clients: administrators only. No such client: administrators get "page not found".
  row('GET /clients',                       200, WHO.admins,         () => get(paths.apiClients())),
  row('GET /clients/new',                   200, WHO.admins,         () => get(paths.apiClientNew())),
  row('POST /clients/new',                  400, WHO.admins,         () => post(paths.apiClientNew())),
  row('GET /clients/:clientId/revoke',      404, WHO.admins,         () => get(paths.apiClientRevoke('ipic-nobody'))),
  row('POST /clients/:clientId/revoke',     404, WHO.admins,         () => post(paths.apiClientRevoke('ipic-nobody'))),

  // Event subscribers: administrators only. No such subscriber: administrators get "page not found".
  row('GET /subscribers',                   200, WHO.admins,         () => get(paths.subscribers())),
  row('GET /subscribers/new',               200, WHO.admins,         () => get(paths.subscriberNew())),
  row('POST /subscribers/new',              400, WHO.admins,         () => post(paths.subscriberNew())),
  row('POST /subscribers/:id/pause',        404, WHO.admins,         () => post(paths.subscriberPause('999'))),
  row('POST /subscribers/:id/resume',       404, WHO.admins,         () => post(paths.subscriberResume('999'))),
  row('GET /subscribers/:id/replay',        404, WHO.admins,         () => get(paths.subscriberReplay('999'))),
  row('POST /subscribers/:id/replay',       404, WHO.admins,         () => post(paths.subscriberReplay('999'))),
  row('GET /subscribers/:id/remove',        404, WHO.admins,         () => get(paths.subscriberRemove('999'))),
  row('POST /subscribers/:id/remove',       404, WHO.admins,         () => post(paths.subscriberRemove('999'))),

  // Last: it ends every session.
  row('POST /sign-out',                     303, WHO.everyone, () => post(paths.signOut())),
]

/** A route's answer as the table writes it. */
function outcome(response: LightMyRequestResponse, ok: number): string {
  const { statusCode: status, headers, body } = response
  if (status === 303 && /^\/sign-in(\?|$)/.test(String(headers.location))) return 'in'
  if (status === 403 && !/You do not have permission to see this page/.test(body)) return '403-other-page'
  if (status === 404 && !/Page not found/.test(body)) return '404-other-page'
  return status === ok ? 'ok' : String(status)
}

describe('permission matrix: every route, every role, two regions', () => {
  let database: TestDatabase
  let setup: SingleSignOnSetup
  let tasks: Tasks
  const routes: RouteOptions[] = []
  const clients = new Map<Column, { client: WebClient; csrf: string }>()

  before(async () => {
    database = await openTestDatabase()
    const { db } = database
    await insertMiUsers(db)
    const history = await buildMiFixture(db)
    await insertPersons(db, [
      { person_id: 'P5', given_names: 'Ola', family_name: 'Nowak', missed_events_90_days: 1 },
    ])
    const { ruleSet, compiled } = standInRuleSet('mi-v1')
    await runCompiledRules(db, { ruleSet, compiled, clock: history.clock, trigger: 'manual' })
    const recommended = await db
      .selectFrom('tasks')
      .select(['id', 'person_id'])
      .where('status', '=', 'RECOMMENDED')
      .execute()
    const idOf = (person: string) =>
      recommended.find((task) => task.person_id === person)?.id ?? assert.fail(person)
    tasks = { lse: idOf('P5'), mee: idOf('P4') }
    for (const [id, user] of Object.entries(USERS)) {
      await addTestUser(database, {
        id,
        roles: [...user.roles],
        regions: user.regions === 'all' ? 'all' : [...user.regions],
      })
    }

    setup = await startWithIdentityProvider(database, {
      clock: frozenClock(new Date('2026-08-01T09:00:00Z')),
      env: { SIGN_IN_LOCAL_ACCOUNTS: '1' },
      onRoute: (route) => routes.push(route),
    })
    const { app } = setup.web
    const visitor = new WebClient(app)
    clients.set('anonymous', { client: visitor, csrf: csrfTokenIn((await visitor.get(paths.signIn())).body) })
    for (const id of USER_IDS) {
      const client = await signedInClient(app, id)
      clients.set(id, { client, csrf: csrfTokenIn((await client.get(paths.home())).body) })
    }
  })
  after(async () => {
    await setup?.close()
    await database?.close()
  })

  it('has a row for every route the app registers (HEAD answers as its GET)', () => {
    // The API answers machine clients by scope, not people by role: its own tests (api-*.test.ts) cover each scope.
    const registered = routes
      .filter((route) => !route.url.startsWith('/api/v1/'))
      .flatMap((route) =>
        [route.method]
          .flat()
          .filter((method) => method !== 'HEAD')
          .map((method) => `${method} ${route.url}`),
      )
    const inTable = new Set(ROWS.map((row) => row.route))
    assert.deepEqual(
      registered.filter((route) => !inTable.has(route)),
      [],
      'routes with no row',
    )
    assert.deepEqual(
      [...inTable].filter((route) => !registered.includes(route)),
      [],
      'rows of no route',
    )
  })

  describe('MI: a manager sees their regions’ rows, a national role every region’s', () => {
    /** The person IDs in a CSV download's rows, the column named. */
    async function personsIn(userId: UserId, url: string, column: string): Promise<string[]> {
      const response = await clients.get(userId)!.client.get(url)
      assert.equal(response.statusCode, 200, `${userId}: ${url}`)
      const [header = [], ...records] = parseCsv(response.body.replace(/^\uFEFF/, ''))
      const index = header.indexOf(column)
      return [...new Set(records.map((record) => record[index] ?? ''))].sort()
    }

    const REPORT: Readonly<Record<Exclude<UserId, 'author' | 'auditor'>, string[]>> = {
      'cw.lse': ['P1', 'P2', 'P3', 'P5'],
      'cw.mee': ['P4'],
      'mgr.lse': ['P1', 'P2', 'P3', 'P5'],
      'mgr.mee': ['P4'],
      analyst: ['P1', 'P2', 'P3', 'P4', 'P5'],
      admin: ['P1', 'P2', 'P3', 'P4', 'P5'],
    }
    for (const [userId, persons] of Object.entries(REPORT)) {
      it(`the MI report of ${userId}: ${persons.join(', ')}`, async () => {
        assert.deepEqual(
          await personsIn(userId as UserId, paths.miReportFile('csv', JULY), 'Person ID'),
          persons,
        )
      })
    }

    // Only P2's rejection, in LSE, says the source data is wrong.
    const DATA_QUALITY = { 'mgr.lse': ['P2'], 'mgr.mee': [], analyst: ['P2'], admin: ['P2'] } as const
    for (const [userId, persons] of Object.entries(DATA_QUALITY)) {
      it(`the data-quality list of ${userId}: ${persons.join(', ') || 'nobody'}`, async () => {
        const url = paths.miDataQuality('csv', JULY_FORM)
        assert.deepEqual(await personsIn(userId as UserId, url, 'Person ID'), persons)
      })
    }

    it('the dashboard names only the regions the user sees', async () => {
      const dashboard = async (userId: UserId) =>
        (await clients.get(userId)!.client.get(paths.miDashboard(JULY_FORM))).body
      assert.doesNotMatch(await dashboard('mgr.lse'), /Midlands and East/)
      assert.doesNotMatch(await dashboard('mgr.mee'), /London and South East/)
      for (const national of ['analyst', 'admin'] as const) {
        const page = await dashboard(national)
        assert.match(page, /All regions/)
        assert.match(page, /Midlands and East/)
        assert.match(page, /London and South East/)
      }
    })
  })

  for (const [index, row] of ROWS.entries()) {
    it(`${row.route} (${index + 1})`, async () => {
      const ask = row.ask(tasks)
      const actual: string[] = []
      for (const column of COLUMNS) {
        const { client, csrf } = clients.get(column)!
        const response =
          ask.method === 'GET'
            ? await client.get(ask.url)
            : await client.post(ask.url, { _csrf: csrf, ...ask.form })
        actual.push(outcome(response, row.ok))
      }
      const expected = row.who.split(/\s+/)
      assert.deepEqual(
        actual,
        expected,
        `${ask.method} ${ask.url}\n  ${COLUMNS.join(' ')}\n  expected: ${expected.join(' ')}\n  actual:   ${actual.join(' ')}`,
      )
    })
  }
})
