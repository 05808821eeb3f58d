import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { addTestUser, TEST_PASSWORD } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'

const TODAY = '2026-03-02'

async function signIn(page: Page, baseUrl: string, userId: string): Promise<void> {
  await page.goto(`${baseUrl}${paths.signIn(paths.reviewTasks())}`)
  await page.getByLabel('User ID').fill(userId)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function fillDates(
  page: Page,
  from: [string, string, string],
  to: [string, string, string],
): Promise<void> {
  for (const [legend, parts] of [
    ['From', from],
    ['To', to],
  ] as const) {
    const group = page.getByRole('group', { name: legend, exact: true })
    await group.getByLabel('Day').fill(parts[0])
    await group.getByLabel('Month').fill(parts[1])
    await group.getByLabel('Year').fill(parts[2])
  }
}

describe('reviewing tasks in a browser', () => {
  let server: RunningServer
  let browser: Browser
  before(async () => {
    server = await startServer({ today: TODAY })
    await addTestUser(server.database, {
      id: 'jo.caseworker',
      name: 'Jo Caseworker',
      regions: ['LSE', 'MEE'],
    })
    await insertReviewTasks(
      server.database.db,
      Array.from({ length: 150 }, (_, index) => ({
        personId: `P${String(index).padStart(3, '0')}`,
        priority: 200 - index,
        reportingDate: '2026-03-10',
        ...(index % 10 === 0 ? { referrals: ['RETURNS_PREPARATION'] } : {}),
      })),
    )
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('chooses a region, searches, and pages through more than 100 results, accessibly', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signIn(page, server.baseUrl, 'jo.caseworker')
      await page.waitForURL(`**${paths.reviewRegion()}`)
      await page.getByRole('heading', { name: 'Select your ROM region' }).waitFor()
      await assertAccessible(page, 'the region page')

      await page.getByLabel('Select your ROM region').selectOption({ label: 'London and South East' })
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(`**${paths.reviewSearch('LSE')}`)
      await page.getByText('You have not searched for any tasks.').waitFor()
      assert.equal(await page.getByRole('link', { name: 'Recommended (150)' }).count(), 1)
      await assertAccessible(page, 'the empty search page')

      await page.getByRole('button', { name: 'Search tasks' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      assert.equal(await page.getByRole('link', { name: 'Select at least one task type' }).count(), 1)
      assert.equal(await page.getByRole('link', { name: 'Enter the date to search from' }).count(), 1)
      await assertAccessible(page, 'the search page with errors')

      await page.getByLabel('Failed-to-report follow-up').check()
      await fillDates(page, ['2', '3', '2026'], ['16', '3', '2026'])
      // JavaScript on: the country select has become a type-ahead.
      const country = page.getByRole('combobox', { name: 'Country of nationality (optional)' })
      await country.fill('Nige')
      await page.getByRole('option', { name: 'Nigeria' }).click()
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      await page.getByRole('button', { name: 'Remove Nigeria' }).waitFor()
      await assertAccessible(page, 'the search page with a country added')

      await page.getByRole('button', { name: 'Search tasks' }).click()
      await page.getByText('Showing 1 – 100 of 150 results').waitFor()
      assert.match(
        page.url(),
        /\/review-tasks\/LSE\/recommended\?taskType=FAILED_TO_REPORT&from=2026-03-02&to=2026-03-16&country=NGA$/,
      )
      assert.equal(await page.locator('tbody tr').count(), 100)
      assert.equal(await page.getByRole('link', { name: 'Recommended (150)' }).count(), 1)
      await assertAccessible(page, 'the first page of results')

      // On a phone the table scrolls sideways in its own pane, which the
      // keyboard can reach; the page itself keeps to the screen's width.
      const viewport = page.viewportSize()
      await page.setViewportSize({ width: 375, height: 800 })
      const pane = page.locator('.moj-scrollable-pane')
      assert.equal(await pane.getAttribute('tabindex'), '0')
      assert.ok(await pane.evaluate((element) => element.scrollWidth > element.clientWidth))
      const pageFits = await pane.evaluate((element) => {
        const root = element.ownerDocument.documentElement
        return root.scrollWidth <= root.clientWidth
      })
      assert.ok(pageFits, 'the page itself does not scroll sideways')
      await assertAccessible(page, 'the first page of results on a phone')
      if (viewport) await page.setViewportSize(viewport)

      await page.getByRole('link', { name: 'Next' }).click()
      await page.getByText('Showing 101 – 150 of 150 results').waitFor()
      assert.equal(await page.locator('tbody tr').count(), 50)
      assert.match(page.url(), /&page=2$/)
      await assertAccessible(page, 'the second page of results')

      // A case opened from page 2 leads back to page 2 of the same search.
      await page.locator('tbody tr').first().getByRole('link').click()
      await page.getByRole('link', { name: 'Back to recommended cases' }).click()
      await page.getByText('Showing 101 – 150 of 150 results').waitFor()
      assert.match(page.url(), /country=NGA&page=2$/)

      await page.getByRole('button', { name: 'Change search' }).click()
      await page.getByRole('button', { name: 'Remove Nigeria' }).waitFor()
      assert.equal(await page.getByLabel('Failed-to-report follow-up').isChecked(), true)

      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing assets')
    } finally {
      await close()
    }
  })

  it('adds and removes countries with JavaScript off', async () => {
    const { page, problems, close } = await openPage(browser, { javaScriptEnabled: false })
    try {
      await signIn(page, server.baseUrl, 'jo.caseworker')
      await page.waitForURL(`**${paths.reviewRegion()}`)
      await page.getByLabel('Select your ROM region').selectOption({ label: 'Midlands and East' })
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(`**${paths.reviewSearch('MEE')}`)

      await page.getByLabel('Country of nationality (optional)').selectOption({ label: 'Albania' })
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      await page.getByRole('button', { name: 'Remove Albania' }).waitFor()
      await page.getByLabel('Country of nationality (optional)').selectOption({ label: 'Nigeria' })
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      await page.getByRole('button', { name: 'Remove Nigeria' }).waitFor()
      // No axe here: it runs inside the page, which needs JavaScript; the same page is checked above.

      await page.getByRole('button', { name: 'Remove Albania' }).click()
      await page.getByRole('button', { name: 'Remove Nigeria' }).waitFor()
      assert.equal(await page.getByRole('button', { name: 'Remove Albania' }).count(), 0)

      // Enter in a field searches; it does not press the first Remove button.
      await page.getByLabel('Failed-to-report follow-up').check()
      await fillDates(page, ['2', '3', '2026'], ['9', '3', '2026'])
      await page.getByRole('group', { name: 'To', exact: true }).getByLabel('Year').press('Enter')
      await page.waitForURL(/\/review-tasks\/MEE\/recommended\?.*country=NGA/)
      await page.getByText('There are no recommended tasks for this search.').waitFor()
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
