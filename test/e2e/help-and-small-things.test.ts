import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('help and the small things caseworkers hit, in a browser', () => {
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

  it('lands a caseworker on the search, with "Clear data" in the GOV.UK typeface, and finds Help in the footer', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'jo.caseworker')
      assert.equal(new URL(page.url()).pathname, paths.reviewSearch('LSE'))
      const fontOf = (selector: string) =>
        page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontFamily`)
      const clearData = await fontOf('.app-region-bar__form button')
      assert.match(String(clearData), /GDS Transport|arial/i, `Clear data is in ${clearData}`)
      assert.equal(
        clearData,
        await fontOf('.app-region-bar__region'),
        'the same typeface as the text beside it',
      )
      const colour = await page.evaluate(
        `getComputedStyle(document.querySelector('.app-region-bar__form button')).color`,
      )
      assert.equal(colour, 'rgb(29, 112, 184)', 'in the colour of a GOV.UK link')

      await page.getByRole('contentinfo').getByRole('link', { name: 'Help' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.help()}`)
      await page.getByRole('heading', { name: 'What each tab holds, and for how long' }).waitFor()
      await assertAccessible(page, 'the Help page')
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('fits the Help page to a phone’s width without JavaScript', async () => {
    const { page, problems, close } = await openPage(browser, {
      javaScriptEnabled: false,
      viewport: { width: 375, height: 800 },
    })
    try {
      await signInThroughPage(page, server.baseUrl, 'jo.caseworker')
      await page.goto(`${server.baseUrl}${paths.help()}`)
      await page.getByRole('heading', { name: 'How priority is worked out' }).waitFor()
      // Nothing runs past the right edge: the widest element ends within the phone's width.
      const main = await page.locator('main').boundingBox()
      assert.ok(main && main.x + main.width <= 375, `the page is ${JSON.stringify(main)}`)
      for (const list of await page.locator('main dl').all()) {
        const box = await list.boundingBox()
        assert.ok(box && box.x + box.width <= 375, `a list runs to ${JSON.stringify(box)}`)
      }
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
