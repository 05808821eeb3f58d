/**
 * A contest through a browser: the decider accepted a task; a colleague
 * records the person's representations from the task's History (past a
 * date that does not exist), the decider is told they may not review it,
 * and the colleague changes the decision. Every page is checked with axe.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { frozenClock } from '../../src/clock.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { paths } from '../../src/web/paths.ts'
import { publishForTest } from '../support/publication.ts'
import { insertPersons, standInRuleSet } from '../support/tasks.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, assertErrorSummaryFocused, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('a contest, in a browser', () => {
  let server: RunningServer
  let browser: Browser
  let taskId: number

  before(async () => {
    server = await startServer()
    const { db } = server.database
    await addTestUser(server.database, { id: 'cw1', name: 'Casey Worker', regions: ['LSE'] })
    await addTestUser(server.database, { id: 'cw2', name: 'Sam Other', regions: ['LSE'] })
    await insertPersons(db, [
      { person_id: 'P1', given_names: 'Grace', family_name: 'Okafor', missed_events_90_days: 1 },
    ])
    const { ruleSet, compiled } = standInRuleSet()
    const clock = frozenClock(new Date('2018-07-25T08:00:00Z'))
    await publishForTest(db, ruleSet)
    await runCompiledRules(db, { ruleSet, compiled, clock, trigger: 'manual' })
    taskId = (await db.selectFrom('tasks').select('id').executeTakeFirstOrThrow()).id
    const accepted = await decideTask(db, {
      taskId,
      expectedVersion: 1,
      decision: { status: 'ACCEPTED', checksConfirmed: true },
      user: { id: 'cw1', regions: { all: false, codes: ['LSE'] } },
      clock,
    })
    assert.equal(accepted.kind, 'decided')
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('records representations, refuses the decider, and changes the decision', async () => {
    const colleague = await openPage(browser)
    const decider = await openPage(browser)
    try {
      const { page } = colleague
      await signInThroughPage(page, server.baseUrl, 'cw2')
      await page.goto(`${server.baseUrl}${paths.taskSection(taskId, 'history')}`)
      await page.getByRole('link', { name: 'Record representations or a contest' }).click()
      await page.getByRole('heading', { name: 'Record representations or a contest' }).waitFor()
      await assertAccessible(page, 'the recording form')

      const date = page.getByRole('group', { name: 'Date received' })
      await date.getByLabel('Day').fill('31')
      await date.getByLabel('Month').fill('2')
      await date.getByLabel('Year').fill('2018')
      await page.getByLabel('Through a legal representative').check()
      await page.getByLabel('Their representative').check()
      await page.getByLabel('Summary').fill('Their solicitor writes that they care for a British child.')
      await page.getByRole('button', { name: 'Record' }).click()
      await assertErrorSummaryFocused(page)
      assert.match(await page.title(), /^Error: /)
      await assertAccessible(page, 'the recording form with an error')
      await date.getByLabel('Day').fill('25')
      await date.getByLabel('Month').fill('7')
      await page.getByRole('button', { name: 'Record' }).click()
      await page.getByRole('heading', { level: 1, name: 'Grace Okafor' }).waitFor()
      await assertAccessible(page, 'the contest page')

      await signInThroughPage(decider.page, server.baseUrl, 'cw1')
      await decider.page.goto(`${server.baseUrl}${paths.contests()}`)
      await decider.page.getByRole('link', { name: 'Grace Okafor' }).click()
      await decider.page.getByText('You took the decision being contested').waitFor()
      assert.equal(await decider.page.getByRole('button', { name: 'Record outcome' }).count(), 0)
      await assertAccessible(decider.page, 'the contest page for the original decider')

      await page.getByLabel('Decision changed: the task will be rejected').check()
      await page.getByLabel('Family or best interests of a child').check()
      await page.getByLabel('Reasons').fill('The child lives with them; the task would not be proportionate.')
      await page.getByLabel('I have checked barriers, vulnerability and family circumstances').check()
      await page.getByRole('button', { name: 'Record outcome' }).click()
      await page.getByText('Decision changed by Sam Other').waitFor()
      await assertAccessible(page, 'the decided contest')

      await page.getByRole('link', { name: 'View the task’s history' }).click()
      await page.getByText('Contest decided: decision changed').waitFor()
      await assertAccessible(page, 'the task’s History')
      await page.getByRole('link', { name: /^Information about this recommendation/ }).click()
      await page.getByRole('heading', { level: 1, name: 'Information about this recommendation' }).waitFor()
      await assertAccessible(page, 'the information page')
      const task = await server.database.db
        .selectFrom('tasks')
        .select(['status', 'status_changed_by'])
        .where('id', '=', taskId)
        .executeTakeFirstOrThrow()
      assert.deepEqual(task, { status: 'REJECTED', status_changed_by: 'cw2' })
      assert.deepEqual([...colleague.problems, ...decider.problems], [])
    } finally {
      await colleague.close()
      await decider.close()
    }
  })
})
