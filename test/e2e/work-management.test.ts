/**
 * A manager sharing out work in a browser, with JavaScript and without: the
 * list's sortable headers, its checkboxes and "Assign selected", the
 * "Show tasks assigned to" filter and a caseworker's "Assign to me" on the
 * case page, each page checked for accessibility (WCAG 2.2 AA).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

const TODAY = '2026-03-02'
const SEARCH = {
  taskType: ['FAILED_TO_REPORT'],
  from: '2026-03-02',
  to: '2026-03-30',
  country: [] as string[],
  location: '',
}

/** The names in the list, in the order shown. */
async function namesIn(page: Page): Promise<string[]> {
  return page.locator('tbody .govuk-table__row td:nth-child(5) a').allTextContents()
}

/** The manager who shares out the work and the caseworker who takes some. */
async function addTeam(server: RunningServer): Promise<void> {
  await addTestUser(server.database, {
    id: 'lin.manager',
    name: 'Lin Manager',
    roles: ['MANAGER'],
    regions: ['LSE'],
  })
  await addTestUser(server.database, { id: 'ola.worker', name: 'Ola Worker', regions: ['LSE'] })
}

describe('sharing out work in a browser', () => {
  let server: RunningServer
  let browser: Browser
  before(async () => {
    server = await startServer({ today: TODAY })
    await addTeam(server)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const javaScriptEnabled of [true, false]) {
    it(`sorts, assigns the ticked tasks and filters ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const prefix = javaScriptEnabled ? 'J' : 'N'
      // axe runs in the page as a script: it checks the pages with JavaScript; without, the markup is the same.
      const accessible = javaScriptEnabled ? assertAccessible : async () => {}
      await server.database.reset()
      await addTeam(server)
      await insertReviewTasks(server.database.db, [
        { personId: `${prefix}1`, priority: 30, person: { given_names: 'Cara', family_name: 'Adeyemi' } },
        { personId: `${prefix}2`, priority: 20, person: { given_names: 'Abel', family_name: 'Brook' } },
        { personId: `${prefix}3`, priority: 10, person: { given_names: 'Bea', family_name: 'Clarke' } },
      ])
      const { page, problems, close } = await openPage(browser, { javaScriptEnabled })
      try {
        await signInThroughPage(page, server.baseUrl, 'lin.manager')
        await page.goto(`${server.baseUrl}${paths.reviewList('LSE', 'recommended', SEARCH)}`)
        await page.getByRole('heading', { name: 'Recommended tasks' }).waitFor()
        assert.deepEqual(await namesIn(page), ['Cara Adeyemi', 'Abel Brook', 'Bea Clarke'])
        assert.equal(
          await page.locator('th[aria-sort="descending"]').textContent(),
          'Priority ▼ (sorted descending)',
        )
        await accessible(page, 'the list with checkboxes and sortable headers')

        // Sort by name, then the other way round.
        await page.getByRole('link', { name: 'Name', exact: true }).click()
        await page.waitForURL(/sort=name&order=ascending/)
        assert.deepEqual(await namesIn(page), ['Cara Adeyemi', 'Abel Brook', 'Bea Clarke'])
        assert.equal(
          await page.locator('th[aria-sort="ascending"] a').textContent(),
          'Name ▲ (sorted ascending)',
        )
        await page.getByRole('link', { name: 'Name (sorted ascending)' }).click()
        await page.waitForURL(/sort=name&order=descending/)
        assert.deepEqual(await namesIn(page), ['Bea Clarke', 'Abel Brook', 'Cara Adeyemi'])
        await accessible(page, 'the list sorted by name')

        // Tick two and give them to Ola.
        await page.getByLabel('Select Bea Clarke').check()
        await page.getByLabel('Select Cara Adeyemi').check()
        await page.getByLabel('Assign to').selectOption({ label: 'Ola Worker' })
        await page.getByRole('button', { name: 'Assign selected' }).click()
        await page.waitForURL(/sort=name&order=descending/)
        const assigned = await page.locator('tbody .govuk-table__row td:last-child').allTextContents()
        assert.deepEqual(
          assigned.map((text) => text.trim()),
          ['Ola Worker', '', 'Ola Worker'],
        )

        // Only the unassigned one.
        await page.getByLabel('Show tasks assigned to').selectOption({ label: 'Unassigned' })
        await page.getByRole('button', { name: 'Show tasks' }).click()
        await page.waitForURL(/assigned=unassigned/)
        assert.deepEqual(await namesIn(page), ['Abel Brook'])
        await accessible(page, 'the filtered list')

        // Nothing ticked: said so, accessibly.
        await page.getByRole('button', { name: 'Assign to me' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        assert.equal(await page.getByRole('link', { name: 'Select the tasks to change' }).count(), 1)
        await accessible(page, 'the assignment page with a problem')

        // A caseworker takes the last one from its case page.
        const { page: worker, close: closeWorker } = await openPage(browser, { javaScriptEnabled })
        try {
          await signInThroughPage(worker, server.baseUrl, 'ola.worker')
          await worker.goto(
            `${server.baseUrl}${paths.reviewList('LSE', 'recommended', SEARCH, 1, { assigned: 'unassigned' })}`,
          )
          await worker.getByRole('link', { name: 'Abel Brook' }).click()
          await worker.getByRole('button', { name: 'Assign to me' }).click()
          await worker.getByTestId('assigned-to').filter({ hasText: 'You' }).waitFor()
          await accessible(worker, 'the case page assigned to the caseworker')
          await worker.getByRole('link', { name: 'My tasks' }).click()
          await worker.getByRole('heading', { name: 'My tasks' }).waitFor()
          assert.equal(await worker.locator('tbody .govuk-table__row').count(), 3)
          await accessible(worker, 'My tasks')
        } finally {
          await closeWorker()
        }
        assert.deepEqual(problems, [])
      } finally {
        await close()
      }
    })
  }
})
