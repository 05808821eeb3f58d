/**
 * Decision events (docs/decisions/0022-decision-events.md): every status
 * change is in the feed, each task's in the order of its versions, scoped
 * by region; the pull feed's cursor refuses tampering; subscribers' URLs
 * are checked; and a replay starts again from a point in time. On PGlite
 * and PostgreSQL alike.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { eventCursors } from '../../src/events/cursor.ts'
import { EVENT_TYPES, FEED_START, type FeedPosition } from '../../src/events/event-types.ts'
import { readFeed } from '../../src/events/feed.ts'
import { sequenceEvents } from '../../src/events/sequencer.ts'
import {
  addSubscriber,
  findSubscriber,
  lagOf,
  replaySubscriber,
  setSubscriberPaused,
} from '../../src/events/subscribers.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  contestTask,
  decideEveryOpenTask,
  NATIONAL_CASEWORKER,
  REVIEWER,
  SERVICE,
  seedRecommendations,
  sequenceAll,
} from '../support/decision-events.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'

const BY_COMMAND = { userId: null, through: 'command' as const, account: 'tester' }
const ALL = { all: true as const }

describe('the feed of decision events', () => {
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

  async function readAll(
    after: FeedPosition,
    regions: Parameters<typeof readFeed>[1]['regions'] = ALL,
    limit = 7,
  ) {
    const events = []
    let position = after
    for (;;) {
      const page = await readFeed(database.db, { after: position, limit, regions, types: null })
      events.push(...page.events)
      const moved = page.next.pass !== position.pass || page.next.eventId !== position.eventId
      position = page.next
      if (!moved) return { events, position }
    }
  }

  it('holds every status change once, each task in version order, read page by page', async () => {
    await seedRecommendations(database.db, clock, 12)
    clock.advance(60_000)
    const decisions = await decideEveryOpenTask(database.db, clock)
    await sequenceAll(database.db)
    const { events, position } = await readAll(FEED_START)
    const written = await database.db.selectFrom('task_events').select(['id']).orderBy('id').execute()
    assert.equal(written.length, 12 + decisions)
    assert.deepEqual(
      events.map((event) => event.eventId).sort((a, b) => a - b),
      written.map((row) => row.id),
    )
    const versions = new Map<number, number>()
    for (const event of events) {
      assert.ok(event.taskVersion > (versions.get(event.taskId) ?? 0), `task ${event.taskId} out of order`)
      versions.set(event.taskId, event.taskVersion)
    }
    assert.deepEqual(
      new Set(events.map((event) => event.type)),
      new Set(['task.recommended', 'task.accepted', 'task.rejected', 'task.held']),
    )
    const rejection = events.find((event) => event.type === 'task.rejected')
    assert.deepEqual(rejection?.reasons, ['MEDICAL'])
    assert.equal(rejection?.madeBy.kind, 'user')
    assert.equal(events[0]?.madeBy.kind, 'rule-run')

    // Nothing new: the next read from the end is empty, and a second pass finds nothing.
    assert.equal((await sequenceEvents(database.db)).kind, 'nothing-new')
    assert.deepEqual((await readAll(position)).events, [])
  })

  it("holds a contest recorded and decided, after the task's decision, and filters by its types", async () => {
    await seedRecommendations(database.db, clock, 6)
    clock.advance(60_000)
    await decideEveryOpenTask(database.db, clock)
    const decided = await database.db
      .selectFrom('tasks')
      .select(['id', 'status', 'version'])
      .where('status', 'in', ['ACCEPTED', 'REJECTED'])
      .orderBy('id')
      .execute()
    const [upheld, changed, open] = decided
    assert.ok(upheld && changed && open)
    clock.advance(60_000)
    const upheldContest = await contestTask(database.db, clock, upheld.id, 'UPHELD')
    await contestTask(database.db, clock, changed.id, 'CHANGED')
    await contestTask(database.db, clock, open.id)
    await sequenceAll(database.db)
    const { events } = await readAll(FEED_START)

    const ofUpheld = events.filter((event) => event.taskId === upheld.id)
    assert.deepEqual(
      ofUpheld.map((event) => event.type),
      [
        'task.recommended',
        upheld.status === 'ACCEPTED' ? 'task.accepted' : 'task.rejected',
        'task.contested',
        'task.contest-decided',
      ],
    )
    const [, decision, contested, outcome] = ofUpheld
    assert.equal(contested?.taskVersion, decision?.taskVersion, 'a contest keeps the version it contests')
    assert.equal(contested?.status, upheld.status)
    assert.deepEqual(contested?.madeBy, { kind: 'user', userId: NATIONAL_CASEWORKER.id })
    assert.equal(contested?.details, 'The family circumstances have changed.')
    assert.deepEqual(contested?.contest, {
      id: upheldContest,
      receivedOn: clock.today(),
      channel: 'LETTER',
      from: 'REPRESENTATIVE',
      outcome: null,
    })
    assert.equal(outcome?.contest?.outcome, 'UPHELD')
    assert.equal(outcome?.details, 'The decision stands.')
    assert.deepEqual(outcome?.madeBy, { kind: 'user', userId: REVIEWER.id })
    assert.equal(decision?.contest, null)

    // A changed decision is its own status change, then the contest's outcome.
    assert.deepEqual(
      events
        .filter((event) => event.taskId === changed.id)
        .slice(2)
        .map((event) => [event.type, event.taskVersion]),
      [
        ['task.contested', changed.version],
        [changed.status === 'ACCEPTED' ? 'task.rejected' : 'task.accepted', changed.version + 1],
        ['task.contest-decided', changed.version + 1],
      ],
    )
    const ofOpen = events.filter((event) => event.taskId === open.id)
    assert.equal(ofOpen.at(-1)?.type, 'task.contested', 'an open contest: recorded, not yet decided')
    assert.equal(ofOpen.at(-2)?.status, open.status)

    const contestsOnly = await readFeed(database.db, {
      after: FEED_START,
      limit: 100,
      regions: ALL,
      types: ['task.contested'],
    })
    assert.deepEqual(
      contestsOnly.events.map((event) => event.taskId).sort((a, b) => a - b),
      [upheld.id, changed.id, open.id].sort((a, b) => a - b),
    )
    const statusesOnly = await readFeed(database.db, {
      after: FEED_START,
      limit: 100,
      regions: ALL,
      types: ['task.accepted', 'task.rejected'],
    })
    assert.ok(statusesOnly.events.every((event) => event.contest === null))
    assert.equal((await sequenceEvents(database.db)).kind, 'nothing-new')
  })

  it("gives a region only its own tasks' events, and moves past the others", async () => {
    await seedRecommendations(database.db, clock, 6)
    await sequenceAll(database.db)
    const lse = await readAll(FEED_START, { all: false, codes: ['LSE'] }, 2)
    assert.equal(lse.events.length, 3)
    assert.ok(lse.events.every((event) => event.region === 'LSE'))
    const none = await readFeed(database.db, {
      after: FEED_START,
      limit: 10,
      regions: { all: false, codes: [] },
      types: null,
    })
    assert.deepEqual(none.events, [])
    assert.deepEqual(none.next, lse.position, 'an empty page still moves to the end of what was read')
  })

  it('waits for the sequencer: an event not yet sequenced is not in the feed', async () => {
    await seedRecommendations(database.db, clock, 2)
    assert.deepEqual(
      (await readFeed(database.db, { after: FEED_START, limit: 10, regions: ALL, types: null })).events,
      [],
    )
    await sequenceAll(database.db)
    assert.equal(
      (await readFeed(database.db, { after: FEED_START, limit: 10, regions: ALL, types: null })).events
        .length,
      2,
    )
  })

  it('gives out cursors that name their position, and refuses any changed by hand or signed with another key', () => {
    const cursors = eventCursors('a-secret-of-at-least-thirty-two-characters')
    const position = { pass: 12, eventId: 3456 }
    const cursor = cursors.issue(position)
    assert.deepEqual(cursors.read(cursor), position)
    const otherKey = eventCursors('another-secret-of-thirty-two-characters!').issue(position)
    for (const bad of [
      cursor.replace('3456', '3455'),
      cursor.replace('12.', '13.'),
      cursor.slice(0, -2),
      `${cursor}x`,
      otherKey,
      'abc',
      '',
      '../../etc',
      'x'.repeat(500),
    ]) {
      assert.equal(cursors.read(bad), undefined, bad)
    }
  })
})

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
