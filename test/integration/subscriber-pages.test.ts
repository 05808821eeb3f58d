/**
 * The Event subscribers pages over HTTP, for an administrator: adding a
 * subscriber (a URL that is not http(s), or that is the service itself, is
 * refused with the reason, and nothing is added), its secret shown once;
 * each subscriber's deliveries, failures and lag; pausing and resuming;
 * replaying from a point in time (with its date and time checked);
 * removing one after a confirmation; and why deliveries to a name that
 * now resolves to the service itself are refused. Every change is audited; a form
 * without its CSRF token, or from a caseworker, changes nothing.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DeliveryFailure, deliverPending } from '../../src/events/delivery.ts'
import { serviceAddressOf } from '../../src/events/service.ts'
import { addSubscriber } from '../../src/events/subscribers.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { decideEveryOpenTask, seedRecommendations, sequenceAll } from '../support/decision-events.ts'
import { manualClock } from '../support/tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  titleOf,
  type WebClient,
} from '../support/web.ts'

describe('the Event subscribers pages', () => {
  let database: TestDatabase
  let web: TestApp
  let admin: WebClient
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
    await addTestUser(database, { id: 'admin', name: 'Ada Min', roles: ['ADMIN'], regions: 'all' })
    await addTestUser(database, { id: 'cw', name: 'Casey Worker', roles: ['CASEWORKER'], regions: ['LSE'] })
    admin = await signedInClient(web.app, 'admin')
  })
  after(async () => {
    await web.close()
    await database.close()
  })

  const subscriberCount = async () =>
    (
      await database.db
        .withTables<{ event_subscribers: { id: number } }>()
        .selectFrom('event_subscribers')
        .select('id')
        .execute()
    ).length

  it('shows an administrator that there are none yet, and refuses a caseworker', async () => {
    const page = await admin.get(paths.subscribers())
    assert.equal(page.statusCode, 200)
    assert.equal(titleOf(page.body), 'Event subscribers – Identify and prioritise immigration cases – GOV.UK')
    assert.match(textOf(page.body), /No systems receive decision events yet\./)
    const caseworker = await signedInClient(web.app, 'cw')
    assert.equal((await caseworker.get(paths.subscribers())).statusCode, 403)
    assert.equal((await caseworker.get(paths.subscriberNew())).statusCode, 403)
  })

  it('refuses a URL that is not http(s), or that is this service, saying why, and adds nothing', async () => {
    const cases: [string, string][] = [
      ['', 'Enter the URL the events are sent to'],
      ['cms.example.org', 'Enter a URL in the right format, like https://cms.example.org/ipic-events'],
      ['ftp://cms.example.org/in', 'The URL must start with https:// or http:// (not ftp:)'],
      [
        `http://localhost:${web.config.port}/api/v1/events`,
        'The URL must not point at this service itself: enter the address of the system that receives the events',
      ],
    ]
    for (const [url, message] of cases) {
      const refused = await admin.submit(paths.subscriberNew(), paths.subscriberNew(), { url })
      assert.equal(refused.statusCode, 400, url)
      assert.deepEqual(errorSummaryOf(refused.body), [[message, '#url']])
      assert.match(titleOf(refused.body), /^Error: Add an event subscriber/)
    }
    const withoutToken = await admin.post(paths.subscriberNew(), { url: 'https://cms.example.org/in' })
    assert.equal(withoutToken.statusCode, 403)
    assert.equal(await subscriberCount(), 0)
  })

  it('adds one, shows its secret once, and lists its deliveries, lag, pause and replay', async () => {
    const added = await admin.submit(paths.subscriberNew(), paths.subscriberNew(), {
      url: 'https://cms.example.org/ipic-events',
      name: 'Case management',
    })
    assert.equal(added.statusCode, 200)
    assert.match(textOf(added.body), /Event subscriber added/)
    const secret = /id="signing-secret"[^>]*>(whsec_[^<]+)</.exec(added.body)?.[1]
    assert.ok(secret, 'the signing secret is shown')
    const list = await admin.get(paths.subscribers())
    assert.doesNotMatch(list.body, /whsec_/, 'and never again')
    assert.match(
      textOf(list.body),
      /Case management.*Active.*https:\/\/cms\.example\.org\/ipic-events.*Every event.*None yet.*None: up to date.*None/s,
    )

    // Events come in: recommendations at 08:00, decisions at 08:45 (the app's clock says 09:00).
    const clock = manualClock(new Date('2018-07-25T08:00:00Z'))
    await seedRecommendations(database.db, clock, 4)
    clock.advance(45 * 60_000)
    const decisions = await decideEveryOpenTask(database.db, clock)
    await sequenceAll(database.db)
    const behind = textOf((await admin.get(paths.subscribers())).body)
    assert.match(behind, new RegExp(`Waiting ${4 + decisions} events, the oldest from 60 minutes ago`))

    const id = /id="subscriber-(\d+)"/.exec(list.body)?.[1] ?? ''
    const paused = await admin.post(paths.subscriberPause(id), { _csrf: csrfTokenIn(list.body) })
    assert.equal(paused.statusCode, 303)
    assert.match(textOf((await admin.get(paths.subscribers())).body), /Paused/)
    const page = await admin.get(paths.subscribers())
    await admin.post(paths.subscriberResume(id), { _csrf: csrfTokenIn(page.body) })
    assert.match(textOf((await admin.get(paths.subscribers())).body), /Active/)

    // Replay: the date and time are checked, then deliveries start from the decisions.
    const replay = paths.subscriberReplay(id)
    const attempts: [Record<string, string>, [string, string][]][] = [
      [{}, [['Enter the date to replay from', '#from-day']]],
      [
        { 'from-day': '31', 'from-month': '2', 'from-year': '2018' },
        [['The date to replay from must be a real date, like 27 3 2026', '#from-day']],
      ],
      [
        { 'from-day': '25', 'from-month': '7', 'from-year': '2018', time: '25:00' },
        [['Enter the time as hours and minutes on the 24-hour clock, like 09:30 or 17:05', '#time']],
      ],
      [
        { 'from-day': '26', 'from-month': '7', 'from-year': '2018' },
        [['The date and time to replay from must be in the past', '#from-day']],
      ],
    ]
    for (const [fields, summary] of attempts) {
      const refused = await admin.submit(replay, replay, fields)
      assert.equal(refused.statusCode, 400, JSON.stringify(fields))
      assert.deepEqual(errorSummaryOf(refused.body), summary)
    }
    // 09:30 in London in July is 08:30 UTC: after the recommendations, before the decisions.
    const replayed = await admin.submit(replay, replay, {
      'from-day': '25',
      'from-month': '7',
      'from-year': '2018',
      time: '09:30',
    })
    assert.equal(replayed.statusCode, 303)
    assert.match(
      textOf((await admin.get(paths.subscribers())).body),
      new RegExp(`Waiting ${decisions} events, the oldest from 15 minutes ago`),
    )

    const confirm = await admin.get(paths.subscriberRemove(id))
    assert.match(titleOf(confirm.body), /^Are you sure you want to remove Case management\?/)
    const removed = await admin.post(paths.subscriberRemove(id), { _csrf: csrfTokenIn(confirm.body) })
    assert.equal(removed.statusCode, 303)
    assert.equal(await subscriberCount(), 0)
    assert.equal((await admin.get(paths.subscriberReplay(id))).statusCode, 404)

    const audited = await database.db
      .selectFrom('audit_events')
      .select(['kind', 'user_id'])
      .where('kind', 'like', 'subscriber-%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      audited.map((event) => event.kind),
      [
        'subscriber-added',
        'subscriber-changed',
        'subscriber-changed',
        'subscriber-replayed',
        'subscriber-removed',
      ],
    )
    assert.ok(audited.every((event) => event.user_id === 'admin'))
  })

  it('shows why nothing is delivered to a name that has come to resolve to the service itself', async () => {
    const service = serviceAddressOf(web.config)
    const added = await addSubscriber(
      database.db,
      { url: `http://cms.internal:${web.config.port}/in`, name: 'Rebound' },
      { ...service, lookup: async () => ['203.0.113.7'] },
      { by: { userId: null, through: 'command', account: 'tester' }, at: new Date() },
    )
    assert.equal(added.kind, 'added')
    if (added.kind !== 'added') return
    await assert.rejects(
      deliverPending(database.db, added.subscriber.id, { ...service, lookup: async () => ['127.0.0.1'] }),
      DeliveryFailure,
    )
    assert.match(
      textOf((await admin.get(paths.subscribers())).body),
      /Rebound.*1 failed attempt in a row, the last at .+: not sent: cms\.internal now resolves to 127\.0\.0\.1, this service itself/s,
    )
  })
})
