/**
 * What decision events must survive with several sessions at once, on
 * PostgreSQL (the embedded database has one connection, and dies with its
 * process):
 * - an event whose transaction took a lower ID but commits after a higher
 *   one is neither skipped nor read out of order;
 * - a transaction with the older transaction ID that changes a task after
 *   a younger one did waits for the younger's event, so the task's events
 *   stay in version order;
 * - two workers delivering at once keep every task's order;
 * - a worker killed (SIGKILL, a real `ipic jobs work`) between a decision's
 *   commit and its delivery loses nothing: another worker delivers it.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import pg from 'pg'
import { jobHandlers } from '../../src/commands/job-handlers.ts'
import { clockFor, loadConfig } from '../../src/config.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { startDispatching } from '../../src/events/dispatcher.ts'
import { FEED_START, type FeedPosition } from '../../src/events/event-types.ts'
import { readFeed } from '../../src/events/feed.ts'
import { sequenceEvents } from '../../src/events/sequencer.ts'
import { JobQueue } from '../../src/jobs/queue.ts'
import { createLogger } from '../../src/logger.ts'
import {
  openTestDatabase,
  REFERENCE_DIR,
  RULES_DIR,
  type TestDatabase,
  testDatabaseUrl,
} from '../support/database.ts'
import {
  decideEveryOpenTask,
  everyEventArrives,
  NATIONAL_CASEWORKER,
  seedRecommendations,
  sequenceAll,
  subscribe,
} from '../support/decision-events.ts'
import { type RunningCommand, startIpic } from '../support/ipic-command.ts'
import { manualClock } from '../support/tasks.ts'
import { until, WebhookReceiver } from '../support/webhook-receiver.ts'

const skip = testDatabaseUrl() ? false : 'needs PostgreSQL (DATABASE_URL): several sessions at once'
const _BY_COMMAND = { userId: null, through: 'command' as const, account: 'tester' }
const ALL = { all: true as const }

describe('decision events across sessions (PostgreSQL)', { skip, timeout: 240_000 }, () => {
  let database: TestDatabase
  const sessions: pg.Client[] = []
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(async () => {
    await database.reset()
  })
  after(async () => {
    for (const session of sessions) await session.end().catch(() => undefined)
    await database?.close()
  })

  async function session(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    sessions.push(client)
    return client
  }

  /** A caseworker's change of the task in `client`'s open transaction: its event's ID. */
  async function changeTask(client: pg.Client, taskId: number, status: string): Promise<number> {
    const { rows } = await client.query<{ version: number }>(
      'update tasks set version = version + 1, status = $2 where id = $1 returning version',
      [taskId, status],
    )
    const inserted = await client.query<{ id: string }>(
      `insert into task_events (task_id, task_version, status, occurred_at, user_id)
       values ($1, $2, $3, now(), $4) returning id`,
      [taskId, rows[0]?.version, status, NATIONAL_CASEWORKER.id],
    )
    return Number(inserted.rows[0]?.id)
  }

  async function feedAfter(position: FeedPosition) {
    return readFeed(database.db, { after: position, limit: 100, regions: ALL, types: null })
  }

  it('does not skip an event whose lower ID commits after a higher one', async () => {
    await seedRecommendations(database.db, manualClock(), 2)
    await sequenceAll(database.db)
    const start = (await feedAfter(FEED_START)).next
    const [first, second] = await database.db.selectFrom('tasks').select('id').orderBy('id').execute()
    const late = await session()
    const early = await session()
    await late.query('begin')
    const lowerId = await changeTask(late, first!.id, 'ON_HOLD')
    await early.query('begin')
    const higherId = await changeTask(early, second!.id, 'ACCEPTED')
    await early.query('commit')
    assert.ok(lowerId < higherId)

    // A reader of "ID above my cursor" would now read the higher ID and never see the lower one.
    await sequenceEvents(database.db)
    const meanwhile = await feedAfter(start)
    assert.deepEqual(
      meanwhile.events.map((event) => event.eventId),
      [],
      'the committed event waits for the one still being written before it',
    )
    await late.query('commit')
    await sequenceAll(database.db)
    const after = await feedAfter(meanwhile.next)
    assert.deepEqual(
      after.events.map((event) => event.eventId),
      [lowerId, higherId],
    )
  })

  it("keeps a task's events in version order when an older transaction changes it after a younger one", async () => {
    await seedRecommendations(database.db, manualClock(), 1)
    await sequenceAll(database.db)
    const start = (await feedAfter(FEED_START)).next
    const task = await database.db.selectFrom('tasks').select('id').executeTakeFirstOrThrow()
    const older = await session()
    const bystander = await session()
    const younger = await session()
    // Transaction IDs in this order: older, bystander (still running at the pass), younger.
    await older.query('begin')
    await older.query('select pg_current_xact_id()')
    await bystander.query('begin')
    await bystander.query('select pg_current_xact_id()')
    await younger.query('begin')
    const heldEvent = await changeTask(younger, task.id, 'ON_HOLD')
    await younger.query('commit')
    const acceptedEvent = await changeTask(older, task.id, 'ACCEPTED')
    await older.query('commit')

    // Only the older transaction is below the horizon (the bystander holds it), but its change
    // came second: taking it now would deliver version 3 before version 2.
    await sequenceEvents(database.db)
    const meanwhile = await feedAfter(start)
    assert.deepEqual(meanwhile.events, [])
    await bystander.query('rollback')
    await sequenceAll(database.db)
    const after = await feedAfter(meanwhile.next)
    assert.deepEqual(
      after.events.map((event) => [event.eventId, event.taskVersion]),
      [
        [heldEvent, 2],
        [acceptedEvent, 3],
      ],
    )
  })

  it("keeps each task's order with two workers delivering at once", async () => {
    const receiver = await WebhookReceiver.start()
    const queues: JobQueue[] = []
    try {
      const clock = manualClock()
      await subscribe(database.db, receiver, clock.now())
      const config = loadConfig({ IPIC_RULES_DIR: RULES_DIR, IPIC_REFERENCE_DIR: REFERENCE_DIR })
      const runtime = {
        config,
        clock: clockFor(config),
        database,
        reference: await readReferenceData(REFERENCE_DIR),
        logger: createLogger('silent'),
      }
      for (let i = 0; i < 2; i++) {
        const queue = await JobQueue.open(database, database.url, { pollingIntervalSeconds: 0.5 })
        queues.push(queue)
        await queue.work(jobHandlers(runtime, { eventDelivery: { batchSize: 10 } }))
        startDispatching(database, queue, { intervalMs: 150 })
      }
      // Decisions arrive while both deliver: several rounds, each task changed twice.
      await seedRecommendations(database.db, clock, 30)
      await decideEveryOpenTask(database.db, clock)
      await everyEventArrives(database.db, receiver)
    } finally {
      for (const queue of queues) await queue.close()
      await receiver.close()
    }
  })

  it('delivers a decision whose worker was killed between its commit and its delivery', async () => {
    const receiver = await WebhookReceiver.start()
    const workers: RunningCommand[] = []
    try {
      const clock = manualClock()
      await subscribe(database.db, receiver, clock.now())
      const startWorker = async () => {
        const worker = startIpic(['jobs', 'work'], {
          DATABASE_URL: database.url,
          IPIC_DEMO: '0',
          IPIC_RULES_DIR: RULES_DIR,
          IPIC_JOB_HEARTBEAT_SECONDS: '10',
          IPIC_AUDIT_PURGE_SCHEDULE: 'off',
          IPIC_SESSION_CLEANUP_SCHEDULE: 'off',
          IPIC_FACTS_PRUNE_SCHEDULE: 'off',
        })
        workers.push(worker)
        let said = ''
        worker.child.stdout?.on('data', (chunk) => (said += chunk))
        await until(() => said.includes('Working the background job queue'), 'the worker to start', 120_000)
        return worker
      }
      // The receiver takes the first request and never answers: the worker is mid-delivery.
      receiver.answer = () => 'hang'
      const first = await startWorker()
      await seedRecommendations(database.db, clock, 3)
      await until(() => receiver.deliveries.length > 0, 'the worker to post the first event', 60_000)
      first.child.kill('SIGKILL')
      await first.finished
      assert.equal(receiver.accepted().size, 0, 'nothing was delivered before the kill')

      receiver.answer = () => 204
      await startWorker()
      await everyEventArrives(database.db, receiver, 120_000)
    } finally {
      for (const worker of workers) worker.child.kill('SIGKILL')
      await Promise.all(workers.map((worker) => worker.finished))
      await receiver.close()
    }
  })
})
