import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { addMiTestUsers, buildMiFixture, parseCsv, readWorkbook } from '../support/mi.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('the MI pages, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    // A month after the fixture's events, so the pages' default 28 days cover some of them.
    server = await startServer({ today: '2026-07-20' })
    await addMiTestUsers(server.database)
    await buildMiFixture(server.database.db)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  async function fillRange(page: Page, from: [string, string, string], to: [string, string, string]) {
    const boxes = [
      ['From', from],
      ['To', to],
    ] as const
    for (const [legend, [day, month, year]] of boxes) {
      const group = page.getByRole('group', { name: legend, exact: true })
      await group.getByLabel('Day').fill(day)
      await group.getByLabel('Month').fill(month)
      await group.getByLabel('Year').fill(year)
    }
  }

  it('downloads the report after showing the errors in a range it cannot meet, accessibly', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'mgr')
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'MI report' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.miReport()}`)
      assert.equal(await page.title(), 'MI report – Identify and prioritise immigration cases – GOV.UK')
      await assertAccessible(page, 'the MI report form')

      // The To date is before the From date, and no format is chosen.
      await fillRange(page, ['5', '7', '2026'], ['1', '7', '2026'])
      await page.getByRole('button', { name: 'Create and download report' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      assert.equal(
        await page.title(),
        'Error: MI report – Identify and prioritise immigration cases – GOV.UK',
      )
      const summary = page.locator('.govuk-error-summary')
      assert.equal(await summary.getByRole('link', { name: 'Select the format of the report' }).count(), 1)
      assert.ok((await summary.getByRole('link').count()) >= 2, 'the range and the format are both reported')
      await assertErrorSummaryFocused(page)
      await assertAccessible(page, 'the MI report form with errors')

      for (const format of ['csv', 'xlsx'] as const) {
        await fillRange(page, ['1', '7', '2026'], ['5', '7', '2026'])
        await page.getByRole('radio', { name: format === 'csv' ? /CSV/ : /Excel/ }).check()
        const started = page.waitForEvent('download')
        await page.getByRole('button', { name: 'Create and download report' }).click()
        const download = await started
        assert.equal(download.suggestedFilename(), `ipic-mi-LSE-2026-07-01-to-2026-07-05.${format}`)
        const saved = await download.path()
        const bytes = await readFile(saved)
        if (format === 'csv') {
          const records = parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''))
          assert.equal(records[0]?.[0], 'Person ID')
          assert.ok(records.length > 1, 'the CSV has data rows')
        } else {
          const sheet = await readWorkbook(bytes)
          assert.equal(sheet.getRow(1).getCell(1).value, 'Person ID')
          assert.ok(sheet.rowCount > 1, 'the workbook has data rows')
        }
      }
      const audit = await server.database.db
        .selectFrom('mi_downloads')
        .select(['kind', 'format', 'user_id'])
        .where('user_id', '=', 'mgr')
        .where('kind', '=', 'REPORT')
        .orderBy('id')
        .execute()
      assert.deepEqual(
        audit.map((row) => row.format),
        ['csv', 'xlsx'],
        'both downloads are in the audit log',
      )
      // A download leaves the browser on the form.
      assert.equal(await page.getByRole('heading', { level: 1, name: 'MI report' }).count(), 1)
      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing assets')
    } finally {
      await close()
    }
  })

  it('shows the dashboard and the data-quality list, accessibly', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'mgr')
      await page.goto(`${server.baseUrl}${paths.miReport()}`)
      await page.getByRole('link', { name: 'MI dashboard' }).click()
      await page.getByRole('heading', { level: 1, name: 'MI dashboard' }).waitFor()
      assert.equal(await page.title(), 'MI dashboard – Identify and prioritise immigration cases – GOV.UK')
      await assertAccessible(page, 'the MI dashboard')

      await page.getByRole('group', { name: 'From', exact: true }).getByLabel('Year').fill('20x6')
      await page.getByRole('button', { name: 'Update dashboard' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      assert.match(await page.title(), /^Error: MI dashboard/)
      await assertAccessible(page, 'the MI dashboard with errors')

      await page.goto(`${server.baseUrl}${paths.miReport()}`)
      await page.getByRole('link', { name: 'Data-quality list' }).click()
      await page.getByRole('heading', { level: 1, name: 'Data-quality list' }).waitFor()
      assert.equal(
        await page.title(),
        'Data-quality list – Identify and prioritise immigration cases – GOV.UK',
      )
      assert.equal(await page.getByRole('heading', { name: '1 rejection' }).count(), 1)
      await assertAccessible(page, 'the data-quality list')

      const started = page.waitForEvent('download')
      await page.getByRole('link', { name: 'Download this list as CSV' }).click()
      const download = await started
      assert.match(download.suggestedFilename(), /^ipic-data-quality-LSE-2026-06-2\d-to-2026-07-20\.csv$/)
      const dataQualityDownloads = await server.database.db
        .selectFrom('mi_downloads')
        .select(['rows'])
        .where('kind', '=', 'DATA_QUALITY')
        .execute()
      assert.deepEqual(dataQualityDownloads, [{ rows: 1 }], 'the CSV is in the audit log')

      await page.getByRole('group', { name: 'Rejected to', exact: true }).getByLabel('Day').fill('32')
      await page.getByRole('button', { name: 'Show rejections' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      assert.match(await page.title(), /^Error: Data-quality list/)
      await assertAccessible(page, 'the data-quality list with errors')
      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing assets')
    } finally {
      await close()
    }
  })
})
