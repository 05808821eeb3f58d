/**
 * Signing in through the OpenID provider is in the audit trail: a sign-in
 * as `single-sign-on`, and a refused one with its reason and, where the
 * provider named someone, the ID it gave (the user, when it names one).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  answerFromProvider,
  type SingleSignOnSetup,
  startWithIdentityProvider,
  Visitor,
} from '../support/single-sign-on.ts'
import { addTestUser } from '../support/web.ts'

describe('audit of single sign-on', () => {
  let database: TestDatabase
  let setup: SingleSignOnSetup

  before(async () => {
    database = await openTestDatabase()
    setup = await startWithIdentityProvider(database)
  })
  after(async () => {
    await setup?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker', password: null })
  })

  const events = () =>
    database.db.selectFrom('audit_events').select(['kind', 'user_id', 'details']).orderBy('id').execute()

  it('records a sign-in through the provider, and refusals with their reasons', async () => {
    const visitor = new Visitor()
    const signedIn = await visitor.get(await answerFromProvider(visitor, setup.origin, 'jo.caseworker'))
    assert.equal(signedIn.status, 303)
    const stranger = new Visitor()
    await (
      await stranger.get(await answerFromProvider(stranger, setup.origin, 'someone.else'))
    ).body?.cancel()
    // A replayed answer: no sign-in was started in this browser.
    const replay = await new Visitor().get(
      await answerFromProvider(new Visitor(), setup.origin, 'jo.caseworker'),
    )
    await replay.body?.cancel()

    assert.deepEqual(await events(), [
      { kind: 'sign-in', user_id: 'jo.caseworker', details: { method: 'single-sign-on' } },
      {
        kind: 'sign-in-failed',
        user_id: null,
        details: { method: 'single-sign-on', reason: 'unknown-user', attemptedId: 'someone.else' },
      },
      {
        kind: 'sign-in-failed',
        user_id: null,
        details: { method: 'single-sign-on', reason: 'not-started', attemptedId: null },
      },
    ])
  })
})
