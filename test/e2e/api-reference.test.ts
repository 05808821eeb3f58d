/**
 * The API's reference pages in a browser: accessible (WCAG 2.2 AA), every
 * operation's examples open without JavaScript, a problem type's `type` URI
 * lands on its description, and the page fits a phone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'

describe('the API reference, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('is accessible, and its examples open', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await page.goto(`${server.baseUrl}/api/v1/reference`)
      await page.getByRole('heading', { name: 'API reference', level: 1 }).waitFor()
      await assertAccessible(page, 'the API reference')
      await page.getByRole('link', { name: 'POST /api/v1/tasks/{taskId}/decision' }).click()
      const example = page.getByText('Example: A rejection with a reason code and details')
      await example.click()
      await page.getByText('"reasons": [').first().waitFor()
      await assertAccessible(page, 'the API reference with an example open')
      await page.getByRole('link', { name: 'problem types' }).click()
      await page.getByRole('heading', { name: 'API problem types', level: 1 }).waitFor()
      await assertAccessible(page, 'the API problem types')
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('takes a problem’s type URI to its description, and fits a phone without JavaScript', async () => {
    const { page, problems, close } = await openPage(browser, {
      javaScriptEnabled: false,
      viewport: { width: 375, height: 800 },
    })
    try {
      await page.goto(`${server.baseUrl}/api/v1/reference/problems#stale-version`)
      await page.getByRole('heading', { name: 'The task has changed since the version sent' }).waitFor()
      assert.equal(await page.evaluate('document.getElementById("stale-version").tagName'), 'H2')
      await page.goto(`${server.baseUrl}/api/v1/reference`)
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')
      assert.equal(overflow, 0, 'nothing wider than the phone')
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
