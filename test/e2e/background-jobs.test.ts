/**
 * An administrator, in a browser, opens Background jobs from the
 * navigation, sees a failed job's state and error, and narrows the list to
 * failed jobs with the sub-navigation, and retries it; on a phone the table scrolls within
 * its pane. Every page accessible.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { JobList } from '../../src/jobs/job-list.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { paths } from '../../src/web/paths.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('Background jobs, in a browser', () => {
  let server: RunningServer
  let browser: Browser
  let queue: JobQueue
  let failed: string
  let completed: string

  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'admin', name: 'Ada Admin', roles: ['ADMIN'], regions: 'all' })
    queue = await JobQueue.open(server.database, server.database.url, { pollingIntervalSeconds: 0.5 })
    await queue.work({ 'session-cleanup': async () => ({ deleted: 3 }) })
    completed = await queue.enqueue('session-cleanup', {})
    await queue.settled(completed)
    failed = (await queue.sendUnchecked('session-cleanup', { everything: true })) ?? ''
    await queue.settled(failed)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await queue?.close()
    await server?.close()
  })

  it('lists the jobs with their states and a failed one’s error, and narrows them to the failed', async () => {
    const { page, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'admin')
      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Background jobs' })
        .click()
      await page.waitForURL(`${server.baseUrl}${paths.jobs()}`)
      await assertAccessible(page, 'the Background jobs page')
      const table = page.getByRole('table')
      const failedRow = table.getByRole('row').filter({ hasText: failed })
      await failedRow.getByText('Failed', { exact: true }).waitFor()
      assert.match(
        (await failedRow.textContent()) ?? '',
        /A session-cleanup job's payload is not valid: Unrecognized key: "everything"/,
      )
      const completedRow = table.getByRole('row').filter({ hasText: completed })
      await completedRow.getByText('3 expired sessions deleted').waitFor()

      await page
        .getByRole('navigation', { name: 'Jobs by state' })
        .getByRole('link', { name: 'Failed' })
        .click()
      await page.waitForURL(`${server.baseUrl}${paths.jobs('failed')}`)
      await assertAccessible(page, 'the failed jobs')
      assert.equal(await page.getByRole('table').getByRole('row').count(), 2, 'the header and the failed job')
      assert.equal(
        await page
          .getByRole('navigation', { name: 'Jobs by state' })
          .getByRole('link', { name: 'Failed' })
          .getAttribute('aria-current'),
        'page',
      )

      // Retry: another attempt, and the list of queued or running jobs, where it waits its turn.
      await page.getByRole('button', { name: `Retry the session clean-up job ${failed}` }).click()
      await page.waitForURL(`${server.baseUrl}${paths.jobs('unfinished')}`)
      await assertAccessible(page, 'the queued or running jobs')
      assert.equal((await new JobList(server.database.db).find(failed))?.state, 'retrying')
    } finally {
      await close()
    }
  })

  it('keeps the table within its pane on a phone', async () => {
    const { page, close } = await openPage(browser)
    try {
      await page.setViewportSize({ width: 375, height: 800 })
      await signInThroughPage(page, server.baseUrl, 'admin')
      await page.goto(`${server.baseUrl}${paths.jobs()}`)
      await assertAccessible(page, 'the Background jobs page on a phone')
      const pane = page.locator('.moj-scrollable-pane')
      assert.ok(
        await pane.evaluate((element) => element.scrollWidth > element.clientWidth),
        'the table scrolls',
      )
      const pageFits = await pane.evaluate((element) => {
        const root = element.ownerDocument.documentElement
        return root.scrollWidth <= root.clientWidth
      })
      assert.ok(pageFits, 'the page itself does not scroll sideways')
    } finally {
      await close()
    }
  })
})
