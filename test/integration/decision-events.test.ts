/**
 * Decision events (docs/decisions/0022-decision-events.md): every status
 * change is in the feed, each task's in the order of its versions, scoped
 * by region, a contest's events among them; and the pull feed's cursor
 * refuses tampering. On PGlite and PostgreSQL alike (subscribers:
 * decision-event-subscribers.test.ts).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { eventCursors } from '../../src/events/cursor.ts'
import { FEED_START, type FeedPosition } from '../../src/events/event-types.ts'
import { readFeed } from '../../src/events/feed.ts'
import { sequenceEvents } from '../../src/events/sequencer.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  contestTask,
  decideEveryOpenTask,
  NATIONAL_CASEWORKER,
  REVIEWER,
  seedRecommendations,
  sequenceAll,
} from '../support/decision-events.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'

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
