/**
 * No signed-in page may be cached: on a shared computer the back button
 * would show a case from the cache after sign-out. Every page, redirect,
 * form, error and download answers `Cache-Control: no-store`; the static
 * assets stay cacheable.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CASE_SECTIONS, DECISION_ACTIONS } from '../../src/web/case/sections.ts'
import { paths } from '../../src/web/paths.ts'
import { seedLseAndMeeTasks } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { manualClock } from '../support/tasks.ts'
import { addTestUser, signedInClient, startTestApp, type TestApp, WebClient } from '../support/web.ts'

describe('caching', () => {
  let database: TestDatabase
  let web: TestApp
  let lseTask: number

  before(async () => {
    database = await openTestDatabase()
    const clock = manualClock(new Date('2026-03-02T09:00:00Z'))
    web = await startTestApp(database, { clock })
    await addTestUser(database, { id: 'cw1', regions: ['LSE'] })
    await addTestUser(database, { id: 'mgr', roles: ['MANAGER'], regions: ['LSE'] })
    ;({ lseTask } = await seedLseAndMeeTasks(database.db, clock))
  })
  after(async () => {
    await web.close()
    await database.close()
  })

  function assertNotStored(response: { statusCode: number; headers: Record<string, unknown> }, url: string) {
    assert.equal(response.headers['cache-control'], 'no-store', `${url} (${response.statusCode})`)
  }

  it('is forbidden for every page a caseworker sees, whatever its status', async () => {
    const client = await signedInClient(web.app, 'cw1')
    const back = '/review-tasks/LSE/accepted'
    const urls = [
      paths.home(),
      paths.reviewTasks(),
      paths.reviewRegion(),
      paths.reviewSearch('LSE'),
      paths.reviewList('LSE', 'accepted'),
      paths.reviewList('LSE', 'rejected'),
      paths.reviewList('LSE', 'on-hold'),
      paths.task(lseTask, back),
      ...CASE_SECTIONS.map(({ slug }) => paths.taskSection(lseTask, slug, back)),
      ...DECISION_ACTIONS.map((action) => paths.taskDecision(lseTask, action, back)),
      paths.rules(),
      paths.miReport(),
      paths.miReportFile('csv', { from: '2026-03-01', to: '2026-03-02' }),
      paths.miReportFile('xlsx', { from: '2026-03-01', to: '2026-03-02' }),
      // Refused and missing pages, which still show who is signed in.
      paths.miDashboard(),
      '/tasks/999999/person-details',
      '/no-such-page',
    ]
    for (const url of urls) assertNotStored(await client.get(url), url)
    for (const { slug } of CASE_SECTIONS) {
      assert.equal((await client.get(paths.taskSection(lseTask, slug))).statusCode, 200, slug)
    }
    // A form with a problem, showing back what was typed.
    const refused = await client.submit(
      paths.taskDecision(lseTask, 'reject'),
      paths.taskDecision(lseTask, 'reject'),
      { version: '1', details: 'typed by the caseworker' },
    )
    assert.equal(refused.statusCode, 400)
    assertNotStored(refused, 'the reject form with problems')
  })

  it('is forbidden for the MI pages and downloads a manager sees', async () => {
    const client = await signedInClient(web.app, 'mgr')
    for (const url of [
      paths.miDashboard(),
      paths.miDataQuality(),
      paths.miDataQuality('csv'),
      paths.miReport(),
      paths.miReportFile('csv', { from: '2026-03-01', to: '2026-03-02' }),
    ]) {
      assertNotStored(await client.get(url), url)
    }
  })

  it('is forbidden for the sign-in and sign-out pages, which carry a form token', async () => {
    const client = new WebClient(web.app)
    assertNotStored(await client.get(paths.signIn()), paths.signIn())
    assertNotStored(await client.get(paths.reviewTasks()), 'the redirect to sign in')
    assertNotStored(await client.signIn('cw1'), 'signing in')
  })

  it('is left to the static assets, which are the same for everyone', async () => {
    for (const url of [paths.assets.applicationCss(), paths.assets.govukFrontendCss()]) {
      const response = await web.app.inject({ url })
      assert.equal(response.statusCode, 200, url)
      assert.match(String(response.headers['cache-control']), /^public, max-age=\d+$/, url)
    }
  })
})
