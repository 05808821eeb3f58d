/**
 * A NUL or another control character in any form field is a problem the
 * user is told about on the form, with what they typed shown back; never
 * an error page (PostgreSQL refuses NUL in text), and nothing is written.
 * Real posts and links through the app, on both database engines.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { messages } from '../../src/web/messages.ts'
import { paths } from '../../src/web/paths.ts'
import { seedLseAndMeeTasks } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  titleOf,
  WebClient,
} from '../support/web.ts'

const NUL = '\u0000'

/** The text of a textarea, as the page shows it back. */
function textareaOf(html: string, name: string): string | undefined {
  return new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1]?.trim()
}

describe('hidden characters in form fields', () => {
  let database: TestDatabase
  let web: TestApp
  let taskId: number

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { clock: manualClock(new Date('2026-03-02T09:00:00Z')) })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'cw1', regions: ['LSE'] })
    await addTestUser(database, { id: 'mgr', roles: ['MANAGER'], regions: ['LSE'] })
    ;({ lseTask: taskId } = await seedLseAndMeeTasks(
      database.db,
      manualClock(new Date('2026-03-02T09:00:00Z')),
    ))
  })

  async function decide(
    client: WebClient,
    action: 'reject' | 'hold',
    fields: Record<string, string | string[]>,
  ) {
    const form = await client.get(paths.taskDecision(taskId, action))
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? ''
    return client.post(paths.taskDecision(taskId, action), {
      _csrf: csrfTokenIn(form.body),
      version,
      ...fields,
    })
  }

  async function nothingDecided(): Promise<void> {
    const task = await database.db
      .selectFrom('tasks')
      .select(['status', 'version'])
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(task, { status: 'RECOMMENDED', version: 1 })
    const events = await database.db
      .selectFrom('task_events')
      .select('status')
      .where('task_id', '=', taskId)
      .execute()
    assert.deepEqual(
      events.map((event) => event.status),
      ['RECOMMENDED'],
    )
  }

  describe('signing in', () => {
    for (const userId of [`cw1${NUL}`, `${NUL}`, 'cw1\u001b[2J', 'cw\t1']) {
      it(`asks for the user ID again, as typed, for ${JSON.stringify(userId)}`, async () => {
        const client = new WebClient(web.app)
        const form = await client.get(paths.signIn())
        const response = await client.post(paths.signIn(), {
          _csrf: csrfTokenIn(form.body),
          userId,
          password: TEST_PASSWORD,
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(errorSummaryOf(response.body), [
          [messages.forms.hiddenCharacters('User ID'), '#user-id'],
        ])
        assert.match(response.body, /id="user-id-error"/)
        assert.ok(response.body.includes(`value="${userId.trim()}"`), 'the ID is shown back')
      })
    }
  })

  describe('rejecting', () => {
    it('names the details, keeps everything typed and ticked, and writes nothing', async () => {
      const client = await signedInClient(web.app, 'cw1')
      const details = `Spoke to the GP${NUL} on Monday\nand again today`
      const response = await decide(client, 'reject', {
        reasons: ['MEDICAL'],
        details,
        checksConfirmed: 'yes',
      })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [
        [messages.forms.hiddenCharacters('Details'), '#details'],
      ])
      assert.match(response.body, /id="details-error"/)
      assert.equal(textareaOf(response.body, 'details'), details)
      assert.match(response.body, /value="MEDICAL" checked/)
      await nothingDecided()
    })

    it('treats a reason with a hidden character as one not on the list, beside any other problem', async () => {
      const client = await signedInClient(web.app, 'cw1')
      for (const reasons of [[`MEDICAL${NUL}`], ['MEDICAL', NUL]]) {
        const response = await decide(client, 'reject', {
          reasons,
          details: `Typed${NUL}`,
          checksConfirmed: 'yes',
        })
        assert.equal(response.statusCode, 400, JSON.stringify(reasons))
        assert.deepEqual(errorSummaryOf(response.body), [
          ['Select reasons from the list', '#reasons'],
          [messages.forms.hiddenCharacters('Details'), '#details'],
        ])
        assert.equal(textareaOf(response.body, 'details'), `Typed${NUL}`)
      }
      await nothingDecided()
    })

    it('still takes details over several lines, with tabs', async () => {
      const client = await signedInClient(web.app, 'cw1')
      const details = 'Line one\r\n\tindented line two'
      const response = await decide(client, 'reject', { reasons: 'MEDICAL', details, checksConfirmed: 'yes' })
      assert.equal(response.statusCode, 303)
      const event = await database.db
        .selectFrom('task_events')
        .select('details')
        .where('status', '=', 'REJECTED')
        .executeTakeFirstOrThrow()
      assert.equal(event.details, details)
    })
  })

  describe('placing on hold', () => {
    for (const note of [`Call back${NUL}`, 'Ring \u0007 the office', 'escape \u001b[31m']) {
      it(`names the note ${JSON.stringify(note)}, keeps it, and writes nothing`, async () => {
        const client = await signedInClient(web.app, 'cw1')
        const response = await decide(client, 'hold', { note })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(errorSummaryOf(response.body), [[messages.forms.hiddenCharacters('Note'), '#note']])
        assert.equal(textareaOf(response.body, 'note'), note)
        await nothingDecided()
      })
    }
  })

  describe('forms whose fields are chosen from a list or are dates', () => {
    it('searching: each field with a NUL gets its own problem, shown back', async () => {
      const client = await signedInClient(web.app, 'cw1')
      const page = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(paths.reviewSearch('LSE'), {
        _csrf: csrfTokenIn(page.body),
        taskType: `FAILED_TO_REPORT${NUL}`,
        'from-day': `2${NUL}`,
        'from-month': '3',
        'from-year': '2026',
        'to-day': '16',
        'to-month': `3${NUL}`,
        'to-year': '2026',
        country: `FRA${NUL}`,
        location: NUL,
      })
      assert.equal(response.statusCode, 400)
      // Task type, both dates, country and location: one problem each.
      assert.equal(errorSummaryOf(response.body).length, 5)
      assert.ok(response.body.includes(`value="2${NUL}"`), 'the day typed is shown back')
    })

    it('searching: a country to add with a NUL is not on the list', async () => {
      const client = await signedInClient(web.app, 'cw1')
      const page = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(paths.reviewSearch('LSE'), {
        _csrf: csrfTokenIn(page.body),
        action: 'add-country',
        addCountry: `FRA${NUL}`,
      })
      assert.equal(response.statusCode, 400)
      assert.equal(errorSummaryOf(response.body).length, 1)
    })

    // No page's address holds a NUL, so a link with one was made by hand: it is refused before any
    // route reads it (src/web/server/unstorable-input.ts), whatever the page.
    it('a results link with a NUL is a request the service could not understand', async () => {
      const client = await signedInClient(web.app, 'cw1')
      const response = await client.get(
        `${paths.reviewList('LSE', 'recommended')}?taskType=FAILED_TO_REPORT%00&from=2026-03-02%00&to=2026-03-16&location=%00`,
      )
      assert.equal(response.statusCode, 400)
      assert.match(titleOf(response.body), /^Sorry, the service could not understand that request/)
    })

    it('the MI report, the dashboard and the data-quality list', async () => {
      const client = await signedInClient(web.app, 'mgr')
      const dates = 'from-day=1&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026'
      for (const url of [
        `${paths.miDownload()}?from-day=1%00&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026&format=csv`,
        `${paths.miDownload()}?${dates}&format=csv%00`,
        `${paths.miDownload()}?${dates}&region=LSE%00&format=csv`,
        `${paths.miReportFile('csv')}?from=2026-02-01%00&to=2026-03-01`,
        `${paths.miDashboard()}?${dates}&taskType=FAILED_TO_REPORT%00`,
        `${paths.miDashboard()}?from-day=%00&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026`,
        `${paths.miDataQuality()}?${dates.replace('to-year=2026', 'to-year=2026%00')}`,
        `${paths.miDataQuality('csv')}?${dates}&region=%00`,
      ]) {
        const response = await client.get(url)
        assert.equal(response.statusCode, 400, url)
        assert.match(titleOf(response.body), /^Sorry, the service could not understand that request/, url)
      }
    })

    it('choosing a region: a region not offered is refused as tampering, not an error', async () => {
      const client = await signedInClient(web.app, 'cw1')
      const page = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(paths.reviewRegion(), {
        _csrf: csrfTokenIn(page.body),
        region: `LSE${NUL}`,
      })
      assert.ok(response.statusCode === 403 || response.statusCode === 400, String(response.statusCode))
    })
  })
})
