import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addMiTestUsers, buildMiFixture, JULY_FORM, parseCsv } from '../support/mi.ts'
import { startTestApp, type TestApp, titleOf, WebClient } from '../support/web.ts'

const JULY = JULY_FORM

describe('MI pages for managers: data-quality list and dashboard', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    await buildMiFixture(database.db)
    web = await startTestApp(database, { clock: frozenClock(new Date('2026-08-01T09:00:00Z')) })
  })
  after(async () => {
    await web.close()
    await database.close()
  })

  async function signedIn(userId: string): Promise<WebClient> {
    const client = new WebClient(web.app)
    await client.signIn(userId)
    return client
  }

  it('lists rejections for source data that is wrong, with the person, explanation and who rejected', async () => {
    const page = await (await signedIn('mgr')).get(paths.miDataQuality(undefined, JULY))
    assert.equal(page.statusCode, 200)
    assert.match(titleOf(page.body), /^Data-quality list/)
    assert.match(page.body, /1 rejection</)
    assert.match(page.body, /Ana Díaz \(P2, HO\/P2\)/)
    assert.match(page.body, /Date of birth is wrong in CID, and he is in hospital/)
    assert.match(page.body, /Casey Worker \(cw1\)/)
    // Only the data-quality reason is listed: "Medical" is the caseworker's business.
    assert.match(page.body, />\s*Source data incorrect\s*</)
    assert.doesNotMatch(page.body, />\s*Medical/)
    assert.match(page.body, /11:00am on 3 July 2026/)
  })

  it('gives the same list as CSV', async () => {
    const response = await (await signedIn('lead')).get(paths.miDataQuality('csv', JULY))
    assert.equal(response.statusCode, 200)
    assert.equal(
      response.headers['content-disposition'],
      'attachment; filename="ipic-data-quality-ALL-2026-07-01-to-2026-07-31.csv"',
    )
    const records = parseCsv(response.body.replace(/^\uFEFF/, ''))
    assert.deepEqual(records, [
      [
        'Rejected On',
        'Person ID',
        'HO ID',
        'Full Name',
        'Intervention Type',
        'ROM Region',
        'Data-quality Reasons',
        'Rejection Explanation',
        'Rejected By',
        'Status Now',
      ],
      [
        '03/07/2026 11:00:00',
        'P2',
        'HO/P2',
        'Ana Díaz',
        'Failed-to-report follow-up',
        'London and South East',
        'Source data incorrect',
        'Date of birth is wrong in CID, and he is in hospital',
        'cw1',
        'Rejected',
      ],
    ])
  })

  it('keeps to the user’s region', async () => {
    const page = await (await signedIn('lead')).get(
      paths.miDataQuality(undefined, { ...JULY, region: 'MEE' }),
    )
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /0 rejections/)
    assert.doesNotMatch(page.body, /HO\/P2/)
  })

  it('defaults to the last 28 days', async () => {
    const page = await (await signedIn('mgr')).get(paths.miDataQuality())
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /name="from-day"[^>]*value="5"/)
    assert.match(page.body, /0 rejections/)
  })

  it('is for managers and national roles only', async () => {
    const page = await (await signedIn('cw1')).get(paths.miDataQuality(undefined, JULY))
    assert.equal(page.statusCode, 403)
  })

  it('shows the errors and no list or file for bad dates', async () => {
    const client = await signedIn('mgr')
    const reversed = { ...JULY, 'to-month': '6' }
    const page = await client.get(paths.miDataQuality(undefined, reversed))
    assert.equal(page.statusCode, 400)
    assert.match(titleOf(page.body), /^Error: Data-quality list/)
    assert.match(page.body, /href="#to-day"/)
    assert.doesNotMatch(page.body, /HO\/P2/)
    const file = await client.get(paths.miDataQuality('csv', reversed))
    assert.equal(file.statusCode, 400)
    assert.equal(file.headers['content-disposition'], undefined)
  })

  it('draws the dashboard: charts with titles, and their figures in tables beneath', async () => {
    const page = await (await signedIn('mgr')).get(paths.miDashboard(JULY))
    assert.equal(page.statusCode, 200)
    assert.match(titleOf(page.body), /^MI dashboard/)
    const charts = page.body.match(/<svg[^>]*class="app-chart"[^>]*role="img"/g) ?? []
    assert.equal(charts.length, 5)
    assert.match(page.body, /<title id="chart-weekly-title">Tasks recommended and decided each week<\/title>/)
    assert.match(page.body, /Week starting/)
    // cw1 accepted one task (P1) and rejected one (P2) in LSE.
    assert.match(page.body, /Casey Worker \(cw1\)/)
    assert.match(page.body, /50\.0%/)
  })

  it('narrows the dashboard to a task type, and refuses one that does not exist', async () => {
    const client = await signedIn('lead')
    const safeguarding = await client.get(paths.miDashboard({ ...JULY, taskType: 'SAFEGUARDING' }))
    assert.equal(safeguarding.statusCode, 200)
    assert.doesNotMatch(safeguarding.body, /Casey Worker/)
    const unknown = await client.get(paths.miDashboard({ ...JULY, taskType: 'NOPE' }))
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /href="#task-type"/)
    assert.match(unknown.body, /Select a task type from the list/)
  })

  it('keeps the dashboard from caseworkers', async () => {
    const page = await (await signedIn('cw1')).get(paths.miDashboard(JULY))
    assert.equal(page.statusCode, 403)
  })
})
