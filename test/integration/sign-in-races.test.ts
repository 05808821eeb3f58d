/**
 * Simultaneous sign-in attempts against the throttle. Each attempt reserves
 * its place before its password is checked, so a burst of attempts sent at
 * once is held to the same bound as the same attempts sent one by one. On
 * PGlite requests are served one at a time anyway; the case that matters is
 * PostgreSQL, where they run side by side on a pool of connections.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import {
  clearSignInAttempts,
  recordSignInFailure,
  reserveSignInAttempt,
} from '../../src/access/sign-in-throttle.ts'
import { messages } from '../../src/web/messages.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, csrfTokenIn, startTestApp, type TestApp } from '../support/web.ts'

const BURST = 40
const PER_USER = 5
const PER_ADDRESS = 8

interface FilledForm {
  readonly address: string
  readonly cookie: string
  readonly payload: string
}

describe('simultaneous sign-in attempts', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock(new Date('2026-03-02T09:00:00Z'))
    web = await startTestApp(database, {
      sessionClock: clock,
      env: {
        SIGN_IN_MAX_FAILURES: String(PER_USER),
        SIGN_IN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
      },
    })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
  })

  /** Loads the form as a browser would, ready to be posted later. */
  async function fillIn(address: string, userId: string, password: string): Promise<FilledForm> {
    const form = await web.app.inject({ url: paths.signIn(), remoteAddress: address })
    const cookie = form.cookies.find((c: { name: string }) => c.name === 'ipic-session') as { value: string }
    const payload = new URLSearchParams({ _csrf: csrfTokenIn(form.body), userId, password }).toString()
    return { address, cookie: cookie.value, payload }
  }

  /** Posts every form at once, without waiting for any answer before sending the next. */
  function postAll(forms: readonly FilledForm[]): Promise<LightMyRequestResponse[]> {
    return Promise.all(
      forms.map((form) =>
        web.app.inject({
          method: 'POST',
          url: paths.signIn(),
          remoteAddress: form.address,
          cookies: { 'ipic-session': form.cookie },
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: form.payload,
        }),
      ),
    )
  }

  /** How many answers said "wrong password" (the password was checked) and how many refused to check it. */
  function tally(responses: readonly LightMyRequestResponse[]): { checked: number; refused: number } {
    const checked = responses.filter(
      (response) => response.statusCode === 400 && response.body.includes(messages.signIn.incorrect),
    )
    const refused = responses.filter((response) => response.statusCode === 429)
    assert.equal(checked.length + refused.length, responses.length, 'every answer is one or the other')
    for (const response of refused) assert.match(response.body, /too many failed attempts to sign in/)
    return { checked: checked.length, refused: refused.length }
  }

  /** The password checks that failed, as the service logged them. */
  function passwordChecksLogged(): number {
    return web.logs.lines.filter((line) => line.msg === 'sign-in refused').length
  }

  it(`checks at most ${PER_USER} of ${BURST} simultaneous wrong passwords for one user ID`, async () => {
    const forms: FilledForm[] = []
    // Each from its own address, so that only the per-ID bound applies.
    for (let i = 0; i < BURST; i += 1)
      forms.push(await fillIn(`192.0.2.${i + 1}`, 'jo.caseworker', `guess-${i}`))
    const logged = passwordChecksLogged()

    const { checked, refused } = tally(await postAll(forms))

    assert.equal(checked, PER_USER)
    assert.equal(refused, BURST - PER_USER)
    assert.equal(passwordChecksLogged() - logged, PER_USER)
  })

  it(`checks at most ${PER_ADDRESS} of ${BURST} simultaneous wrong passwords from one address`, async () => {
    const forms: FilledForm[] = []
    // A different ID each time, so that only the per-address bound applies.
    for (let i = 0; i < BURST; i += 1)
      forms.push(await fillIn('198.51.100.7', `guess.${i}`, 'not-the-password'))
    const logged = passwordChecksLogged()

    const { checked, refused } = tally(await postAll(forms))

    assert.equal(checked, PER_ADDRESS)
    assert.equal(refused, BURST - PER_ADDRESS)
    assert.equal(passwordChecksLogged() - logged, PER_ADDRESS)
  })

  it('still counts a wrong password whose check ends after a right one for the same ID', async () => {
    const limits = web.config.signInThrottle
    const now = clock.now()
    const guess = await reserveSignInAttempt(
      database.db,
      { userId: 'jo.caseworker', address: '192.0.2.66' },
      limits,
      now,
    )
    const real = await reserveSignInAttempt(
      database.db,
      { userId: 'jo.caseworker', address: '127.0.0.1' },
      limits,
      now,
    )
    assert.ok(guess.reserved && real.reserved)
    assert.equal(await attemptCount(), 2, 'both reserved before either is checked')

    await clearSignInAttempts(database.db, real)
    await recordSignInFailure(database.db, guess, limits, now)

    const rows = await database.db
      .selectFrom('sign_in_attempts')
      .select(['user_id', 'address', 'outcome'])
      .execute()
    assert.deepEqual(rows, [{ user_id: 'jo.caseworker', address: '192.0.2.66', outcome: 'FAILED' }])
  })

  async function attemptCount(): Promise<number> {
    return (await database.db.selectFrom('sign_in_attempts').select('id').execute()).length
  }
})
