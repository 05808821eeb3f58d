/**
 * Answers from the provider that must not sign anyone in, each against the
 * real provider: a changed state, a code used twice or in another browser,
 * ID tokens with another nonce, for another client or expired (the provider
 * signs them with its own key, so only the client's checks can catch them),
 * and a sign-in left too long at the provider. Each gets a clear page, a
 * logged reason, and no session.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { PENDING_SIGN_IN_MINUTES } from '../../src/access/single-sign-on.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import type { IdTokenClaims } from '../support/identity-provider.ts'
import {
  answerFromProvider,
  type SingleSignOnSetup,
  startWithIdentityProvider,
  Visitor,
} from '../support/single-sign-on.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, textOf } from '../support/web.ts'

const NOT_COMPLETED = 'Your sign-in could not be completed'

describe('single sign-on refuses a tampered, replayed or stale answer', () => {
  let database: TestDatabase
  let setup: SingleSignOnSetup
  let origin: string
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
    clock = manualClock(new Date())
    setup = await startWithIdentityProvider(database, { sessionClock: clock })
    origin = setup.origin
  })
  after(async () => {
    await setup?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    clock.set(new Date())
    setup.web.logs.lines.length = 0
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker', password: null })
  })

  async function signedInUsers(): Promise<string[]> {
    const rows = await database.db.selectFrom('sessions').select('data').execute()
    return rows.flatMap((row) => (row.data as { userId?: string }).userId ?? [])
  }

  /** The reasons (and details) logged for each refusal so far. */
  function refusals(): Record<string, unknown>[] {
    return setup.web.logs.lines
      .filter((line) => line.msg === 'single sign-on refused')
      .map(({ level, reason, check }) => ({ level, reason, ...(check ? { check } : {}) }))
  }

  /** Visits `callback` and checks that it was refused with the "not completed" page, signing nobody in. */
  async function assertRefused(
    visitor: Visitor,
    callback: string,
    signedInBefore: string[] = [],
  ): Promise<void> {
    const page = await visitor.get(callback)
    assert.equal(page.status, 400)
    const text = textOf(await page.text())
    assert.match(text, new RegExp(NOT_COMPLETED))
    assert.match(text, /Try signing in again/)
    assert.deepEqual(await signedInUsers(), signedInBefore, 'nobody more is signed in')
  }

  it('refuses an answer whose state was changed', async () => {
    const visitor = new Visitor()
    const callback = new URL(await answerFromProvider(visitor, origin, 'jo.caseworker'))
    callback.searchParams.set('state', 'a-state-this-browser-was-never-given')
    await assertRefused(visitor, callback.href)
    const [refusal] = refusals()
    assert.equal(refusal?.reason, 'invalid-response')
    assert.match(String(refusal?.check), /state/)
    assert.equal(refusal?.level, 40, 'logged as a warning')
  })

  it('refuses the callback URL used a second time, after it signed the user in', async () => {
    const visitor = new Visitor()
    const callback = await answerFromProvider(visitor, origin, 'jo.caseworker')
    // Someone else with the URL (from a history or a log) but not the browser's session.
    const eavesdropper = new Visitor()
    assert.equal((await visitor.get(callback)).status, 303)
    assert.deepEqual(await signedInUsers(), ['jo.caseworker'])

    await assertRefused(eavesdropper, callback, ['jo.caseworker'])
    // Nor can the browser that used it.
    await assertRefused(visitor, callback, ['jo.caseworker'])
    assert.deepEqual(refusals(), [
      { level: 40, reason: 'not-started' },
      { level: 40, reason: 'not-started' },
    ])
  })

  it("refuses another browser's code, even with this browser's own state (PKCE)", async () => {
    const victim = new Visitor()
    const stolen = new URL(await answerFromProvider(victim, origin, 'jo.caseworker'))
    const attacker = new Visitor()
    const own = new URL(await answerFromProvider(attacker, origin, 'sam.attacker'))
    // The attacker's state, the victim's code: only the PKCE verifier ties a code to its browser.
    own.searchParams.set('code', stolen.searchParams.get('code') ?? '')
    await assertRefused(attacker, own.href)
    assert.deepEqual(refusals(), [
      { level: 40, reason: 'invalid-response', check: 'token endpoint: invalid_grant' },
    ])
  })

  const tokens: { what: string; change: (claims: IdTokenClaims) => IdTokenClaims; check: RegExp }[] = [
    {
      what: 'an ID token from another sign-in (wrong nonce)',
      change: (c) => ({ ...c, nonce: 'another' }),
      check: /nonce/,
    },
    {
      what: 'an ID token for another client (wrong audience)',
      change: (c) => ({ ...c, aud: 'another-client', azp: 'another-client' }),
      check: /aud/,
    },
    {
      what: 'an expired ID token',
      change: (c) => {
        const hourAgo = Math.floor(Date.now() / 1000) - 3600
        return { ...c, iat: hourAgo - 600, auth_time: hourAgo - 600, exp: hourAgo }
      },
      check: /timestamp|exp/,
    },
  ]
  for (const { what, change, check } of tokens) {
    it(`refuses ${what}, signed by the provider's own key`, async () => {
      const visitor = new Visitor()
      const callback = await answerFromProvider(visitor, origin, 'jo.caseworker')
      setup.provider.tamperWithNextIdToken(change)
      await assertRefused(visitor, callback)
      const [refusal] = refusals()
      assert.equal(refusal?.reason, 'invalid-response')
      assert.match(String(refusal?.check), check)
    })
  }

  it(`refuses a sign-in that spent more than ${PENDING_SIGN_IN_MINUTES} minutes at the provider`, async () => {
    const visitor = new Visitor()
    const callback = await answerFromProvider(visitor, origin, 'jo.caseworker')
    clock.advance((PENDING_SIGN_IN_MINUTES + 1) * 60_000)
    const page = await visitor.get(callback)
    assert.equal(page.status, 400)
    assert.match(textOf(await page.text()), /You must sign in with Test Identity within 15 minutes/)
    assert.deepEqual(refusals(), [{ level: 40, reason: 'expired' }])
    assert.deepEqual(await signedInUsers(), [])
  })

  it('refuses a callback nobody started, with any parameters at all', async () => {
    const visitor = new Visitor()
    for (const query of ['', '?code=x&state=y', `?error=${'<script>'.repeat(50)}`, '?code=a&code=b']) {
      await assertRefused(visitor, `${origin}${paths.signInCallback()}${query}`)
    }
    assert.equal(refusals().length, 4)
  })
})
