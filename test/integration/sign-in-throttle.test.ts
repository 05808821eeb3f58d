/**
 * The waits between sign-in attempts, per user ID and per client address,
 * kept in the database, with a session clock the tests move by hand so the
 * boundaries are exact. (Attempts sent at the same moment:
 * sign-in-races.test.ts; the waits themselves: unit/sign-in-delay.test.ts.)
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
  errorSummaryOf,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  titleOf,
  WebClient,
} from '../support/web.ts'

const MINUTE = 60_000
const START = new Date('2026-03-02T09:00:00Z')
const HOME_ADDRESS = '127.0.0.1'

describe('waits between sign-in attempts', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock(START)
    web = await startTestApp(database, {
      sessionClock: clock,
      // The per-address allowance is lowered so the tests need not make twenty attempts.
      env: { SIGN_IN_MAX_FAILURES_PER_ADDRESS: '8' },
    })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    clock.set(START)
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
  })

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

  /** Whether signing in with the right password gets in. */
  async function canSignIn(userId = 'jo.caseworker', address = HOME_ADDRESS): Promise<boolean> {
    const response = await signInFrom(address, userId)
    // Every user here is a caseworker: signing in leads to the review tasks.
    return response.statusCode === 303 && response.headers.location === paths.reviewTasks()
  }

  async function failTimes(userId: string, times: number, address = HOME_ADDRESS): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      const response = await signInFrom(address, userId, 'not-the-password')
      assert.equal(response.statusCode, 400, `failure ${i + 1} of ${times} for ${userId} is checked`)
      assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.incorrect, '#user-id']])
    }
  }

  /** Tries a wrong password and expects to be told to wait this many minutes. */
  async function toldToWait(
    minutes: number,
    userId = 'jo.caseworker',
    address = HOME_ADDRESS,
  ): Promise<void> {
    const response = await signInFrom(address, userId, 'not-the-password')
    assert.equal(response.statusCode, 429, `told to wait ${minutes} minutes`)
    assert.deepEqual(errorSummaryOf(response.body), [[messages.signIn.tooMany(minutes), '#user-id']])
  }

  async function attemptsRecorded() {
    return database.db
      .selectFrom('sign_in_attempts')
      .select(['user_id', 'address', 'outcome'])
      .orderBy('id')
      .execute()
  }

  it('makes an ID wait a minute after 5 failures, even with the right password, on a GOV.UK error page', async () => {
    await failTimes('jo.caseworker', 4)
    assert.equal(await canSignIn(), true, 'four failures cost nothing')
    await failTimes('jo.caseworker', 5)

    const client = new WebClient(web.app) // from the same address, HOME_ADDRESS
    const refused = await client.signIn('jo.caseworker')
    assert.equal(refused.statusCode, 429)
    assert.equal(refused.headers['retry-after'], '60')
    assert.equal(titleOf(refused.body), 'Error: Sign in – Identify and prioritise immigration cases – GOV.UK')
    assert.deepEqual(errorSummaryOf(refused.body), [
      ['There have been too many failed attempts to sign in. Wait 1 minute, then try again', '#user-id'],
    ])
    assert.equal((await client.get(paths.miReport())).statusCode, 303, 'not signed in')
    const throttled = web.logs.lines.filter((line) => line.msg === 'sign-in throttled')
    assert.equal(throttled.at(-1)?.userId, 'jo.caseworker')
    // A refused attempt is not recorded: it neither counts nor makes the wait longer.
    assert.equal((await attemptsRecorded()).length, 5)
    assert.deepEqual(new Set((await attemptsRecorded()).map((row) => row.outcome)), new Set(['FAILED']))
  })

  it('lets the real user in with the right password once the wait is over, not a moment before', async () => {
    // Someone else's five guesses, from elsewhere.
    await failTimes('jo.caseworker', 5, '203.0.113.9')
    clock.advance(MINUTE - 1)
    assert.equal(await canSignIn(), false)
    clock.advance(1)
    assert.equal(await canSignIn(), true)
  })

  it('doubles the wait with each further failure up to 15 minutes, and says how long is left', async () => {
    await failTimes('jo.caseworker', 5)
    for (const minutes of [1, 2, 4, 8, 15, 15]) {
      await toldToWait(minutes)
      clock.advance(minutes * MINUTE)
      await failTimes('jo.caseworker', 1)
    }
    clock.advance(10.5 * MINUTE)
    await toldToWait(5)
    clock.advance(4.5 * MINUTE)
    assert.equal(await canSignIn(), true)
  })

  it('says the same thing for an ID that does not exist', async () => {
    // From two addresses, so that neither must wait.
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
    assert.equal(known.headers['retry-after'], unknown.headers['retry-after'])
  })

  it('starts the ID’s count again after a successful sign-in', async () => {
    await failTimes('jo.caseworker', 4)
    assert.equal(await canSignIn(), true)
    await failTimes('jo.caseworker', 4)
    assert.equal(await canSignIn(), true)
    assert.deepEqual(await attemptsRecorded(), [])
  })

  it('keeps the address’s count of other IDs’ failures after a successful sign-in from it', async () => {
    await failTimes('guess.a', 3)
    await failTimes('guess.b', 3)
    await failTimes('jo.caseworker', 1)
    assert.equal(await canSignIn(), true)
    // Six of the address's eight remain; two more and everyone there must wait.
    await failTimes('guess.c', 2)
    await toldToWait(1)
    assert.equal(await canSignIn(), false)
    assert.equal(await canSignIn('jo.caseworker', '192.0.2.44'), true, 'from elsewhere the ID is clear')
  })

  it('keeps other IDs signing in while one must wait', async () => {
    await addTestUser(database, { id: 'sam.other', name: 'Sam Other' })
    await failTimes('jo.caseworker', 5, '192.0.2.1')
    assert.equal(await canSignIn('sam.other', '192.0.2.1'), true)
  })

  it('makes an address wait after too many failures, whatever the ID, but not other addresses', async () => {
    await addTestUser(database, { id: 'sam.other', name: 'Sam Other' })
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) await failTimes(`guess.${id}`, 1)
    await toldToWait(1, 'sam.other')
    const elsewhere = await signInFrom('192.0.2.44', 'sam.other')
    assert.equal(elsewhere.statusCode, 303)
    assert.equal(elsewhere.headers.location, paths.reviewTasks())
    clock.advance(MINUTE)
    assert.equal(
      await canSignIn('sam.other'),
      true,
      'the office is kept out for a minute, not a quarter of an hour',
    )
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

  it('forgets attempts once they are an hour old, and the wait they caused with them', async () => {
    await failTimes('jo.caseworker', 5)
    clock.advance(59 * MINUTE)
    await failTimes('jo.caseworker', 1)
    // Six within the hour: 2 minutes from the latest. Then the first five are an hour old.
    clock.advance(MINUTE - 1)
    assert.equal(await canSignIn(), false)
    clock.advance(1)
    assert.equal(await canSignIn(), true)
  })

  it('deletes attempts older than the window as new failures arrive', async () => {
    await failTimes('nobody.here', 3)
    clock.advance(61 * MINUTE)
    await failTimes('nobody.else', 1)
    assert.deepEqual(
      (await attemptsRecorded()).map((row) => row.user_id),
      ['nobody.else'],
    )
  })

  it('counts attempts a stopped process left pending, and ends their wait like any other', async () => {
    const pending = { user_id: 'jo.caseworker', address: '192.0.2.9', outcome: 'PENDING' as const }
    await database.db
      .insertInto('sign_in_attempts')
      .values(Array.from({ length: 12 }, () => ({ ...pending, attempted_at: clock.now() })))
      .execute()
    assert.equal(await canSignIn(), false)
    clock.advance(15 * MINUTE - 1)
    await toldToWait(1)
    clock.advance(1)
    assert.equal(await canSignIn(), true)
    assert.deepEqual(await attemptsRecorded(), [], 'getting in forgets them')
  })
})
