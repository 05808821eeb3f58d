import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { frozenClock } from '../../src/clock.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import { CASE_SECTIONS } from '../../src/web/case/sections.ts'
import { paths } from '../../src/web/paths.ts'
import { publishForTest } from '../support/publication.ts'
import { insertPersons, standInRuleSet } from '../support/tasks.ts'
import { addTestUser } from '../support/web.ts'
import { assertAccessible, launchBrowser, openPage } from './support/browser.ts'
import { type RunningServer, startServer } from './support/server.ts'
import { signInThroughPage } from './support/sign-in.ts'

describe('reviewing and deciding a case, in a browser', () => {
  let server: RunningServer
  let browser: Browser
  const taskOf = new Map<string, number>()

  before(async () => {
    server = await startServer()
    await addTestUser(server.database, { id: 'cw1', name: 'Casey Worker', regions: ['LSE'] })
    await addTestUser(server.database, { id: 'cw2', name: 'Sam Other', regions: ['LSE'] })
    await insertPersons(
      server.database.db,
      ['P1', 'P2', 'P3', 'P4'].map((id, i) => ({
        person_id: id,
        given_names: ['Grace', 'Ade', 'Bola', 'Chidi'][i] ?? 'Grace',
        family_name: 'Okafor',
        missed_events_90_days: 1,
      })),
    )
    const { ruleSet, compiled } = standInRuleSet()
    await publishForTest(server.database.db, ruleSet)
    await runCompiledRules(server.database.db, {
      ruleSet,
      compiled,
      clock: frozenClock(new Date('2018-07-25T08:00:00Z')),
      trigger: 'manual',
    })
    for (const task of await server.database.db.selectFrom('tasks').select(['id', 'person_id']).execute()) {
      taskOf.set(task.person_id, task.id)
    }
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  function task(personId: string): number {
    const id = taskOf.get(personId)
    assert.ok(id, `a task for ${personId}`)
    return id
  }

  async function statusOf(personId: string): Promise<string> {
    const row = await server.database.db
      .selectFrom('tasks')
      .select('status')
      .where('id', '=', task(personId))
      .executeTakeFirstOrThrow()
    return row.status
  }

  it('opens a case, reads every section, and accepts it', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'cw1')
      const back = '/review-tasks?page=2'
      await page.goto(`${server.baseUrl}${paths.task(task('P1'), back)}`)
      await page.getByRole('heading', { level: 1, name: 'Grace Okafor' }).waitFor()
      assert.equal(await page.getByText('You have this case open').count(), 1)
      assert.equal(
        await page.getByRole('link', { name: 'Back to recommended cases' }).getAttribute('href'),
        back,
      )
      const sections = page.getByRole('navigation', { name: 'Case sections' })
      for (const section of CASE_SECTIONS) {
        await sections.getByRole('link', { name: section.title, exact: true }).click()
        await page.waitForURL(`**${paths.taskSection(task('P1'), section.slug)}*`)
        await page.getByRole('heading', { level: 2, name: section.title, exact: true }).waitFor()
        assert.equal(
          await sections.getByRole('link', { name: section.title, exact: true }).getAttribute('aria-current'),
          'page',
        )
        await assertAccessible(page, `the ${section.title} section`)
      }

      // Three actions of equal weight: none is the page's primary button.
      for (const name of ['Accept task', 'Reject task', 'Place on hold']) {
        assert.match(
          (await page.getByRole('button', { name }).getAttribute('class')) ?? '',
          /govuk-button--secondary/,
        )
      }
      await page.getByRole('button', { name: 'Accept task' }).click()
      await page.getByText('You must record any updates to this case in CID.').waitFor()
      const confirmation = page.getByLabel('I have checked barriers, vulnerability and family circumstances')
      assert.equal(await confirmation.isChecked(), false)
      await assertAccessible(page, 'the accept form')

      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      await assertAccessible(page, 'the accept form with an error')
      assert.equal(await statusOf('P1'), 'RECOMMENDED')

      await confirmation.check()
      await page.getByLabel('What did you check? (optional)').fill('Barriers <none> & a letter from the GP.')
      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByRole('heading', { name: 'Case accepted' }).waitFor()
      assert.equal(
        await page.getByRole('link', { name: 'Back to recommended cases' }).getAttribute('href'),
        back,
      )
      assert.equal(
        await page.getByRole('link', { name: 'View accepted cases' }).getAttribute('href'),
        paths.reviewTab('accepted'),
      )
      await assertAccessible(page, 'the "Case accepted" confirmation')
      assert.equal(await statusOf('P1'), 'ACCEPTED')

      // The evidence of review is on the task's History: every section was read before accepting.
      await page.goto(`${server.baseUrl}${paths.taskSection(task('P1'), 'history')}`)
      const accepted = page.locator('.moj-timeline__item').first()
      await accepted.getByText('What they checked: Barriers <none> & a letter from the GP.').waitFor()
      await accepted
        .getByText(`Opened before deciding: ${CASE_SECTIONS.map((section) => section.title).join(', ')}`)
        .waitFor()
      await accepted.getByText('Read why it was recommended').waitFor()
      await accepted.getByText(/^Time from first opening the task to deciding: /).waitFor()
      assert.equal(await accepted.getByText('Not opened:').count(), 0)
      await assertAccessible(page, 'the history with the evidence of review')
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('rejects a case with reasons and details', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'cw1')
      await page.goto(`${server.baseUrl}${paths.task(task('P2'))}`)
      await page.getByRole('button', { name: 'Reject task' }).click()
      await page.getByRole('group', { name: 'Why do you want to reject this?' }).waitFor()
      await assertAccessible(page, 'the reject form')

      await page.getByLabel('Medical').check()
      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      // The reason stays ticked while the user fixes the rest.
      assert.equal(await page.getByLabel('Medical').isChecked(), true)
      await assertAccessible(page, 'the reject form with errors')

      await page.getByLabel('Family or best interests of a child').check()
      await page.getByLabel('Details').fill('Primary carer of a British child; see CID notes.')
      await page.getByLabel('I have checked barriers, vulnerability and family circumstances').check()
      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByRole('heading', { name: 'Rejected' }).waitFor()
      assert.equal(await page.getByRole('link', { name: 'View rejected cases' }).count(), 1)
      await assertAccessible(page, 'the "Rejected" confirmation')
      const event = await server.database.db
        .selectFrom('task_events')
        .select(['reasons', 'details'])
        .where('task_id', '=', task('P2'))
        .where('status', '=', 'REJECTED')
        .executeTakeFirstOrThrow()
      assert.deepEqual([...(event.reasons ?? [])].sort(), ['FAMILY_CHILD', 'MEDICAL'])
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('places a case on hold, then accepts it', async () => {
    const { page, problems, close } = await openPage(browser)
    try {
      await signInThroughPage(page, server.baseUrl, 'cw1')
      await page.goto(`${server.baseUrl}${paths.task(task('P3'))}`)
      await page.getByRole('button', { name: 'Place on hold' }).click()
      await page.getByLabel('Note (optional)').waitFor()
      await assertAccessible(page, 'the place-on-hold form')
      await page.getByLabel('Note (optional)').fill('Checking the barrier with the appeals team.')
      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByRole('heading', { name: 'Task placed on hold' }).waitFor()
      assert.equal(await page.getByRole('link', { name: 'View tasks on hold' }).count(), 1)
      await assertAccessible(page, 'the "Task placed on hold" confirmation')

      // Back to the case through the On hold tab: the hold is shown and can be changed.
      await page.getByRole('link', { name: 'View tasks on hold' }).click()
      await page.waitForURL(/\/review-tasks\/LSE\/on-hold/)
      await assertAccessible(page, 'the On hold tab')
      await page.locator(`table a[href*="/tasks/${task('P3')}"]`).click()
      await page.getByText('Placed on hold by Casey Worker').waitFor()
      assert.equal(await page.getByRole('button', { name: 'Place on hold' }).count(), 0)
      await page.getByRole('button', { name: 'Accept task' }).click()
      await page.getByLabel('I have checked barriers, vulnerability and family circumstances').check()
      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByRole('heading', { name: 'Case accepted' }).waitFor()

      await page.goto(`${server.baseUrl}${paths.taskSection(task('P3'), 'history')}`)
      const titles = await page.locator('.moj-timeline__title').allTextContents()
      assert.deepEqual(
        titles.map((t) => t.trim()),
        ['Accepted', 'Placed on hold', 'Recommended'],
      )
      await assertAccessible(page, 'the history with three steps')
      assert.deepEqual(problems, [])
    } finally {
      await close()
    }
  })

  it('refuses a decision made on a task someone else changed meanwhile', async () => {
    const first = await openPage(browser)
    const second = await openPage(browser)
    try {
      await signInThroughPage(first.page, server.baseUrl, 'cw1')
      await signInThroughPage(second.page, server.baseUrl, 'cw2')
      await first.page.goto(`${server.baseUrl}${paths.taskDecision(task('P4'), 'accept')}`)
      await second.page.goto(`${server.baseUrl}${paths.taskDecision(task('P4'), 'accept')}`)
      // The second caseworker is told who opened the case first (the server's clock reads 10am, London summer time).
      await second.page.getByText('Casey Worker has this case open').waitFor()

      await first.page.getByLabel('I have checked barriers, vulnerability and family circumstances').check()
      await first.page.getByRole('button', { name: 'Submit' }).click()
      await first.page.getByRole('heading', { name: 'Case accepted' }).waitFor()

      await second.page.getByLabel('I have checked barriers, vulnerability and family circumstances').check()
      await second.page.getByRole('button', { name: 'Submit' }).click()
      await second.page
        .getByText(
          'This task was accepted by Casey Worker at 10:00am on 25 July 2018. Check the case again before you decide.',
        )
        .first()
        .waitFor()
      await assertAccessible(second.page, 'the refused decision')
      const events = await server.database.db
        .selectFrom('task_events')
        .select(['status', 'user_id'])
        .where('task_id', '=', task('P4'))
        .orderBy('id')
        .execute()
      assert.deepEqual(events, [
        { status: 'RECOMMENDED', user_id: null },
        { status: 'ACCEPTED', user_id: 'cw1' },
      ])
      assert.deepEqual(first.problems, [])
      assert.deepEqual(second.problems, [])
    } finally {
      await first.close()
      await second.close()
    }
  })
})
