/**
 * Hostile text that a form accepts and stores is shown back escaped: a hold
 * note or a rejection's details on the case's history, a new user's name on
 * their details page. A form that refuses the text says why in its error
 * summary and stores nothing.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { paths } from '../../src/web/paths.ts'
import { runStandInRules } from '../support/case-tasks.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { assertAnswerIsSound } from '../support/hostile-requests.ts'
import { checkProperty, hostileText, MARKUP } from '../support/hostile-values.ts'
import { insertPersons, manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  type WebClient,
} from '../support/web.ts'

/** As Nunjucks escapes text into a page. */
function escaped(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replaceAll('\\', '&#92;')
}

/** Hostile text with markup in it more often than not: what is stored must come back escaped. */
const textWithMarkup = fc.oneof(
  hostileText,
  fc.tuple(hostileText, fc.constantFrom(...MARKUP), hostileText).map((parts) => parts.join('')),
)

/** Each line of stored text, as it must appear (escaped) somewhere in the page. */
function assertShownEscaped(body: string, stored: string, what: string): void {
  for (const line of stored.split(/\r\n|\r|\n/).map((part) => part.trim())) {
    if (line !== '') assert.ok(body.includes(escaped(line)), `${what}: "${line}" is not shown, escaped`)
  }
}

describe('hostile text stored through the forms', () => {
  let database: TestDatabase
  let web: TestApp
  let manager: WebClient
  const clock = manualClock()
  let persons = 0

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { clock })
    await addTestUser(database, { id: 'mgr', roles: ['MANAGER', 'ADMIN'], regions: 'all' })
    manager = await signedInClient(web.app, 'mgr')
  })

  after(async () => {
    await web.close()
    await database.close()
  })

  /** A new LSE task for a new person, made by a real rule run. */
  async function newTask(): Promise<number> {
    persons += 1
    const personId = `H${persons}`
    await insertPersons(database.db, [{ person_id: personId, missed_events_90_days: 2 }])
    await runStandInRules(database.db, clock)
    const task = await database.db
      .selectFrom('tasks')
      .select('id')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow()
    return task.id
  }

  it('a hold note or rejection details: shown escaped on the history, or refused with a reason', async () => {
    const tally = { stored: 0, refused: 0 }
    const decisions = {
      hold: (text: string) => ({ note: text }),
      reject: (text: string) => ({ reasons: 'SOURCE_DATA_INCORRECT', details: text, checksConfirmed: 'yes' }),
    }
    const property = fc.asyncProperty(
      fc.constantFrom('hold' as const, 'reject' as const),
      textWithMarkup,
      async (action, text) => {
        const taskId = await newTask()
        const form = await manager.get(paths.taskDecision(taskId, action))
        const response = await manager.post(paths.taskDecision(taskId, action), {
          _csrf: csrfTokenIn(form.body),
          version: '1',
          ...decisions[action](text),
        })
        const what = `${action} with ${JSON.stringify(text)}`
        assertAnswerIsSound(response, what)
        const events = await database.db
          .selectFrom('task_events')
          .select(['status', 'note', 'details'])
          .where('task_id', '=', taskId)
          .orderBy('id')
          .execute()
        if (response.statusCode === 303) {
          const last = events.at(-1)
          const stored = (action === 'hold' ? last?.note : last?.details) ?? ''
          const history = await manager.get(paths.taskSection(taskId, 'history'))
          assertAnswerIsSound(history, what)
          assertShownEscaped(history.body, stored, what)
          tally.stored += 1
        } else {
          tally.refused += 1
          assert.equal(response.statusCode, 400, what)
          assert.ok(errorSummaryOf(response.body).length > 0, `${what}: refused without saying why`)
          assert.equal(events.length, 1, `${what}: refused, yet something was written`)
        }
      },
    )
    await checkProperty('hostile hold notes and rejection details, stored and shown', property, 40)
    console.log(`notes and details: ${tally.stored} stored and shown escaped, ${tally.refused} refused`)
  })

  it("a new user's name: shown escaped on their details, or refused with a reason", async () => {
    let added = 0
    let namesSent = ''
    const tally = { stored: 0, refused: 0 }
    const property = fc.asyncProperty(textWithMarkup, async (name) => {
      added += 1
      const id = `hostile${added}`
      const form = await manager.get(paths.userNew())
      const response = await manager.post(paths.userNew(), {
        _csrf: csrfTokenIn(form.body),
        id,
        name,
        email: `${id}@example.gov.uk`,
        // Roles this manager and administrator may give; a password, as no single sign-on is set up.
        roles: 'ADMIN',
        regions: 'all',
        password: 'a-long-enough-pass-phrase-2026',
      })
      const what = `user name ${JSON.stringify(name)}`
      // The list of users shows every name stored so far.
      namesSent += ` ${name}`
      assertAnswerIsSound(response, what)
      const user = await database.db
        .selectFrom('users')
        .select('name')
        .where('id', '=', id)
        .executeTakeFirst()
      if (response.statusCode === 303) {
        assert.ok(user, `${what}: added, yet not stored`)
        const details = await manager.get(paths.user(id))
        assertAnswerIsSound(details, what)
        assertShownEscaped(details.body, user.name, what)
        const list = await manager.get(paths.users())
        assertAnswerIsSound(list, what, namesSent)
        tally.stored += 1
      } else {
        tally.refused += 1
        assert.equal(response.statusCode, 400, what)
        assert.ok(errorSummaryOf(response.body).length > 0, `${what}: refused without saying why`)
        assert.equal(user, undefined, `${what}: refused, yet stored`)
      }
    })
    await checkProperty('hostile user names, stored and shown', property, 40)
    console.log(`user names: ${tally.stored} stored and shown escaped, ${tally.refused} refused`)
  })
})
