/**
 * What happens when a session times out, without JavaScript: the next
 * request lands on "You have been signed out", which says why and keeps
 * nothing personal; and what the timeout warning's script relies on: the
 * session's status, read without keeping it alive, and "Stay signed in",
 * which does. A session clock the tests move by hand makes the times exact.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  startTestApp,
  type TestApp,
  textOf,
  titleOf,
  WebClient,
} from '../support/web.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const SESSION_COOKIE = 'ipic-session'

describe('session timeout', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock(new Date('2026-03-02T09:00:00Z'))
    web = await startTestApp(database, { sessionClock: clock })
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

  async function signedIn(): Promise<WebClient> {
    const client = new WebClient(web.app)
    assert.equal((await client.signIn('jo.caseworker')).statusCode, 303)
    return client
  }

  async function statusOf(client: WebClient) {
    const response = await client.get(paths.sessionStatus())
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['cache-control'], 'no-store')
    return response.json()
  }

  /** The "You have been signed out" page, checked for what it must never hold. */
  async function timedOutPage(client: WebClient, url: string): Promise<string> {
    const page = await client.get(url)
    assert.equal(page.statusCode, 200)
    assert.equal(page.headers['cache-control'], 'no-store')
    assert.equal(
      titleOf(page.body),
      'You have been signed out – Identify and prioritise immigration cases – GOV.UK',
    )
    assert.doesNotMatch(page.body, /Jo Caseworker|jo\.caseworker/)
    assert.doesNotMatch(page.body, /session-timeout\.js|<dialog/, 'no timeout warning for nobody')
    return page.body
  }

  describe('without JavaScript', () => {
    it('sends the first request after the idle timeout to "You have been signed out", saying why', async () => {
      const client = await signedIn()
      assert.equal((await client.get(paths.rules())).statusCode, 200)
      clock.advance(30 * MINUTE)
      const ended = await client.get(paths.rules())
      assert.equal(ended.statusCode, 303)
      assert.equal(ended.headers.location, paths.timedOut('idle', paths.rules()))
      assert.ok(
        web.logs.lines.some(
          (line) =>
            line.msg === 'session ended: timed out' &&
            line.because === 'idle' &&
            line.userId === 'jo.caseworker',
        ),
      )

      const body = await timedOutPage(client, ended.headers.location as string)
      assert.match(
        textOf(body),
        /You have been signed out We signed you out because you had not done anything for 30 minutes\./,
      )
      assert.ok(body.includes(`href="${paths.signIn(paths.rules())}"`), 'signing in again leads back')
      assert.match(textOf(body), /Sign in again/)
      // The session is gone, and so is its cookie: the next request is simply not signed in.
      assert.equal(client.cookies.has(SESSION_COOKIE), false)
      const next = await client.get(paths.rules())
      assert.equal(next.headers.location, paths.signIn(paths.rules()))
    })

    it('ends a session 10 hours after sign-in, however busy, saying why', async () => {
      const client = await signedIn()
      for (let minutes = 20; minutes < 600; minutes += 20) {
        clock.advance(20 * MINUTE)
        assert.equal((await client.get(paths.rules())).statusCode, 200)
      }
      clock.advance(20 * MINUTE)
      const ended = await client.get(paths.rules())
      assert.equal(ended.headers.location, paths.timedOut('absolute', paths.rules()))
      const body = await timedOutPage(client, ended.headers.location as string)
      assert.match(textOf(body), /We signed you out because you signed in more than 10 hours ago\./)
    })

    it('names the absolute limit when a session idled out after it had passed', async () => {
      const client = await signedIn()
      for (let minutes = 20; minutes <= 580; minutes += 20) {
        clock.advance(20 * MINUTE)
        await client.get(paths.rules())
      }
      // Signed in at 0, last request at 9h40: the 10 hours end before the idle half hour does.
      clock.advance(2 * HOUR)
      const ended = await client.get(paths.rules())
      assert.equal(ended.headers.location, paths.timedOut('absolute', paths.rules()))
    })

    it('answers a form posted after the timeout with the same page, not "the form could not be sent"', async () => {
      const client = await signedIn()
      const token = csrfTokenIn((await client.get(paths.rules())).body)
      clock.advance(31 * MINUTE)
      const signOut = await client.post(paths.signOut(), { _csrf: token })
      assert.equal(signOut.statusCode, 303)
      assert.equal(signOut.headers.location, paths.timedOut('idle'))
    })

    it('still shows public pages as they are, and the sign-in page once the user is told', async () => {
      const client = await signedIn()
      clock.advance(31 * MINUTE)
      const home = await client.get(paths.home())
      assert.equal(home.statusCode, 200)
      assert.doesNotMatch(home.body, /Jo Caseworker/)
      const signIn = await client.get(paths.signIn())
      assert.equal(signIn.statusCode, 200)
    })

    it('says nothing it cannot stand behind: no reason, or an unsafe way back, is left out', async () => {
      const visitor = new WebClient(web.app)
      const plain = await timedOutPage(visitor, paths.timedOut())
      assert.doesNotMatch(plain, /We signed you out because/)
      assert.ok(plain.includes(`href="${paths.signIn()}"`))
      const made = await timedOutPage(visitor, '/timed-out?reason=%3Cscript%3E&returnTo=%2F%2Fevil.example')
      assert.doesNotMatch(made, /We signed you out because|evil\.example|<script>/)
      assert.ok(made.includes(`href="${paths.signIn()}"`))
    })

    it('sends someone still signed in back to work', async () => {
      const client = await signedIn()
      const page = await client.get(paths.timedOut('idle', paths.rules()))
      assert.equal(page.statusCode, 303)
      assert.equal(page.headers.location, paths.rules())
    })
  })

  describe('what the warning relies on', () => {
    it('reads how long is left without keeping the session alive', async () => {
      const client = await signedIn()
      assert.deepEqual(await statusOf(client), {
        signedIn: true,
        idleSecondsLeft: 30 * 60,
        absoluteSecondsLeft: 10 * 60 * 60,
      })
      clock.advance(28 * MINUTE)
      assert.equal((await statusOf(client)).idleSecondsLeft, 120)
      clock.advance(90_000)
      assert.equal((await statusOf(client)).idleSecondsLeft, 30, 'asking did not push the timeout on')
      clock.advance(30_000)
      assert.deepEqual(await statusOf(client), { signedIn: false, endedBecause: 'idle' })
    })

    it('says nobody is signed in to a visitor, a forged cookie or a signed-out session', async () => {
      assert.deepEqual(await statusOf(new WebClient(web.app)), { signedIn: false, endedBecause: null })
      const response = await web.app.inject({
        method: 'GET',
        url: paths.sessionStatus(),
        cookies: { [SESSION_COOKIE]: 'made-up.signature' },
      })
      assert.deepEqual(response.json(), { signedIn: false, endedBecause: null })
      const client = await signedIn()
      const token = csrfTokenIn((await client.get(paths.rules())).body)
      await client.post(paths.signOut(), { _csrf: token })
      assert.deepEqual(await statusOf(client), { signedIn: false, endedBecause: null })
    })

    it('keeps the session alive for another 30 minutes when "Stay signed in" posts its form', async () => {
      const client = await signedIn()
      const page = await client.get(paths.rules())
      assert.match(page.body, /<dialog class="app-session-timeout"/)
      const token = csrfTokenIn(/<form id="session-keep-alive"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '')
      clock.advance(29 * MINUTE)
      const kept = await client.post(paths.sessionKeepAlive(), { _csrf: token })
      assert.equal(kept.statusCode, 204)
      assert.equal(kept.headers['cache-control'], 'no-store')
      clock.advance(29 * MINUTE)
      assert.equal((await statusOf(client)).idleSecondsLeft, 60)
      assert.equal(
        (await client.get(paths.rules())).statusCode,
        200,
        'still signed in 58 minutes after the page',
      )
    })

    it('refuses "Stay signed in" without the form’s CSRF token', async () => {
      const client = await signedIn()
      const refused = await client.post(paths.sessionKeepAlive(), {})
      assert.equal(refused.statusCode, 403)
      assert.match(textOf(refused.body), /The form could not be sent/)
      const wrong = await client.post(paths.sessionKeepAlive(), { _csrf: 'not-the-token' })
      assert.equal(wrong.statusCode, 403)
    })

    it('answers "Stay signed in" after the timeout with the signed-out page, and nobody else with 401', async () => {
      const client = await signedIn()
      const token = csrfTokenIn((await client.get(paths.rules())).body)
      clock.advance(31 * MINUTE)
      const late = await client.post(paths.sessionKeepAlive(), { _csrf: token })
      assert.equal(late.statusCode, 303)
      assert.equal(late.headers.location, paths.timedOut('idle'))

      const visitor = new WebClient(web.app)
      const visitorToken = csrfTokenIn((await visitor.get(paths.signIn())).body)
      assert.equal((await visitor.post(paths.sessionKeepAlive(), { _csrf: visitorToken })).statusCode, 401)
    })

    it('puts the warning, with its timings, on signed-in pages only', async () => {
      const visitor = await new WebClient(web.app).get(paths.signIn())
      assert.doesNotMatch(visitor.body, /session-timeout/)
      const client = await signedIn()
      const page = (await client.get(paths.rules())).body
      const dialog = /<dialog[^>]*>/.exec(page)?.[0] ?? ''
      assert.match(dialog, /role="alertdialog"/)
      assert.match(dialog, /aria-modal="true"/)
      assert.match(dialog, /aria-labelledby="session-timeout-heading"/)
      assert.match(dialog, /aria-describedby="session-timeout-description"/)
      assert.match(dialog, /data-idle-seconds="1800"/)
      assert.match(dialog, /data-warning-seconds="120"/)
      // The store may write an expiry up to a minute late: the page first asks a minute early.
      assert.match(dialog, /data-first-check-seconds="1620"/)
      assert.match(textOf(page), /You will be signed out in 2 minutes/)
      assert.match(page, /<script type="module" src="\/public\/session-timeout\.js"><\/script>/)
      const script = await web.app.inject({ method: 'GET', url: paths.assets.sessionTimeoutJs() })
      assert.equal(script.statusCode, 200)
      assert.match(String(script.headers['content-type']), /javascript/)
    })
  })
})
