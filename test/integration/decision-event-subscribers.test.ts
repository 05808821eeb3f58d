/**
 * Event subscribers (docs/decisions/0022-decision-events.md): adding one,
 * with its URL checked (not http(s), or the service itself, literally or
 * by what its host name resolves to, when added and again when delivered),
 * and replaying from a point in time. On PGlite and PostgreSQL alike.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { DeliveryFailure, deliverPending } from '../../src/events/delivery.ts'
import { EVENT_TYPES, FEED_START } from '../../src/events/event-types.ts'
import { readFeed } from '../../src/events/feed.ts'
import { type HostLookup, serviceAddressOfName } from '../../src/events/subscriber-url.ts'
import {
  addSubscriber,
  findSubscriber,
  lagOf,
  replaySubscriber,
  setSubscriberPaused,
} from '../../src/events/subscribers.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { decideEveryOpenTask, SERVICE, seedRecommendations, sequenceAll } from '../support/decision-events.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'

const BY_COMMAND = { userId: null, through: 'command' as const, account: 'tester' }
const ALL = { all: true as const }

describe('subscribers', () => {
  let database: TestDatabase
  let clock: ManualClock
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
  })
  after(() => database.close())

  const add = (url: string, extra: { name?: string; eventTypes?: string[] } = {}) =>
    addSubscriber(database.db, { url, ...extra }, SERVICE, { by: BY_COMMAND, at: clock.now() })
  const subscriberProblemsOf = async (adding: ReturnType<typeof add>) => {
    const result = await adding
    return result.kind === 'invalid' ? result.problems : []
  }

  it('adds one with a Standard Webhooks secret, starting after the events already there, audited', async () => {
    await seedRecommendations(database.db, clock, 2)
    await sequenceAll(database.db)
    const result = await add('https://cms.example.org/hooks', { eventTypes: ['task.accepted'] })
    assert.equal(result.kind, 'added')
    if (result.kind !== 'added') return
    assert.match(result.secret, /^whsec_[A-Za-z0-9+/]{32}$/)
    assert.equal(result.subscriber.name, 'cms.example.org')
    assert.deepEqual(result.subscriber.eventTypes, ['task.accepted'])
    assert.deepEqual(await lagOf(database.db, result.subscriber), { count: 0, oldest: null })
    const audit = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('kind', '=', 'subscriber-added')
      .execute()
    assert.equal(audit.length, 1)
    assert.equal(JSON.stringify(audit[0]?.details).includes('whsec_'), false, 'the secret is never audited')
  })

  it('refuses a URL that is not http(s), or that points at the service itself, and writes nothing', async () => {
    const cases: [string, string][] = [
      ['', 'required'],
      ['not a url', 'invalid'],
      ['ftp://cms.example.org/hooks', 'notHttp'],
      ['file:///etc/passwd', 'notHttp'],
      ['javascript:alert(1)', 'notHttp'],
      ['https://user:secret@cms.example.org/', 'credentials'],
      ['http://localhost:3000/hooks', 'pointsAtService'],
      ['http://127.0.0.1:3000/', 'pointsAtService'],
      ['http://127.9.9.9:3000/', 'pointsAtService'],
      ['http://[::1]:3000/', 'pointsAtService'],
      ['http://0.0.0.0:3000/', 'pointsAtService'],
      ['http://IPIC-TEST-HOST:3000/', 'pointsAtService'],
      ['https://ipic.example.gov.uk/api/v1/events', 'pointsAtService'],
      [`https://cms.example.org/${'a'.repeat(2001)}`, 'tooLong'],
    ]
    for (const [url, code] of cases) {
      const result = await add(url)
      assert.equal(result.kind, 'invalid', url)
      if (result.kind === 'invalid') assert.equal(result.problems[0]?.code, code, url)
    }
    const unknownType = await add('https://cms.example.org/', { eventTypes: ['task.exploded'] })
    assert.equal(unknownType.kind, 'invalid')
    assert.equal((await database.db.selectFrom('audit_events').selectAll().execute()).length, 0)
    // Another port on this machine is another service: a local receiver is allowed.
    assert.equal((await add('http://127.0.0.1:3001/hooks')).kind, 'added')
    assert.ok(EVENT_TYPES.length === 7)
  })

  it('refuses a host name that resolves to the service itself, looked up when it is added', async () => {
    // The system's resolver, without a network: localhost is this machine.
    assert.match((await serviceAddressOfName('http://localhost:3000/', SERVICE)) ?? '', /^(127\.|::1$)/)
    const resolvingTo =
      (...addresses: string[]): HostLookup =>
      async () =>
        addresses
    const cases: [HostLookup, string | undefined][] = [
      [resolvingTo('127.0.0.1'), '127.0.0.1'],
      [resolvingTo('203.0.113.7', '::ffff:127.0.0.1'), '::ffff:127.0.0.1'],
      [resolvingTo('0.0.0.0'), '0.0.0.0'],
      [resolvingTo('192.0.2.10'), '192.0.2.10'],
      [resolvingTo('203.0.113.7'), undefined],
    ]
    const service = { ...SERVICE, localHosts: [...SERVICE.localHosts, '192.0.2.10'] }
    for (const [lookup, address] of cases) {
      const result = await addSubscriber(
        database.db,
        { url: 'http://cms.internal:3000/hooks' },
        { ...service, lookup },
        { by: BY_COMMAND, at: clock.now() },
      )
      if (address === undefined) assert.equal(result.kind, 'added')
      else
        assert.deepEqual(result, {
          kind: 'invalid',
          problems: [{ field: 'url', code: 'resolvesToService', params: { host: 'cms.internal', address } }],
        })
    }
    // Another port is another service, and a name that does not resolve fails when delivered, saying why.
    const unasked: HostLookup = () => Promise.reject(new Error('not to be looked up'))
    for (const url of ['http://cms.internal:3001/hooks', 'http://203.0.113.9:3000/hooks']) {
      assert.equal((await add(url)).kind, 'added')
      const outcome = await addSubscriber(
        database.db,
        { url },
        { ...SERVICE, lookup: unasked },
        {
          by: BY_COMMAND,
          at: clock.now(),
        },
      )
      assert.equal(outcome.kind, 'added', url)
    }
    assert.equal(
      (await subscriberProblemsOf(add('http://cms.invalid:3000/hooks'))).length,
      0,
      'a name not found is not refused',
    )
  })

  it('delivers nothing to a name that has come to resolve to the service, and records why', async () => {
    const added = await addSubscriber(
      database.db,
      { url: 'http://cms.internal:3000/hooks' },
      { ...SERVICE, lookup: async () => ['203.0.113.7'] },
      { by: BY_COMMAND, at: clock.now() },
    )
    assert.equal(added.kind, 'added')
    if (added.kind !== 'added') return
    await seedRecommendations(database.db, clock, 2)
    await sequenceAll(database.db)
    const rebound = { ...SERVICE, lookup: async () => ['127.0.0.1'] }
    await assert.rejects(
      deliverPending(database.db, added.subscriber.id, rebound),
      (error: Error) =>
        error instanceof DeliveryFailure && /now resolves to 127\.0\.0\.1/.test(error.message),
    )
    const after = await findSubscriber(database.db, added.subscriber.id)
    assert.equal(after?.lastError, 'not sent: cms.internal now resolves to 127.0.0.1, this service itself')
    assert.equal(after?.failedAttempts, 1)
    assert.deepEqual(after?.delivered, added.subscriber.delivered, 'nothing counted as delivered')
    assert.equal((await lagOf(database.db, after!)).count, 2)
  })

  it('replays from a point in time: from the first event at or after it, and shows the lag', async () => {
    const result = await add('https://cms.example.org/hooks')
    assert.equal(result.kind, 'added')
    if (result.kind !== 'added') return
    const id = result.subscriber.id
    await seedRecommendations(database.db, clock, 4)
    const firstDecisions = new Date(clock.now().getTime() + 3_600_000)
    clock.advance(3_600_000)
    await decideEveryOpenTask(database.db, clock)
    await sequenceAll(database.db)
    const all = await readFeed(database.db, { after: FEED_START, limit: 100, regions: ALL, types: null })
    // Pretend everything was delivered, then replay from the hour of the decisions.
    await database.db
      .withTables<{ event_subscribers: { id: number; delivered_pass: number; delivered_event_id: number } }>()
      .updateTable('event_subscribers')
      .set({ delivered_pass: all.next.pass, delivered_event_id: all.next.eventId })
      .where('id', '=', id)
      .execute()
    assert.equal((await lagOf(database.db, (await findSubscriber(database.db, id))!)).count, 0)

    const replay = await replaySubscriber(database.db, id, firstDecisions, {
      by: BY_COMMAND,
      at: clock.now(),
    })
    assert.deepEqual(replay, { kind: 'replayed', pending: true })
    const subscriber = (await findSubscriber(database.db, id))!
    const again = await readFeed(database.db, {
      after: subscriber.delivered,
      limit: 100,
      regions: ALL,
      types: null,
    })
    const decisions = all.events.filter((event) => event.type !== 'task.recommended')
    assert.deepEqual(
      again.events.map((event) => event.eventId),
      decisions.map((event) => event.eventId),
    )
    const lag = await lagOf(database.db, subscriber)
    assert.equal(lag.count, decisions.length)
    assert.deepEqual(lag.oldest, firstDecisions)

    assert.deepEqual(
      await replaySubscriber(database.db, 999, firstDecisions, { by: BY_COMMAND, at: clock.now() }),
      { kind: 'not-found' },
    )
    assert.equal(
      await setSubscriberPaused(database.db, id, true, { by: BY_COMMAND, at: clock.now() }),
      'changed',
    )
    assert.equal(
      await setSubscriberPaused(database.db, id, true, { by: BY_COMMAND, at: clock.now() }),
      'unchanged',
    )
    const kinds = (await database.db.selectFrom('audit_events').select('kind').orderBy('id').execute()).map(
      (row) => row.kind,
    )
    assert.deepEqual(
      kinds.filter((kind) => kind.startsWith('subscriber')),
      ['subscriber-added', 'subscriber-replayed', 'subscriber-changed'],
    )
  })
})
