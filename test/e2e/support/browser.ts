/**
 * Headless Chromium for browser tests: the system's own Chromium (never a
 * downloaded one), and an accessibility check with axe against WCAG 2.2 AA.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'

export const CHROMIUM = process.env.IPIC_CHROMIUM ?? '/usr/bin/chromium'

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set IPIC_CHROMIUM`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Fails with a readable list if axe finds any WCAG 2.2 AA violation on the page as it is now. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()
  const found = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.nodes.map((node) => node.target.join(' ')).join('\n    ')}`,
  )
  assert.deepEqual(found, [], `${what} has accessibility violations:\n${found.join('\n')}`)
}

/**
 * Fails unless the GOV.UK error summary takes focus, so a screen reader
 * announces it. govuk-frontend's script moves the focus once it has loaded,
 * which can be a moment after the summary itself is on the page: wait for it.
 */
export async function assertErrorSummaryFocused(page: Page): Promise<void> {
  try {
    await page.locator('.govuk-error-summary:focus').waitFor({ state: 'attached', timeout: 5_000 })
  } catch {
    assert.fail('the error summary did not take focus')
  }
}

/**
 * A new page that records what would go unnoticed in a headless browser:
 * script errors, console errors (a blocked script, a CSP violation) and
 * failed requests for the page's assets.
 */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // A page answered with a 4xx (a form with errors is a 400) is logged as a failed resource;
    // failed assets are caught below, with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`)
    }
  })
  page.on('requestfailed', (request) => {
    // Leaving a page cancels what it was still fetching (the favicon, say): that is not a fault.
    const reason = request.failure()?.errorText ?? ''
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${reason}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`${response.status()} for ${response.url()}`)
    }
  })
  return { page, problems, close: () => context.close() }
}
