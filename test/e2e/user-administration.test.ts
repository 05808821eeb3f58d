/**
 * An administrator, in a browser, adds a caseworker (after the form's
 * errors), changes their region, and deactivates them through "Are you
 * sure…": every page accessible, with the success banner after each change.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { EVERY_ROLE, storedUser } from '../support/user-admin.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('user administration, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'admin', name: 'Ada Admin', roles: EVERY_ROLE, regions: 'all' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('adds a caseworker, changes their region and deactivates them', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'admin')

      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Users' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.users()}`)
      await assertAccessible(page, 'the user search')
      await page.getByRole('button', { name: 'Add a user' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.userNew()}`)
      await assertAccessible(page, 'the add user form')

      // Nothing chosen: the errors first.
      await page.getByLabel('User ID').fill('cw.browser')
      await page.getByRole('button', { name: 'Add user' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      await assertErrorSummaryFocused(page)
      await assertAccessible(page, 'the add user form with errors')
      assert.equal(
        await page
          .locator('.govuk-error-summary')
          .getByRole('link', { name: 'Select at least one role' })
          .count(),
        1,
      )

      await page.getByLabel('Full name').fill('Bea Browser')
      await page.getByRole('group', { name: 'Roles' }).getByLabel('Caseworker').check()
      await page.getByRole('group', { name: 'Regions' }).getByLabel('London and South East').check()
      await page.getByLabel('Password', { exact: true }).fill('a-long-enough-password')
      await page.getByRole('button', { name: 'Add user' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.user('cw.browser')}?done=added`)
      assert.match(
        await page.locator('.govuk-notification-banner--success').innerText(),
        /Bea Browser has been added/,
      )
      await assertAccessible(page, 'the user’s details')

      await page.getByRole('link', { name: 'Change regions' }).click()
      await page.waitForURL(/\/users\/cw\.browser\/roles-and-regions/)
      await assertAccessible(page, 'the roles and regions form')
      const regions = page.getByRole('group', { name: 'Regions' })
      await regions.getByLabel('London and South East').uncheck()
      await regions.getByLabel('North West').check()
      await page.getByRole('button', { name: 'Save changes' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.user('cw.browser')}?done=changed`)
      assert.match(await page.locator('.govuk-summary-list').innerText(), /North West/)

      await page.getByRole('button', { name: 'Deactivate user' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.userDeactivate('cw.browser')}`)
      await page.getByRole('heading', { name: 'Are you sure you want to deactivate Bea Browser?' }).waitFor()
      await assertAccessible(page, 'the deactivation confirmation')
      await page.getByRole('button', { name: 'Yes, deactivate' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.user('cw.browser')}?done=deactivated`)
      assert.match(
        await page.locator('.govuk-notification-banner--success').innerText(),
        /deactivated and signed out/,
      )
      await page.getByRole('button', { name: 'Reactivate user' }).waitFor()

      const stored = await storedUser(server.database.db, 'cw.browser')
      assert.deepEqual([stored?.roles, stored?.regions, stored?.active], [['CASEWORKER'], ['NW'], false])
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
