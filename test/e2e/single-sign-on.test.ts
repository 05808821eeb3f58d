import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { startIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.ts'
import { sparePort } from '../support/single-sign-on.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'

describe('signing in through an OpenID provider, in a browser', () => {
  let provider: TestIdentityProvider
  let server: RunningServer
  let browser: Browser
  before(async () => {
    const port = await sparePort()
    provider = await startIdentityProvider({ serviceOrigin: `http://127.0.0.1:${port}` })
    server = await startServer({ env: provider.env, port })
    await addTestUser(server.database, { id: 'jo.caseworker', name: 'Jo Caseworker', password: null })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    await provider?.close()
  })

  it('goes from "Sign in with …" through the provider to a caseworker’s search, and signs out at both', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await page.goto(`${server.baseUrl}${paths.home()}`)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`**${paths.signIn()}`)
      assert.equal(await page.title(), 'Sign in – Identify and prioritise immigration cases – GOV.UK')
      assert.equal(await page.getByLabel('Password').count(), 0, 'no password form without local accounts')
      await assertAccessible(page, 'the sign-in page with a provider')

      await page.getByRole('button', { name: 'Sign in with Test Identity' }).click()
      await page.waitForURL(`${provider.issuer}/interaction/**`)
      await page.getByLabel('Username').fill('jo.caseworker')
      await page.getByRole('button', { name: 'Continue' }).click()
      // A caseworker with one region goes straight to the search, as after any sign-in.
      await page.waitForURL(`${server.baseUrl}${paths.reviewSearch('LSE')}`)

      // The sign-out form's answer may go on to the provider (the CSP's form-action allows it).
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${provider.issuer}/session/end**`)
      await page.getByRole('button', { name: 'Yes, sign out' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.signedOut()}`)
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor()

      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing assets')
    } finally {
      await close()
    }
  })

  it('tells someone the provider knows but this service does not that they have no access', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await page.goto(`${server.baseUrl}${paths.signIn()}`)
      await page.getByRole('button', { name: 'Sign in with Test Identity' }).click()
      await page.getByLabel('Username').fill('sam.stranger')
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('heading', { name: 'You do not have access to this service' }).waitFor()
      assert.equal(await page.getByTestId('provider-user-id').textContent(), 'sam.stranger')
      await assertAccessible(page, 'the "no access" page')
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
