/**
 * A rule author follows "Rule changes" from the rules page to a published
 * version's impact report, on a desktop and on a phone, and both pages pass
 * the accessibility check; the folded tables open without JavaScript's help.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { recordPublication } from '../../src/rules/publication.ts'
import { compareRuleSets } from '../../src/rules/simulate.ts'
import { paths } from '../../src/web/paths.ts'
import { FIXTURE_TODAY, insertPersons, standInRuleSet } from '../support/tasks.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('rule changes, in a browser', () => {
  let server: RunningServer
  let browser: Browser

  before(async () => {
    server = await startServer()
    const { db } = server.database
    await addTestUser(server.database, {
      id: 'author1',
      name: 'Rita Author',
      roles: ['RULE_AUTHOR'],
      regions: ['LSE'],
    })
    // Forty people, one in four with a missed event: the draft follows up one missed event, the live rules two.
    await insertPersons(
      db,
      Array.from({ length: 40 }, (_, i) => ({
        person_id: `P${i}`,
        missed_events_90_days: i % 4,
        gender: i < 20 ? 'F' : 'M',
        nationality: i % 5 === 0 ? 'ALB' : 'NGA',
      })),
    )
    const live = standInRuleSet('live-v1', { failedToReportMinimum: 2 })
    const draft = standInRuleSet('draft-v2', { failedToReportMinimum: 1 })
    await recordPublication(db, {
      version: 'draft-v2',
      files: draft.ruleSet.files,
      publishedAt: new Date('2026-03-02T10:30:00Z'),
      publishedFrom: 'ipic rules publish run by the account ops',
      publishedBy: 'author1',
      notes: 'Follow up after one missed event, not two.',
      impact: await compareRuleSets(db, {
        live: live.compiled,
        draft: draft.compiled,
        today: FIXTURE_TODAY,
        settings: { marginPoints: 5, smallGroup: 30 },
      }),
    })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 375, height: 800 },
  ]) {
    it(`goes from the rules to a version's impact report at ${viewport.width} px`, async () => {
      const { page, problems, close } = await openPage(browser, { viewport })
      try {
        await signInThroughPage(page, server.baseUrl, 'author1')
        await page.goto(`${server.baseUrl}${paths.rules()}`)
        await page.getByRole('link', { name: 'Rule changes' }).click()
        await page.waitForURL(`${server.baseUrl}${paths.ruleChanges()}`)
        await assertAccessible(page, 'the rule changes list')
        await page.getByRole('link', { name: 'View impact report of version draft-v2' }).click()
        await page.waitForURL(`${server.baseUrl}${paths.ruleChange('draft-v2')}`)
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Rule set draft-v2')
        // Women: 10 of 20 recommended live (2 or 3 missed), 15 of 20 by the draft (1 to 3): as everyone.
        const women = page.getByRole('row', { name: /^F / })
        assert.match(
          (await women.first().textContent()) ?? '',
          /10 of 20 \(50\.0%\)\s*15 of 20 \(75\.0%\)\s*up 25\.0 points\s*the same\s*Changes by more than 5\.0 points/,
        )
        await page.locator('summary', { hasText: 'Recommendations by task type and region' }).click()
        assert.ok(await page.getByRole('cell', { name: 'London and South East' }).first().isVisible())
        await assertAccessible(page, 'the impact report')
        assert.deepEqual(problems, [])
      } finally {
        await close()
      }
    })
  }
})
