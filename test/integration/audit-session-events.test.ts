/**
 * Sessions that end by timing out are in the audit trail, with why, once
 * the service notices (the first request the ended session makes): after
 * the idle timeout and after the absolute one. A session clock the test
 * moves by hand makes the times exact.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, startTestApp, type TestApp, WebClient } from '../support/web.ts'

const MINUTE = 60_000

describe('audit of session timeouts', () => {
  let database: TestDatabase
  let web: TestApp
  let clock: ManualClock

  before(async () => {
    database = await openTestDatabase()
    clock = manualClock(new Date('2026-03-02T09:00:00Z'))
    web = await startTestApp(database, { sessionClock: clock })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    clock.set(new Date('2026-03-02T09:00:00Z'))
    await addTestUser(database, { id: 'jo', name: 'Jo Caseworker' })
  })

  async function signedIn(): Promise<WebClient> {
    const client = new WebClient(web.app)
    assert.equal((await client.signIn('jo')).statusCode, 303)
    return client
  }

  const timeouts = () =>
    database.db
      .selectFrom('audit_events')
      .select(['user_id', 'at', 'details'])
      .where('kind', '=', 'timed-out')
      .execute()

  it('records an idle timeout when the ended session next asks for a page', async () => {
    const client = await signedIn()
    clock.advance(31 * MINUTE)
    assert.equal((await client.get(paths.rules())).statusCode, 303)
    const [event, ...more] = await timeouts()
    assert.equal(more.length, 0)
    assert.equal(event?.user_id, 'jo')
    assert.deepEqual(event?.details, { reason: 'idle' })
    assert.equal(new Date(event?.at ?? 0).toISOString(), '2026-03-02T09:31:00.000Z')
  })

  it('records the absolute timeout of a session kept busy for longer than a session may last', async () => {
    const client = await signedIn()
    for (let minutes = 0; minutes < 10 * 60; minutes += 20) {
      clock.advance(20 * MINUTE)
      await client.get(paths.rules())
    }
    const events = await timeouts()
    assert.deepEqual(
      events.map((event) => [event.user_id, event.details]),
      [['jo', { reason: 'absolute' }]],
    )
  })
})
