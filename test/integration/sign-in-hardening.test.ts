/**
 * Sign-in throttling (per user ID and per client address, kept in the
 * database) and the absolute session lifetime, with a session clock the
 * tests move by hand so the boundaries are exact.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { messages } from '../../src/web/messages.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  titleOf,
  WebClient,
} from '../support/web.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const TOO_MANY = messages.signIn.tooMany(15)

/** The error summary's items: [text, href]. */
function errorSummaryOf(html: string): [string, string][] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [
    match[2]!.trim(),
    match[1]!,
  ])
}

describe('sign-in hardening', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock(new Date('2026-03-02T09:00:00Z'))
    web = await startTestApp(database, {
      sessionClock: clock,
      // The per-address limit is lowered so the test need not make twenty attempts.
      env: { SIGN_IN_MAX_FAILURES_PER_ADDRESS: '8' },
    })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    clock.set(new Date('2026-03-02T09:00:00Z'))
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
  })

  /** Whether the client's session is signed in: a page that needs it answers rather than redirecting. */
  async function isSignedIn(client: WebClient): Promise<boolean> {
    return (await client.get(paths.miReport())).statusCode === 200
  }

  /** Whether signing in with the right password gets in. */
  async function canSignIn(userId = 'jo.caseworker'): Promise<boolean> {
    const client = new WebClient(web.app)
    const response = await client.signIn(userId)
    return response.statusCode === 303 && (await isSignedIn(client))
  }

  /** Signs in from a client address, as a browser would: loads the form, posts it back. */
  async function signInFrom(address: string, userId: string, password = TEST_PASSWORD) {
    const form = await web.app.inject({ url: paths.signIn(), remoteAddress: address })
    const cookie = form.cookies.find((c: { name: string }) => c.name === 'ipic-session') as { value: string }
    return web.app.inject({
      method: 'POST',
      url: paths.signIn(),
      remoteAddress: address,
      cookies: { 'ipic-session': cookie.value },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfTokenIn(form.body), userId, password }).toString(),
    })
  }

  async function failTimes(userId: string, times: number, address = '127.0.0.1'): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      const response = await signInFrom(address, userId, 'not-the-password')
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.incorrect, '#user-id']])
    }
  }

  describe('throttling failed sign-ins', () => {
    it('refuses a user ID after 5 failures, even with the right password, on a GOV.UK error page', async () => {
      await failTimes('jo.caseworker', 4)
      assert.equal(await canSignIn(), true, 'four failures are not enough to be refused')
      await database.reset()
      await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker' })

      await failTimes('jo.caseworker', 5)
      const client = new WebClient(web.app)
      const refused = await client.signIn('jo.caseworker')
      assert.equal(refused.statusCode, 429)
      assert.equal(
        titleOf(refused.body),
        'Error: Sign in – Identify and prioritise immigration cases – GOV.UK',
      )
      assert.deepEqual(errorSummaryOf(refused.body), [[TOO_MANY, '#user-id']])
      assert.equal(await isSignedIn(client), false)
      const throttled = web.logs.lines.filter((line) => line.msg === 'sign-in throttled')
      assert.equal(throttled.at(-1)?.userId, 'jo.caseworker')
      // A refused attempt is not a failure: the count stays at the five.
      assert.equal(
        (await database.db.selectFrom('sign_in_failures').select('id').execute()).length,
        5,
        'refused attempts are not counted',
      )
    })

    it('says the same thing for an ID that does not exist', async () => {
      // From two addresses, so that neither reaches the per-address limit.
      await failTimes('jo.caseworker', 5, '192.0.2.1')
      await failTimes('nobody.here', 5, '192.0.2.2')
      const known = await signInFrom('192.0.2.3', 'jo.caseworker', 'not-the-password')
      const unknown = await signInFrom('192.0.2.3', 'nobody.here', 'not-the-password')
      assert.equal(known.statusCode, 429)
      assert.equal(unknown.statusCode, 429)
      const normalise = (html: string, id: string) =>
        html
          .replaceAll(id, 'ID')
          .replace(/nonce="[^"]+"/g, '')
          .replace(/value="[^"]{20,}"/g, '')
      assert.equal(normalise(known.body, 'jo.caseworker'), normalise(unknown.body, 'nobody.here'))
    })

    it('lets the ID in again once the failures are 15 minutes old, not a moment before', async () => {
      await failTimes('jo.caseworker', 5)
      clock.advance(15 * MINUTE - 1)
      assert.equal(await canSignIn(), false)
      clock.advance(1)
      assert.equal(await canSignIn(), true)
    })

    it('counts only the failures within the window', async () => {
      await failTimes('jo.caseworker', 3)
      clock.advance(10 * MINUTE)
      await failTimes('jo.caseworker', 2)
      assert.equal(await canSignIn('jo.caseworker'), false, 'five within 15 minutes')
      clock.advance(5 * MINUTE)
      // The first three are now 15 minutes old: two remain.
      assert.equal(await canSignIn('jo.caseworker'), true)
    })

    it('starts the count again after a successful sign-in', async () => {
      await failTimes('jo.caseworker', 4)
      assert.equal(await canSignIn(), true)
      await failTimes('jo.caseworker', 4)
      assert.equal(await canSignIn(), true)
    })

    it('keeps other IDs signing in while one is refused', async () => {
      await addTestUser(database, { id: 'sam.other', name: 'Sam Other' })
      await failTimes('jo.caseworker', 5)
      assert.equal(await canSignIn('sam.other'), true)
    })

    it('refuses an address that has failed too often, whatever the ID, but not other addresses', async () => {
      await addTestUser(database, { id: 'sam.other', name: 'Sam Other' })
      for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) await failTimes(`guess.${id}`, 1)
      const fromGuesser = await new WebClient(web.app).signIn('sam.other')
      assert.equal(fromGuesser.statusCode, 429)
      assert.deepEqual(errorSummaryOf(fromGuesser.body), [[TOO_MANY, '#user-id']])
      const elsewhere = await signInFrom('192.0.2.44', 'sam.other')
      assert.equal(elsewhere.statusCode, 303)
      assert.equal(elsewhere.headers.location, paths.home())
    })

    it('keeps the count in the database, shared by every instance of the service', async () => {
      await failTimes('jo.caseworker', 5)
      const another = await startTestApp(database, { sessionClock: clock })
      try {
        const response = await new WebClient(another.app).signIn('jo.caseworker')
        assert.equal(response.statusCode, 429)
      } finally {
        await another.close()
      }
    })

    it('forgets failures older than the window as new ones arrive', async () => {
      await failTimes('nobody.here', 3)
      clock.advance(16 * MINUTE)
      await failTimes('nobody.else', 1)
      const rows = await database.db.selectFrom('sign_in_failures').select('user_id').execute()
      assert.deepEqual(
        rows.map((row) => row.user_id),
        ['nobody.else'],
      )
    })
  })

  describe('the absolute session lifetime', () => {
    it('ends a busy session 12 hours after sign-in and sends the user to sign in again', async () => {
      const client = new WebClient(web.app)
      await client.signIn('jo.caseworker')
      // A request every 100 minutes keeps the 2-hour idle timeout at bay all day.
      for (let minutes = 100; minutes < 720; minutes += 100) {
        clock.advance(100 * MINUTE)
        assert.equal((await client.get(paths.home())).statusCode, 200)
        assert.match((await client.get(paths.home())).body, /Welcome, Jo Caseworker/)
      }
      clock.advance(720 * MINUTE - 1 - 700 * MINUTE)
      assert.equal(await isSignedIn(client), true, 'a moment before: still signed in')
      clock.advance(1)
      const ended = await client.get(paths.miReport())
      assert.equal(ended.statusCode, 303)
      assert.equal(ended.headers.location, `${paths.signIn()}?returnTo=%2Fmi`)
      assert.ok(
        web.logs.lines.some((line) => String(line.msg).startsWith('session ended: signed in for longer')),
      )

      // Signing in again starts a new 12 hours.
      await client.signIn('jo.caseworker')
      for (let minutes = 100; minutes < 720; minutes += 100) {
        clock.advance(100 * MINUTE)
        assert.equal(await isSignedIn(client), true)
      }
    })

    it('still ends an idle session after 2 hours', async () => {
      const client = new WebClient(web.app)
      await client.signIn('jo.caseworker')
      clock.advance(2 * HOUR - 1)
      assert.equal(await isSignedIn(client), true)
      clock.advance(2 * HOUR)
      assert.equal(await isSignedIn(client), false)
    })

    it('treats a session with no sign-in time as too old', async () => {
      const client = new WebClient(web.app)
      await client.signIn('jo.caseworker')
      assert.equal(await isSignedIn(client), true)
      // A session from before sessions had a lifetime.
      await database.db
        .updateTable('sessions')
        .set((eb) => ({ data: eb('data', '-', 'signedInAt') as never }))
        .execute()
      assert.equal(await isSignedIn(client), false)
    })
  })
})
