import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { messages } from '../../src/web/messages.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  startTestApp,
  type TestApp,
  titleOf,
  WebClient,
} from '../support/web.ts'

const SESSION_COOKIE = 'ipic-session'

/** A page that needs mi:read, which a manager holds and a caseworker does not: checks the permission guard. */
async function managersOnly(app: FastifyInstance): Promise<void> {
  app.get('/test/managers-only', { config: { permission: 'mi:read' } }, async () => 'for managers')
}

describe('sign-in', () => {
  let database: TestDatabase
  let web: TestApp
  let client: WebClient
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { extraRoutes: [managersOnly] })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
    client = new WebClient(web.app)
  })

  describe('the landing page', () => {
    it('is a start page leading to sign-in for someone not signed in', async () => {
      const response = await client.get(paths.home())
      assert.equal(response.statusCode, 200)
      assert.match(response.body, /govuk-button--start/)
      assert.match(response.body, new RegExp(`href="${paths.signIn()}"`))
      assert.equal(titleOf(response.body), 'Identify and prioritise immigration cases – GOV.UK')
      assert.equal(response.headers['set-cookie'], undefined, 'reading the start page leaves no session')
    })
  })

  describe('pages that need a signed-in user', () => {
    it('send someone not signed in to sign-in, remembering where they were going', async () => {
      const response = await client.get(`${paths.reviewTasks()}?page=2`)
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, paths.signIn(`${paths.reviewTasks()}?page=2`))
      const form = await client.get(String(response.headers.location))
      assert.match(form.body, /<input type="hidden" name="returnTo" value="\/review-tasks\?page=2">/)
      const signedIn = await client.post(paths.signIn(), {
        _csrf: csrfTokenIn(form.body),
        userId: 'jo.caseworker',
        password: 'correct-horse-battery',
        returnTo: `${paths.reviewTasks()}?page=2`,
      })
      assert.equal(signedIn.statusCode, 303)
      assert.equal(signedIn.headers.location, `${paths.reviewTasks()}?page=2`)
    })

    for (const returnTo of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      it(`refuse to send anyone to ${JSON.stringify(returnTo)} after sign-in`, async () => {
        const form = await client.get(paths.signIn(returnTo))
        assert.doesNotMatch(form.body, /name="returnTo"/)
        const signedIn = await client.post(paths.signIn(), {
          _csrf: csrfTokenIn(form.body),
          userId: 'jo.caseworker',
          password: 'correct-horse-battery',
          returnTo,
        })
        assert.equal(signedIn.statusCode, 303)
        assert.equal(signedIn.headers.location, paths.reviewTasks(), 'where a caseworker’s work starts')
      })
    }
  })

  describe('signing in', () => {
    it('starts a session and lands a caseworker on the review tasks, which lead to their search', async () => {
      const response = await client.signIn('jo.caseworker')
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, paths.reviewTasks())
      const cookie = response.cookies.find((c: { name: string }) => c.name === SESSION_COOKIE) as
        | { httpOnly?: boolean; sameSite?: string }
        | undefined
      assert.ok(cookie, 'a session cookie')
      assert.equal(cookie.httpOnly, true)
      assert.equal(cookie.sameSite, 'Lax')
      const home = await client.get(paths.home())
      assert.equal(home.statusCode, 200)
      assert.match(home.body, /Jo Caseworker/)
      assert.match(home.body, /Sign out/)
      assert.match(home.body, new RegExp(`href="${paths.reviewTasks()}"`))
      assert.match(home.body, new RegExp(`href="${paths.miReport()}"`))
      assert.equal(titleOf(home.body), 'Home – Identify and prioritise immigration cases – GOV.UK')
    })

    it('gives a new session ID on sign-in, so an ID known beforehand is worthless', async () => {
      const before = await client.get(paths.signIn())
      const planted = client.cookies.get(SESSION_COOKIE)
      assert.ok(planted)
      await client.post(paths.signIn(), {
        _csrf: csrfTokenIn(before.body),
        userId: 'jo.caseworker',
        password: 'correct-horse-battery',
      })
      assert.notEqual(client.cookies.get(SESSION_COOKIE), planted)
      const withPlanted = await web.app.inject({
        url: paths.reviewTasks(),
        cookies: { [SESSION_COOKIE]: planted },
      })
      assert.equal(withPlanted.statusCode, 303, 'the old ID is not signed in')
    })

    it('keeps the session in the database', async () => {
      await client.signIn('jo.caseworker')
      const sessions = await database.db.selectFrom('sessions').select('data').execute()
      assert.ok(sessions.some((row) => (row.data as { userId?: string }).userId === 'jo.caseworker'))
    })

    it('sends someone already signed in on from the sign-in page', async () => {
      await client.signIn('jo.caseworker')
      const response = await client.get(paths.signIn())
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, paths.home())
    })
  })

  describe('a sign-in that fails', () => {
    async function attempt(userId: string, password: string) {
      const response = await client.signIn(userId, password)
      assert.equal(response.statusCode, 400)
      return response
    }

    it('says the same thing for a wrong password and for an unknown ID', async () => {
      const wrongPassword = await attempt('jo.caseworker', 'not-the-password')
      const unknownId = await attempt('nobody.here', 'not-the-password')
      const expected: [string, string][] = [[messages.signIn.incorrect, '#user-id']]
      assert.deepEqual(errorSummaryOf(wrongPassword.body), expected)
      assert.deepEqual(errorSummaryOf(unknownId.body), expected)
      // Apart from the ID typed and the per-request tokens, the two pages are the same.
      const normalise = (html: string, id: string) =>
        html
          .replaceAll(id, 'ID')
          .replace(/nonce="[^"]+"/g, '')
          .replace(/value="[^"]{20,}"/g, '')
      assert.equal(normalise(wrongPassword.body, 'jo.caseworker'), normalise(unknownId.body, 'nobody.here'))
    })

    it('refuses an inactive account in the same words', async () => {
      await addTestUser(database, { id: 'gone.away' })
      await database.db.updateTable('users').set({ active: false }).where('id', '=', 'gone.away').execute()
      const response = await attempt('gone.away', 'correct-horse-battery')
      assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.incorrect, '#user-id']])
      assert.equal((await client.get(paths.reviewTasks())).statusCode, 303, 'not signed in')
    })

    it('refuses an account without a password', async () => {
      await addTestUser(database, { id: 'sso.only', password: null })
      const response = await attempt('sso.only', 'anything-at-all')
      assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.incorrect, '#user-id']])
    })

    it('asks for each missing field, linking to it', async () => {
      const response = await attempt('', '')
      assert.deepEqual(errorSummaryOf(response.body), [
        [messages.signIn.userIdMissing, '#user-id'],
        [messages.signIn.passwordMissing, '#password'],
      ])
      assert.match(response.body, /id="user-id-error"/)
      assert.match(response.body, /id="password-error"/)
    })

    it('asks only for the field that is missing', async () => {
      const response = await attempt('jo.caseworker', '')
      assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.passwordMissing, '#password']])
    })

    it('shows the ID entered again but never the password', async () => {
      const response = await attempt('jo.caseworker', 'a-secret-typed-wrong')
      assert.match(response.body, /id="user-id" name="userId" type="text"[^>]* value="jo.caseworker"/)
      assert.doesNotMatch(response.body, /a-secret-typed-wrong/)
    })

    it('escapes what was typed', async () => {
      const response = await attempt('<script>alert(1)</script>', 'x')
      assert.doesNotMatch(response.body, /<script>alert\(1\)<\/script>/)
      assert.match(response.body, /&lt;script&gt;/)
    })

    it('puts "Error: " before the page title, and only then', async () => {
      const failed = await attempt('', '')
      assert.equal(
        titleOf(failed.body),
        'Error: Sign in – Identify and prioritise immigration cases – GOV.UK',
      )
      const fresh = await new WebClient(web.app).get(paths.signIn())
      assert.equal(titleOf(fresh.body), 'Sign in – Identify and prioritise immigration cases – GOV.UK')
    })

    it('treats a field sent twice as empty rather than failing', async () => {
      const form = await client.get(paths.signIn())
      const response = await client.post(paths.signIn(), {
        _csrf: csrfTokenIn(form.body),
        userId: ['a', 'b'],
        password: 'x',
      })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.userIdMissing, '#user-id']])
    })
  })

  describe('CSRF protection', () => {
    it('refuses a form posted without a token', async () => {
      await client.get(paths.signIn())
      const response = await client.post(paths.signIn(), {
        userId: 'jo.caseworker',
        password: 'correct-horse-battery',
      })
      assert.equal(response.statusCode, 403)
      assert.match(response.body, /The form could not be sent/)
      assert.equal(client.cookies.size > 0, true)
      assert.equal((await client.get(paths.reviewTasks())).statusCode, 303, 'not signed in')
    })

    it('refuses a forged token', async () => {
      const form = await client.get(paths.signIn())
      const real = csrfTokenIn(form.body)
      const forged = `${real.slice(0, -4)}AAAA`
      const response = await client.post(paths.signIn(), {
        _csrf: forged,
        userId: 'jo.caseworker',
        password: 'correct-horse-battery',
      })
      assert.equal(response.statusCode, 403)
      assert.match(response.body, /The form could not be sent/)
    })

    it('refuses another session’s token', async () => {
      const other = new WebClient(web.app)
      const theirs = csrfTokenIn((await other.get(paths.signIn())).body)
      await client.get(paths.signIn())
      const response = await client.post(paths.signIn(), {
        _csrf: theirs,
        userId: 'jo.caseworker',
        password: 'correct-horse-battery',
      })
      assert.equal(response.statusCode, 403)
    })

    it('refuses a post with no session at all', async () => {
      const response = await client.post(paths.signOut(), { _csrf: 'anything' })
      assert.equal(response.statusCode, 403)
    })

    it('protects the sign-out form too', async () => {
      await client.signIn('jo.caseworker')
      const response = await client.post(paths.signOut(), {})
      assert.equal(response.statusCode, 403)
      assert.equal((await client.get(paths.rules())).statusCode, 200, 'still signed in')
    })
  })

  describe('signing out', () => {
    it('ends the session: the old cookie no longer works', async () => {
      await client.signIn('jo.caseworker')
      const copied = client.copy()
      const response = await client.submit(paths.home(), paths.signOut(), {})
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, paths.signedOut())
      const signedOut = await client.get(paths.signedOut())
      assert.match(signedOut.body, /You have signed out/)
      const replayed = await copied.get(paths.reviewTasks())
      assert.equal(replayed.statusCode, 303)
      assert.match(String(replayed.headers.location), /^\/sign-in/)
      const rows = await database.db.selectFrom('sessions').select('data').execute()
      assert.ok(!rows.some((row) => (row.data as { userId?: string }).userId === 'jo.caseworker'))
    })
  })

  describe('an account changed while signed in', () => {
    it('loses access at once when deactivated', async () => {
      await client.signIn('jo.caseworker')
      assert.equal((await client.get(paths.rules())).statusCode, 200)
      await database.db
        .updateTable('users')
        .set({ active: false })
        .where('id', '=', 'jo.caseworker')
        .execute()
      const response = await client.get(paths.reviewTasks())
      assert.equal(response.statusCode, 303)
      assert.match(String(response.headers.location), /^\/sign-in/)
    })
  })

  describe('roles', () => {
    it('let a user with the role see the page', async () => {
      await addTestUser(database, { id: 'max.manager', roles: ['MANAGER'] })
      await client.signIn('max.manager')
      const response = await client.get('/test/managers-only')
      assert.equal(response.statusCode, 200)
      assert.equal(response.body, 'for managers')
    })

    it('show "no permission" to a user without it', async () => {
      await client.signIn('jo.caseworker')
      const response = await client.get('/test/managers-only')
      assert.equal(response.statusCode, 403)
      assert.match(response.body, /You do not have permission to see this page/)
      assert.doesNotMatch(response.body, /for managers/)
    })

    it('send someone not signed in to sign-in first', async () => {
      const response = await client.get('/test/managers-only')
      assert.equal(response.statusCode, 303)
    })
  })
})
