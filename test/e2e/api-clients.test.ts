/**
 * An administrator, in a browser, opens API clients from the navigation,
 * is told what is missing from the form, adds a client and copies its
 * secret from the page that shows it once, sees it listed, and revokes it
 * after confirming; the secret gets a token until then and not after. On
 * a phone the table scrolls within its pane. Every page accessible.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { basicAuthorization, TOKEN_URL } from '../support/api-clients.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('API clients, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  const tokenStatus = async (clientId: string, secret: string) =>
    (
      await fetch(`${server.baseUrl}${TOKEN_URL}`, {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(clientId, secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      })
    ).status

  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'admin', name: 'Ada Admin', roles: ['ADMIN'], regions: 'all' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('adds a client, shows its secret once, and revokes it after asking', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'admin')
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'API clients' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.apiClients()}`)
      await page.getByText('No systems are registered to call the API yet.').waitFor()
      await assertAccessible(page, 'the API clients page, empty')

      await page.getByRole('button', { name: 'Add an API client' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.apiClientNew()}`)
      await assertAccessible(page, 'the form that adds a client')
      await page.getByRole('button', { name: 'Add API client' }).click()
      await assertErrorSummaryFocused(page)
      await assertAccessible(page, 'the form with its errors')
      await page.getByRole('link', { name: 'Select what the system may do' }).waitFor()

      await page.getByLabel('Name of the system').fill('Case management')
      await page.getByLabel('Search tasks and read why each was recommended').check()
      await page.getByLabel('Accept, reject or hold tasks').check()
      await page.getByLabel('London and South East').check()
      await page.getByRole('button', { name: 'Add API client' }).click()
      await page.getByRole('heading', { name: 'API client added' }).waitFor()
      await assertAccessible(page, 'the client added, with its secret')
      const clientId = (await page.locator('#client-id').textContent())?.trim() ?? ''
      const secret = (await page.locator('#client-secret').textContent())?.trim() ?? ''
      assert.match(clientId, /^ipic-/)
      assert.ok(secret.length >= 40)
      assert.equal(await tokenStatus(clientId, secret), 200)

      await page.getByRole('link', { name: 'Back to API clients' }).click()
      const row = page.getByRole('row').filter({ hasText: clientId })
      await row.getByText('Active').waitFor()
      assert.equal((await page.content()).includes(secret), false, 'the secret is not shown again')
      await row.getByRole('link', { name: 'Revoke Case management' }).click()
      await page.getByRole('heading', { name: 'Are you sure you want to revoke Case management?' }).waitFor()
      await assertAccessible(page, 'the confirmation before revoking')
      await page.getByRole('button', { name: 'Yes, revoke' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.apiClients()}`)
      await page.getByRole('row').filter({ hasText: clientId }).getByText('Revoked').waitFor()
      await assertAccessible(page, 'the API clients page with a revoked client')
      assert.equal(await tokenStatus(clientId, secret), 401)
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('keeps the table within its pane on a phone', async () => {
    const { page, close } = await openPage(browser)
    try {
      await page.setViewportSize({ width: 375, height: 800 })
      await signInThroughPage(page, server.baseUrl, 'admin')
      await page.goto(`${server.baseUrl}${paths.apiClients()}`)
      await assertAccessible(page, 'the API clients page on a phone')
      const pageFits = await page.locator('html').evaluate((root) => root.scrollWidth <= root.clientWidth)
      assert.ok(pageFits, 'the page itself does not scroll sideways')
    } finally {
      await close()
    }
  })
})
