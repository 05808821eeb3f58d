/**
 * The session timeout warning in a real browser, at the real 30-minute
 * idle timeout: the browser's clock (Playwright's) and the server's session
 * clock are moved forward together, always the server's first, so the page
 * asks a server that has already reached the same moment.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { paths } from '../../src/web/paths.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, TEST_PASSWORD } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND

describe('the session timeout, in a browser', () => {
  let server: RunningServer
  let browser: Browser
  let clock: ManualClock
  before(async () => {
    clock = manualClock(new Date())
    server = await startServer({ sessionClock: clock })
    await addTestUser(server.database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })
  beforeEach(() => clock.set(new Date()))

  async function signIn(page: Page): Promise<void> {
    await page.clock.install()
    await page.goto(`${server.baseUrl}${paths.signIn()}`)
    await page.getByLabel('User ID').fill('jo.caseworker')
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // A caseworker of one region lands on the search, as the guide shows.
    await page.getByRole('heading', { name: 'Review tasks', level: 1 }).waitFor()
  }

  /** Moves both clocks on; resolves once the page's question to the server (if `asks`) has its answer. */
  async function passTime(page: Page, milliseconds: number, asks = true): Promise<void> {
    clock.advance(milliseconds)
    const answered = asks
      ? page.waitForResponse((response) => response.url().endsWith(paths.sessionStatus()))
      : Promise.resolve()
    await page.clock.fastForward(milliseconds)
    await answered
  }

  const warning = (page: Page) => page.getByRole('alertdialog')
  const focusedText = async (page: Page) => (await page.locator(':focus').textContent())?.trim()
  const focusIsInDialog = async (page: Page) => (await page.locator('#session-timeout :focus').count()) === 1

  it('warns 2 minutes before, keeps the session on "Stay signed in", and leaves the page when time runs out', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signIn(page)
      const reviewTasks = page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Review tasks' })
      await reviewTasks.focus()

      // 27 minutes in, the page asks first (a minute early, as a skipped save may have left the expiry so much sooner).
      await passTime(page, 27 * MINUTE)
      assert.equal(await warning(page).isVisible(), false, 'no warning 3 minutes before')

      await passTime(page, MINUTE)
      const dialog = warning(page)
      await dialog.waitFor()
      assert.equal(
        await page.getByRole('alertdialog', { name: 'You will be signed out in 2 minutes' }).count(),
        1,
        'the dialog is named by its heading',
      )
      assert.match(
        (await dialog.textContent()) ?? '',
        /We sign you out after 30 minutes without any activity/,
      )
      assert.equal(await focusedText(page), 'Stay signed in', 'the focus moves into the dialog')
      await assertAccessible(page, 'the timeout warning')

      // The focus stays on the dialog's two buttons, both ways round.
      for (const [key, expected] of [
        ['Tab', 'Sign out'],
        ['Tab', 'Stay signed in'],
        ['Shift+Tab', 'Sign out'],
        ['Shift+Tab', 'Stay signed in'],
      ] as const) {
        await page.keyboard.press(key)
        assert.equal(await focusIsInDialog(page), true, `after ${key}`)
        assert.equal(await focusedText(page), expected, `after ${key}`)
      }

      // The time left is announced as its words change, not every second.
      await passTime(page, 61 * SECOND, false)
      await page.getByRole('alertdialog', { name: 'You will be signed out in 1 minute' }).waitFor()
      assert.equal(
        await dialog.locator('[aria-live="polite"]').textContent(),
        'You will be signed out in 1 minute',
      )

      // Escape is "Stay signed in": the session is kept and the focus goes back where it was.
      const keptAlive = page.waitForResponse((response) => response.url().endsWith(paths.sessionKeepAlive()))
      await page.keyboard.press('Escape')
      assert.equal((await keptAlive).status(), 204)
      await dialog.waitFor({ state: 'hidden' })
      assert.equal(await focusedText(page), 'Review tasks', 'the focus is back where it was')

      // 28 minutes after "Stay signed in", long after the first half hour ended, the warning comes again.
      await passTime(page, 28 * MINUTE)
      await dialog.waitFor()
      const keptAgain = page.waitForResponse((response) => response.url().endsWith(paths.sessionKeepAlive()))
      await page.getByRole('button', { name: 'Stay signed in' }).click()
      assert.equal((await keptAgain).status(), 204)
      await dialog.waitFor({ state: 'hidden' })

      // This time nobody answers: when the 2 minutes are up, the page goes to "You have been signed out".
      await passTime(page, 28 * MINUTE)
      await dialog.waitFor()
      await passTime(page, 2 * MINUTE)
      // Back to where the caseworker was once signed in again: the search they landed on.
      await page.waitForURL(`**${paths.timedOut('idle', paths.reviewSearch('LSE'))}`)
      await page.getByRole('heading', { name: 'You have been signed out' }).waitFor()
      assert.match(
        (await page.locator('main').textContent()) ?? '',
        /We signed you out because you had not done anything for 30 minutes\./,
      )
      assert.doesNotMatch((await page.content()) ?? '', /Jo Caseworker|jo\.caseworker/)
      await assertAccessible(page, 'the signed-out page')
      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing assets')
    } finally {
      await close()
    }
  })

  it('signs out from the warning', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signIn(page)
      await passTime(page, 27 * MINUTE)
      await passTime(page, MINUTE)
      await warning(page).waitFor()
      await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor()
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('shows nothing without JavaScript, and the next page after the timeout says why', async () => {
    const { page, problems, close } = await openPage(browser, { javaScriptEnabled: false })
    try {
      await page.goto(`${server.baseUrl}${paths.signIn()}`)
      await page.getByLabel('User ID').fill('jo.caseworker')
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      // A caseworker of one region lands on the search, as the guide shows.
      await page.getByRole('heading', { name: 'Review tasks', level: 1 }).waitFor()
      assert.equal(await page.locator('#session-timeout').isVisible(), false)
      clock.advance(31 * MINUTE)
      await page.goto(`${server.baseUrl}${paths.rules()}`)
      await page.getByRole('heading', { name: 'You have been signed out' }).waitFor()
      assert.match(page.url(), /\/timed-out\?reason=idle&returnTo=%2Frules$/)
      await page.getByRole('button', { name: 'Sign in again' }).click()
      await page.getByLabel('User ID').fill('jo.caseworker')
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`**${paths.rules()}`)
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })
})
