import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { messages } from '../../src/web/messages.ts'
import { paths } from '../../src/web/paths.ts'
import { addTestUser, TEST_PASSWORD } from '../support/web.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'

describe('signing in, in a browser', () => {
  let server: RunningServer
  let browser: Browser
  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('goes from the start page through sign-in to a caseworker’s search, accessibly', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await page.goto(`${server.baseUrl}${paths.home()}`)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`**${paths.signIn()}`)
      assert.equal(await page.title(), 'Sign in – Identify and prioritise immigration cases – GOV.UK')
      // govuk-frontend's JavaScript ran: the CSP nonce let the initialiser through.
      assert.equal(await page.locator('body.govuk-frontend-supported').count(), 1)
      await assertAccessible(page, 'the sign-in page')

      await page.getByLabel('User ID').fill('jo.caseworker')
      await page.getByLabel('Password', { exact: true }).fill('not-the-password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      assert.equal(await page.title(), 'Error: Sign in – Identify and prioritise immigration cases – GOV.UK')
      assert.equal(await page.getByRole('link', { name: messages.signIn.incorrect }).count(), 1)
      // The error summary takes focus, so a screen reader announces it.
      await assertErrorSummaryFocused(page)
      await assertAccessible(page, 'the sign-in page with errors')

      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      // A caseworker with one region goes straight to the search, as the guide shows.
      await page.waitForURL(`${server.baseUrl}${paths.reviewSearch('LSE')}`)
      const navigation = page.getByRole('navigation', { name: 'Menu' })
      assert.equal(await navigation.getByRole('link', { name: 'Review tasks' }).count(), 1)
      assert.equal(await navigation.getByRole('link', { name: 'MI report' }).count(), 1)
      await assertAccessible(page, 'the search page after signing in')

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor()
      await page.goto(`${server.baseUrl}${paths.reviewTasks()}`)
      assert.match(page.url(), /\/sign-in\?returnTo=%2Freview-tasks$/)

      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing assets')
    } finally {
      await close()
    }
  })

  it('works without JavaScript', async () => {
    const { page, problems, close } = await openPage(browser, { javaScriptEnabled: false })
    try {
      await page.goto(`${server.baseUrl}${paths.reviewTasks()}`)
      await page.getByLabel('User ID').fill('jo.caseworker')
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      // Back where the user was going: the review journey (its search page, for a one-region caseworker).
      await page.waitForURL(/\/review-tasks\/LSE\/search$/)
      await page.getByRole('button', { name: 'Search tasks' }).waitFor()
      assert.equal(
        await page.locator('body.govuk-frontend-supported').count(),
        0,
        'JavaScript really was off',
      )
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor()
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
