/**
 * The absolute session lifetime, with a session clock the tests move by hand
 * so the boundaries are exact. (The waits between sign-in attempts:
 * sign-in-throttle.test.ts.)
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import { addTestUser, startTestApp, type TestApp, WebClient } from '../support/web.ts'

const MINUTE = 60_000

describe('sign-in hardening', () => {
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

  /** Whether the client's session is signed in: a page that needs it answers rather than redirecting. */
  async function isSignedIn(client: WebClient): Promise<boolean> {
    return (await client.get(paths.miReport())).statusCode === 200
  }

  describe('the absolute session lifetime', () => {
    it('ends a busy session 10 hours after sign-in and says so', async () => {
      const client = new WebClient(web.app)
      await client.signIn('jo.caseworker')
      // A request every 25 minutes keeps the 30-minute idle timeout at bay all day.
      for (let minutes = 25; minutes < 600; minutes += 25) {
        clock.advance(25 * MINUTE)
        assert.equal((await client.get(paths.home())).statusCode, 200)
        assert.match((await client.get(paths.home())).body, /Welcome, Jo Caseworker/)
      }
      clock.advance(600 * MINUTE - 1 - 575 * MINUTE)
      assert.equal(await isSignedIn(client), true, 'a moment before: still signed in')
      clock.advance(1)
      const ended = await client.get(paths.miReport())
      assert.equal(ended.statusCode, 303)
      assert.equal(ended.headers.location, paths.timedOut('absolute', paths.miReport()))
      assert.ok(
        web.logs.lines.some((line) => String(line.msg).startsWith('session ended: signed in for longer')),
      )

      // Signing in again starts a new 10 hours.
      await client.signIn('jo.caseworker')
      for (let minutes = 25; minutes < 600; minutes += 25) {
        clock.advance(25 * MINUTE)
        assert.equal(await isSignedIn(client), true)
      }
    })

    it('still ends an idle session after 30 minutes', async () => {
      const client = new WebClient(web.app)
      await client.signIn('jo.caseworker')
      clock.advance(30 * MINUTE - 1)
      assert.equal(await isSignedIn(client), true)
      clock.advance(30 * MINUTE)
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
