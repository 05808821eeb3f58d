import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { DatabaseSessionStore } from '../../src/access/session-store.ts'
import { addUser } from '../../src/access/users.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

interface TestSession {
  userId?: string
  review?: { region: string; search?: { taskTypes: string[]; from: string; to: string } }
  cookie: { originalMaxAge: number }
}

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start)
  return {
    now: () => now,
    advanceMinutes(minutes: number) {
      now = new Date(now.getTime() + minutes * 60_000)
    },
  }
}

describe('database session store', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())
  beforeEach(() => database.reset())

  it('keeps what a session holds and gives it back', async () => {
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30 })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1_800_000 } })
    assert.deepEqual(await store.load('abc'), { userId: 'jo', cookie: { originalMaxAge: 1_800_000 } })
    assert.equal(await store.load('unknown'), undefined)
  })

  it('replaces a session saved again', async () => {
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30 })
    await store.save('abc', { cookie: { originalMaxAge: 1 } })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    assert.equal((await store.load('abc'))?.userId, 'jo')
    assert.equal((await database.db.selectFrom('sessions').selectAll().execute()).length, 1)
  })

  it('forgets a session idle for longer than the timeout', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(29)
    assert.equal((await store.load('abc'))?.userId, 'jo', 'still there just before the timeout')
    clock.advanceMinutes(2)
    assert.equal(await store.load('abc'), undefined, 'gone just after it')
  })

  it('counts the idle time from the last save, not the first', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(20)
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(20)
    assert.equal((await store.load('abc'))?.userId, 'jo')
  })

  it('skips a save that only pushes the expiry on by less than a minute, and writes any other', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    const expiry = async () =>
      (await database.db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    const first = await expiry()

    clock.advanceMinutes(0.5)
    // The cookie moves on with every request; that alone is no reason to write.
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 2 } })
    assert.deepEqual(await expiry(), first, 'half a minute on, nothing but the expiry changed: not written')

    await store.save('abc', { userId: 'sam', cookie: { originalMaxAge: 2 } })
    assert.equal((await store.load('abc'))?.userId, 'sam', 'a change is written at once')
    const second = await expiry()
    assert.notDeepEqual(second, first)

    clock.advanceMinutes(1)
    await store.save('abc', { userId: 'sam', cookie: { originalMaxAge: 2 } })
    assert.notDeepEqual(await expiry(), second, 'a minute on, the expiry is pushed on')

    await store.remove('abc')
    await store.save('abc', { userId: 'sam', cookie: { originalMaxAge: 2 } })
    assert.equal((await store.load('abc'))?.userId, 'sam', 'a session saved again after removal is written')
  })

  it('does not write a session read back unchanged, whatever order its keys come back in', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    const writes = async () =>
      (await database.db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at
    const search = () => ({ taskTypes: ['EM_REVIEW'], from: '2018-07-25', to: '2018-08-01' })
    await store.save('abc', {
      cookie: { originalMaxAge: 1 },
      userId: 'jo',
      review: { region: 'LSE', search: search() },
    })
    const first = await writes()
    clock.advanceMinutes(0.5)
    const loaded = await store.load('abc')
    assert.ok(loaded)
    // jsonb gives the keys back in an order of its own; a page stores the same search afresh.
    assert.notEqual(Object.keys(loaded).join(), 'cookie,userId,review')
    await store.save('abc', { ...loaded, review: { region: 'LSE', search: search() } })
    assert.deepEqual(await writes(), first, 'the same content in another key order is not written again')
  })

  it('compares a save with what is stored, even when another instance of the service wrote it', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const here = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    const there = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    await here.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    await there.load('abc')
    await there.save('abc', { userId: 'sam', cookie: { originalMaxAge: 1 } })
    assert.equal((await here.load('abc'))?.userId, 'sam')
    // What `here` last wrote is jo again, but what is stored is sam: it must be written.
    await here.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    assert.equal((await there.load('abc'))?.userId, 'jo')
  })

  it('reads the account a session is signed in as with the session, for its request to take once', async () => {
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30 })
    await addUser(database.db, {
      id: 'jo',
      name: 'Jo Bloggs',
      roles: ['CASEWORKER'],
      regions: ['LSE'],
      password: null,
    })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    assert.equal(store.takeLoadedUser('abc'), undefined, 'nothing loaded yet')
    await store.load('abc')
    const user = store.takeLoadedUser('abc')
    assert.deepEqual(user && { id: user.id, name: user.name, roles: user.roles, regions: user.regions }, {
      id: 'jo',
      name: 'Jo Bloggs',
      roles: ['CASEWORKER'],
      regions: { all: false, codes: ['LSE'] },
    })
    assert.equal(store.takeLoadedUser('abc'), undefined, 'taken once')

    await database.db.updateTable('users').set({ active: false }).where('id', '=', 'jo').execute()
    await store.load('abc')
    assert.equal(store.takeLoadedUser('abc'), null, 'an inactive account is no account')
    await store.save('def', { cookie: { originalMaxAge: 1 } })
    await store.load('def')
    assert.equal(store.takeLoadedUser('def'), null, 'a session that names nobody')
  })

  it('deletes expired sessions and only those', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    await store.save('old', { cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(25)
    await store.save('recent', { cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(10)
    assert.equal(await store.pruneExpired(), 1)
    const left = await database.db.selectFrom('sessions').select('id').execute()
    assert.deepEqual(
      left.map((row) => row.id),
      ['recent'],
    )
  })

  it('tells a signed-in session that timed out from one that never was, once', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession & { signedInAt?: number }>(database.db, {
      idleMinutes: 30,
      now: clock.now,
    })
    const signedInAt = clock.now().getTime()
    await store.save('signed-in', { userId: 'jo', signedInAt, cookie: { originalMaxAge: 1 } })
    await store.save('visitor', { cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(31)
    assert.equal(await store.load('signed-in'), undefined, 'never handed back')
    assert.deepEqual(store.takeTimedOut('signed-in'), {
      userId: 'jo',
      signedInAt,
      expiresAt: signedInAt + 30 * 60_000,
    })
    assert.equal(store.takeTimedOut('signed-in'), undefined, 'taken once')
    assert.equal(await store.load('visitor'), undefined)
    assert.equal(store.takeTimedOut('visitor'), undefined, 'nobody was signed in')
  })

  it('peeks at a session, expired or not, without keeping it alive', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30, now: clock.now })
    await addUser(database.db, {
      id: 'jo',
      name: 'Jo',
      roles: ['CASEWORKER'],
      regions: ['LSE'],
      password: null,
    })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    const expiresAt = clock.now().getTime() + 30 * 60_000
    clock.advanceMinutes(40)
    assert.deepEqual(await store.peek('abc'), {
      userId: 'jo',
      signedInAt: undefined,
      expiresAt,
      userActive: true,
    })
    assert.equal(store.takeTimedOut('abc'), undefined, 'a peek remembers nothing')
    assert.equal(await store.peek('unknown'), undefined)
  })

  it('keeps a timed-out sign-in, as whose it was and nothing else, until it is to be forgotten', async () => {
    const clock = manualClock('2018-07-25T09:00:00Z')
    const store = new DatabaseSessionStore<TestSession & { signedInAt?: number; idToken?: string }>(
      database.db,
      { idleMinutes: 30, now: clock.now, rememberTimedOutMs: 10 * 60 * 60_000 },
    )
    await store.save('signed-in', {
      userId: 'jo',
      signedInAt: 1,
      idToken: 'a-token',
      review: { region: 'LSE' },
      cookie: { originalMaxAge: 1 },
    })
    await store.save('visitor', { cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(20)
    await store.save('live', { userId: 'al', cookie: { originalMaxAge: 1 } })
    clock.advanceMinutes(11)
    assert.equal(await store.pruneExpired(), 1, 'the visitor')
    const rows = await database.db.selectFrom('sessions').select(['id', 'data']).orderBy('id').execute()
    assert.deepEqual(rows, [
      { id: 'live', data: { userId: 'al', cookie: { originalMaxAge: 1 } } },
      { id: 'signed-in', data: { userId: 'jo', signedInAt: 1 } },
    ])
    assert.equal(await store.load('signed-in'), undefined)
    assert.equal(store.takeTimedOut('signed-in')?.userId, 'jo', 'still known to have timed out')
    clock.advanceMinutes(10 * 60)
    assert.equal(await store.pruneExpired(), 1, 'forgotten 10 hours after it timed out')
    assert.deepEqual(
      (await database.db.selectFrom('sessions').select('id').execute()).map((row) => row.id),
      ['live'],
    )
  })

  it('destroys a session', async () => {
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30 })
    await store.save('abc', { userId: 'jo', cookie: { originalMaxAge: 1 } })
    await store.remove('abc')
    assert.equal(await store.load('abc'), undefined)
  })

  it('answers through callbacks, as the session middleware expects, errors included', async () => {
    const store = new DatabaseSessionStore<TestSession>(database.db, { idleMinutes: 30 })
    await new Promise<void>((resolve, reject) =>
      store.set('cb', { userId: 'jo', cookie: { originalMaxAge: 1 } }, (error) =>
        error ? reject(error) : resolve(),
      ),
    )
    const found = await new Promise<TestSession | null | undefined>((resolve, reject) =>
      store.get('cb', (error, session) => (error ? reject(error) : resolve(session))),
    )
    assert.equal(found?.userId, 'jo')
    await new Promise<void>((resolve, reject) =>
      store.destroy('cb', (error) => (error ? reject(error) : resolve())),
    )
    const gone = await new Promise<TestSession | null | undefined>((resolve, reject) =>
      store.get('cb', (error, session) => (error ? reject(error) : resolve(session))),
    )
    assert.equal(gone, null)

    const broken = await openTestDatabase()
    await broken.close()
    const failing = new DatabaseSessionStore<TestSession>(broken.db, { idleMinutes: 30 })
    const error = await new Promise((resolve) => failing.get('x', (failure) => resolve(failure)))
    assert.ok(error instanceof Error)
  })
})
