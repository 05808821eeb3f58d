/**
 * An administrator, in a browser, opens Event subscribers from the
 * navigation, is told why a URL is refused, adds a subscriber and copies
 * its signing secret from the page that shows it once, pauses and resumes
 * it, is told what is wrong with a replay's date, replays, and removes it
 * after confirming. On a phone the cards fit the screen. Every page
 * accessible.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('Event subscribers, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'admin', name: 'Ada Admin', roles: ['ADMIN'], regions: 'all' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('adds a subscriber, shows its secret once, pauses, replays and removes it', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'admin')
      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Event subscribers' })
        .click()
      await page.waitForURL(`${server.baseUrl}${paths.subscribers()}`)
      await page.getByText('No systems receive decision events yet.').waitFor()
      await assertAccessible(page, 'the Event subscribers page, empty')

      await page.getByRole('button', { name: 'Add an event subscriber' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.subscriberNew()}`)
      await assertAccessible(page, 'the form that adds a subscriber')
      await page.getByLabel('URL the events are sent to').fill('ftp://cms.example.org/in')
      await page.getByRole('button', { name: 'Add event subscriber' }).click()
      await assertErrorSummaryFocused(page)
      await page
        .getByRole('link', { name: 'The URL must start with https:// or http:// (not ftp:)' })
        .waitFor()
      await assertAccessible(page, 'the form with its error')

      await page.getByLabel('URL the events are sent to').fill('https://cms.example.org/ipic-events')
      await page.getByLabel('Name of the system (optional)').fill('Case management')
      await page.getByLabel('Accepted').check()
      await page.getByLabel('Rejected').check()
      await page.getByRole('button', { name: 'Add event subscriber' }).click()
      await page.getByRole('heading', { name: 'Event subscriber added' }).waitFor()
      await assertAccessible(page, 'the subscriber added, with its secret')
      const secret = (await page.locator('#signing-secret').textContent())?.trim() ?? ''
      assert.match(secret, /^whsec_/)

      await page.getByRole('link', { name: 'Back to event subscribers' }).click()
      const card = page.locator('.govuk-summary-card').filter({ hasText: 'Case management' })
      await card.getByText('Accepted, Rejected').waitFor()
      assert.equal((await page.content()).includes(secret), false, 'the secret is not shown again')
      await page.getByRole('button', { name: 'Pause deliveries' }).click()
      await card.getByText('Paused').waitFor()
      await assertAccessible(page, 'the Event subscribers page with a paused subscriber')
      await page.getByRole('button', { name: 'Resume deliveries' }).click()
      await card.getByText('Active').waitFor()

      await card.getByRole('link', { name: 'Replay deliveries to Case management' }).click()
      await page.getByRole('heading', { name: 'Replay deliveries to Case management' }).waitFor()
      await assertAccessible(page, 'the replay form')
      await page.getByLabel('Day').fill('31')
      await page.getByLabel('Month').fill('2')
      await page.getByLabel('Year').fill('2018')
      await page.getByRole('button', { name: 'Replay deliveries' }).click()
      await assertErrorSummaryFocused(page)
      await page
        .getByRole('link', { name: 'The date to replay from must be a real date, like 27 3 2026' })
        .waitFor()
      await assertAccessible(page, 'the replay form with its error')
      await page.getByLabel('Day').fill('24')
      await page.getByLabel('Time (optional)').fill('17:30')
      await page.getByRole('button', { name: 'Replay deliveries' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.subscribers()}`)

      await card.getByRole('link', { name: 'Remove Case management' }).click()
      await page.getByRole('heading', { name: 'Are you sure you want to remove Case management?' }).waitFor()
      await assertAccessible(page, 'the confirmation before removing')
      await page.getByRole('button', { name: 'Yes, remove' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.subscribers()}`)
      await page.getByText('No systems receive decision events yet.').waitFor()
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('fits a phone’s screen', async () => {
    const { page, close } = await openPage(browser)
    try {
      await page.setViewportSize({ width: 375, height: 800 })
      await signInThroughPage(page, server.baseUrl, 'admin')
      await page.goto(`${server.baseUrl}${paths.subscriberNew()}`)
      await page
        .getByLabel('URL the events are sent to')
        .fill('https://a-rather-long-host-name.example.org/a/long/path/for/events')
      await page.getByRole('button', { name: 'Add event subscriber' }).click()
      await page.getByRole('heading', { name: 'Event subscriber added' }).waitFor()
      const addedFits = await page.locator('html').evaluate((root) => root.scrollWidth <= root.clientWidth)
      assert.ok(addedFits, 'the page with the secret does not scroll sideways')
      await page.goto(`${server.baseUrl}${paths.subscribers()}`)
      await assertAccessible(page, 'the Event subscribers page on a phone')
      const listFits = await page.locator('html').evaluate((root) => root.scrollWidth <= root.clientWidth)
      assert.ok(listFits, 'the page itself does not scroll sideways')
    } finally {
      await close()
    }
  })
})
