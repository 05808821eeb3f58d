/**
 * Decision events delivered as webhooks through the job queue, to a
 * receiver in this process that verifies every signature with the
 * `standardwebhooks` package: every event arrives, once after
 * de-duplicating by webhook-id, each task's in order; a receiver answering
 * 503 for a while, or refusing connections, gets everything once it is
 * back, the queue retrying with back-off meanwhile; one that never answers
 * holds up no other. On PGlite and PostgreSQL alike.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { jobHandlers } from '../../src/commands/job-handlers.ts'
import type { LiveRuntime } from '../../src/commands/rules-run.ts'
import { clockFor, loadConfig } from '../../src/config.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { startDispatching } from '../../src/events/dispatcher.ts'
import { findSubscriber, type Subscriber, setSubscriberPaused } from '../../src/events/subscribers.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { createLogger } from '../../src/logger.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import {
  contestTask,
  decideEveryOpenTask,
  everyEventArrives,
  seedRecommendations,
  subscribe,
} from '../support/decision-events.ts'
import { type ManualClock, manualClock } from '../support/tasks.ts'
import { until, WebhookReceiver } from '../support/webhook-receiver.ts'

const BY_COMMAND = { userId: null, through: 'command' as const, account: 'tester' }

describe('decision events as signed webhooks', { timeout: 180_000 }, () => {
  let database: TestDatabase
  let queue: JobQueue
  let receiver: WebhookReceiver
  let clock: ManualClock
  let subscriber: Subscriber
  before(async () => {
    database = await openTestDatabase()
    const config = loadConfig({ IPIC_RULES_DIR: RULES_DIR, IPIC_REFERENCE_DIR: REFERENCE_DIR })
    const runtime: LiveRuntime = {
      config,
      clock: clockFor(config),
      database,
      reference: await readReferenceData(REFERENCE_DIR),
      logger: createLogger('silent'),
    }
    queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
    await queue.work(jobHandlers(runtime, { eventDelivery: { timeoutMs: 5000, batchSize: 20 } }))
    startDispatching(database, queue, { intervalMs: 200 })
    receiver = await WebhookReceiver.start()
  })
  beforeEach(async () => {
    await database.reset()
    clock = manualClock()
    receiver.deliveries.length = 0
    receiver.answer = () => 204
    subscriber = await subscribe(database.db, receiver, clock.now())
  })
  after(async () => {
    await queue?.close()
    await receiver?.close()
    await database?.close()
  })

  const everythingArrives = () => everyEventArrives(database.db, receiver)

  it("delivers every recommendation and decision, signed, each task's in order", async () => {
    await seedRecommendations(database.db, clock, 24)
    clock.advance(60_000)
    await decideEveryOpenTask(database.db, clock)
    await everythingArrives()
    const message = receiver.accepted().values().next().value
    assert.equal(message?.type, 'task.recommended')
    assert.equal(message?.data.madeBy.kind, 'rule-run')
    const after = await findSubscriber(database.db, subscriber.id)
    assert.equal(after?.failedAttempts, 0)
    assert.ok((after?.deliveredCount ?? 0) >= 24)
  })

  it("delivers a contest recorded and decided once each, after the task's decision", async () => {
    await seedRecommendations(database.db, clock, 6)
    clock.advance(60_000)
    await decideEveryOpenTask(database.db, clock)
    const task = await database.db
      .selectFrom('tasks')
      .select(['id', 'status'])
      .where('status', '=', 'ACCEPTED')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    clock.advance(60_000)
    await contestTask(database.db, clock, task.id, 'UPHELD')
    await everythingArrives()
    const ofTask = [...receiver.accepted().values()].filter((message) => message.data.taskId === task.id)
    assert.deepEqual(ofTask.map((message) => message.type).slice(-3), [
      'task.accepted',
      'task.contested',
      'task.contest-decided',
    ])
    assert.equal(ofTask.at(-1)?.data.contest?.outcome, 'UPHELD')
  })

  it('keeps trying while the receiver answers 503, and delivers everything once it recovers', async () => {
    let down = true
    receiver.answer = () => (down ? 503 : 200)
    await seedRecommendations(database.db, clock, 10)
    clock.advance(60_000)
    await decideEveryOpenTask(database.db, clock)
    await until(
      async () => ((await findSubscriber(database.db, subscriber.id))?.failedAttempts ?? 0) >= 2,
      'two failed attempts',
    )
    const failing = await findSubscriber(database.db, subscriber.id)
    assert.match(failing?.lastError ?? '', /answered 503/)
    // Decisions go on while it is down.
    clock.advance(60_000)
    await seedRecommendations(database.db, clock, 4, 'F')
    down = false
    await everythingArrives()
    assert.ok(
      receiver.deliveries.some((delivery) => !delivery.accepted),
      'the receiver did refuse some',
    )
    await until(
      async () => (await findSubscriber(database.db, subscriber.id))?.failedAttempts === 0,
      'the failures to be cleared',
    )
  })

  it('keeps trying while the receiver refuses connections, and delivers everything once it listens again', async () => {
    await receiver.stop()
    await seedRecommendations(database.db, clock, 6)
    await until(
      async () => /ECONNREFUSED/.test((await findSubscriber(database.db, subscriber.id))?.lastError ?? ''),
      'a refused connection to be recorded',
    )
    await decideEveryOpenTask(database.db, clock)
    await receiver.listen()
    await everythingArrives()
  })

  it('delivers nothing while paused, and everything once resumed', async () => {
    await setSubscriberPaused(database.db, subscriber.id, true, { by: BY_COMMAND, at: clock.now() })
    await seedRecommendations(database.db, clock, 4)
    await new Promise((resolve) => setTimeout(resolve, 2000))
    assert.equal(receiver.deliveries.length, 0)
    await setSubscriberPaused(database.db, subscriber.id, false, { by: BY_COMMAND, at: clock.now() })
    await everythingArrives()
  })

  it('delivers to a subscriber while another never answers', async () => {
    const stuck = await WebhookReceiver.start()
    try {
      stuck.answer = () => 'hang'
      await setSubscriberPaused(database.db, subscriber.id, true, { by: BY_COMMAND, at: clock.now() })
      const stuckSubscriber = await subscribe(database.db, stuck, clock.now())
      await seedRecommendations(database.db, clock, 6)
      await until(() => stuck.deliveries.length > 0, 'the stuck subscriber to be posted to')
      // While the stuck one's attempt waits for answers, the other is resumed and gets everything:
      // its deliveries do not wait for the stuck one's to fail.
      await setSubscriberPaused(database.db, subscriber.id, false, { by: BY_COMMAND, at: clock.now() })
      await everythingArrives()
      assert.equal((await findSubscriber(database.db, stuckSubscriber.id))?.failedAttempts, 0)
      await until(
        async () => ((await findSubscriber(database.db, stuckSubscriber.id))?.failedAttempts ?? 0) >= 1,
        'the stuck subscriber’s failure to be recorded',
      )
      assert.match(
        (await findSubscriber(database.db, stuckSubscriber.id))?.lastError ?? '',
        /no answer within 5 seconds/,
      )
      assert.equal(stuck.accepted().size, 0)
    } finally {
      await stuck.close()
    }
  })
})
