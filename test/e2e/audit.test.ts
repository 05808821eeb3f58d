/**
 * An administrator, in a browser, filters the audit by a person (after a
 * date that does not exist), and opens the person's page: who has seen
 * their record, and when. Every page accessible.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { recordAuditEvent } from '../../src/audit/events.ts'
import { paths } from '../../src/web/paths.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('the audit, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'admin', name: 'Ada Admin', roles: ['ADMIN'], regions: 'all' })
    await addTestUser(server.database, { id: 'cw1', name: 'Casey Worker' })
    for (const [section, at] of [
      ['person-details', '2026-03-02T09:00:00Z'],
      ['barriers', '2026-03-02T09:02:00Z'],
    ] as const) {
      await recordAuditEvent(server.database.db, {
        kind: 'case-viewed',
        at: new Date(at),
        userId: 'cw1',
        personId: 'P123',
        taskId: 9,
        section,
      })
    }
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('filters by person and opens who has seen their record', async () => {
    const { page, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'admin')

      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Audit' }).click()
      await page.waitForURL(`${server.baseUrl}${paths.audit()}`)
      await assertAccessible(page, 'the audit page')

      await page.getByLabel('Person ID').fill('P123')
      const from = page.getByRole('group', { name: 'From' })
      await from.getByLabel('Day').fill('31')
      await from.getByLabel('Month').fill('2')
      await from.getByLabel('Year').fill('2026')
      const to = page.getByRole('group', { name: 'To' })
      await to.getByLabel('Day').fill('3')
      await to.getByLabel('Month').fill('3')
      await to.getByLabel('Year').fill('2026')
      await page.getByRole('button', { name: 'Apply filters' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      await assertErrorSummaryFocused(page)
      await assertAccessible(page, 'the audit page with an error')

      await from.getByLabel('Day').fill('1')
      await from.getByLabel('Month').fill('3')
      await page.getByRole('button', { name: 'Apply filters' }).click()
      await page.waitForURL(/\/audit\?.*person=P123.*from-day=1/)
      const rows = page.locator('.app-audit-table tbody tr')
      assert.equal(await rows.count(), 2)
      assert.match(await rows.first().innerText(), /Casey Worker[\s\S]*Case viewed[\s\S]*Section: barriers/)

      await rows.first().getByRole('link', { name: /P123/ }).click()
      await page.waitForURL(`${server.baseUrl}${paths.auditPerson('P123')}`)
      await page.getByRole('heading', { name: 'Who has seen person P123' }).waitFor()
      const viewers = page.getByRole('table', { name: 'Users who have seen this record' })
      assert.match(await viewers.innerText(), /cw1[\s\S]*barriers, person-details[\s\S]*2/)
      await assertAccessible(page, 'the person’s audit page')
    } finally {
      await close()
    }
  })
})
