/**
 * Signing in through the real sign-in page, as a person does: for browser
 * tests whose subject is what comes after. (test/e2e/sign-in.test.ts tests
 * the page itself.)
 */
import type { Page } from 'playwright-core'
import { paths } from '../../../src/web/paths.ts'
import { TEST_PASSWORD } from '../../support/web.ts'

/** Signs `userId` in with the test password and waits for where signing in leads (landingAfterSignIn). */
export async function signInThroughPage(page: Page, baseUrl: string, userId: string): Promise<void> {
  await page.goto(`${baseUrl}${paths.signIn()}`)
  await page.getByLabel('User ID').fill(userId)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // A caseworker goes on to the search, anyone else to the home page.
  await page.waitForURL((url) => url.pathname !== paths.signIn() && url.pathname !== paths.reviewTasks())
}
