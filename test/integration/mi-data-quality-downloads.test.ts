import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addMiTestUsers, buildMiFixture, finishedMiDownloads, JULY_FORM } from '../support/mi.ts'
import { startTestApp, type TestApp, WebClient } from '../support/web.ts'

const NOW = new Date('2026-08-01T09:00:00Z')
const JULY = JULY_FORM

describe('data-quality list downloads in the MI download audit', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    await buildMiFixture(database.db)
    web = await startTestApp(database, { clock: frozenClock(NOW) })
  })
  beforeEach(async () => {
    await database.db.deleteFrom('mi_downloads').execute()
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

  it('records who took the CSV, when, for which range and regions, and how many rows it held', async () => {
    const response = await (await signedIn('mgr')).get(paths.miDataQuality('csv', JULY))
    assert.equal(response.statusCode, 200)
    const rows = await finishedMiDownloads(database.db)
    assert.equal(rows.length, 1)
    const row = rows[0]
    assert.ok(row)
    assert.equal(row.kind, 'DATA_QUALITY')
    assert.equal(row.user_id, 'mgr')
    assert.equal(new Date(row.started_at).getTime(), NOW.getTime())
    assert.equal(new Date(row.finished_at ?? 0).getTime(), NOW.getTime())
    assert.equal(row.from_date, '2026-07-01')
    assert.equal(row.to_date, '2026-07-31')
    assert.deepEqual(row.regions, ['LSE'])
    assert.equal(row.all_regions, false)
    assert.equal(row.format, 'csv')
    assert.equal(row.outcome, 'COMPLETED')
    assert.equal(row.rows, 1)
  })

  it('records an empty list for all regions with no rows', async () => {
    const response = await (await signedIn('lead')).get(
      paths.miDataQuality('csv', { ...JULY, 'from-day': '10' }),
    )
    assert.equal(response.statusCode, 200)
    const [row, ...others] = await finishedMiDownloads(database.db)
    assert.equal(others.length, 0)
    assert.equal(row?.kind, 'DATA_QUALITY')
    assert.equal(row?.user_id, 'lead')
    assert.equal(row?.all_regions, true)
    assert.deepEqual(row?.regions, [])
    assert.equal(row?.from_date, '2026-07-10')
    assert.equal(row?.rows, 0)
    assert.equal(row?.outcome, 'COMPLETED')
  })

  it('records nothing for the page itself, or for a range that gives no file', async () => {
    const client = await signedIn('mgr')
    assert.equal((await client.get(paths.miDataQuality(undefined, JULY))).statusCode, 200)
    const reversed = { ...JULY, 'to-month': '6' }
    assert.equal((await client.get(paths.miDataQuality('csv', reversed))).statusCode, 400)
    // Not for someone who may not have the list either.
    assert.equal((await (await signedIn('cw1')).get(paths.miDataQuality('csv', JULY))).statusCode, 403)
    assert.deepEqual(await finishedMiDownloads(database.db), [])
  })

  it('keeps recording MI report downloads as reports', async () => {
    const response = await (await signedIn('mgr')).get(
      paths.miReportFile('csv', { from: '2026-07-01', to: '2026-07-05', region: '' }),
    )
    assert.equal(response.statusCode, 200)
    const [row] = await finishedMiDownloads(database.db)
    assert.equal(row?.kind, 'REPORT')
  })
})
