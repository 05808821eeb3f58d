/**
 * `npm run bench:api-events [-- --decisions 100000 --steady 20000 --rate 1000]`:
 * decision events delivered as signed webhooks to a local receiver, on
 * PostgreSQL, beside a reference doing the same work by hand.
 *
 * 1. Throughput: `--decisions` decisions are written (in transactions of
 *    1,000, not timed), then one instance's worker (the dispatcher and the
 *    event-delivery jobs, as `ipic serve` runs them) delivers them all to a
 *    receiver that verifies every signature. Reference: the same number of
 *    signed POSTs of the same bodies, sent straight from a loop with the
 *    same concurrency to the same receiver. Both rates and their ratio are
 *    printed.
 * 2. Lag: `--steady` decisions written at about `--rate` a second while the
 *    worker delivers; each event's lag is from its commit to its arrival,
 *    reported as p50, p95 and the largest.
 *
 * Uses its own database, ipic_bench_events, on the server named by
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped
 * and recreated.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { type Kysely, sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { openDatabase } from '../src/db/connect.ts'
import { prepareDatabase } from '../src/db/prepare.ts'
import type { Tables } from '../src/db/tables.ts'
import { DEFAULT_DELIVERY_OPTIONS, deliverPending, signedDelivery } from '../src/events/delivery.ts'
import { startDispatching } from '../src/events/dispatcher.ts'
import { type DecisionEvent, FEED_START } from '../src/events/event-types.ts'
import { readFeed } from '../src/events/feed.ts'
import { eventIdOf } from '../src/events/payload.ts'
import { addSubscriber, removeSubscriber } from '../src/events/subscribers.ts'
import { JobQueue } from '../src/jobs/queue.ts'
import { BENCH_SERVER_URL, recreateBenchDatabase } from './support/database.ts'
import { printTable } from './support/report.ts'
import { percentile } from './support/statistics.ts'

const { values } = parseArgs({
  options: {
    decisions: { type: 'string', default: '100000' },
    steady: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '1000' },
  },
})
const decisions = Number(values.decisions)
const steady = Number(values.steady)
const rate = Number(values.rate)
const BATCH = 1000
const BENCH_USER = 'bench-caseworker'
const SERVICE = { port: 1, localHosts: [], publicOrigin: undefined }
const BY = { userId: null, through: 'command' as const, account: 'bench' }

/** The receiver: verifies every signature, and notes when each new webhook-id first arrived. */
function startReceiver() {
  let secret = ''
  const arrived = new Map<string, number>()
  let refused = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      try {
        const body = Buffer.concat(chunks).toString('utf8')
        new Webhook(secret).verify(body, {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        })
        const id = String(request.headers['webhook-id'])
        if (!arrived.has(id)) arrived.set(id, Date.now())
        response.writeHead(204).end()
      } catch {
        refused++
        response.writeHead(400).end()
      }
    })
  })
  return {
    arrived,
    refusedCount: () => refused,
    trust: (value: string) => {
      secret = value
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/events`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Writes `count` decisions as caseworkers' acceptances, `perCommit` to a transaction, on fresh tasks. */
async function writeDecisions(db: Kysely<Tables>, count: number, perCommit: number): Promise<void> {
  for (let done = 0; done < count; done += perCommit) {
    const n = Math.min(perCommit, count - done)
    await db.transaction().execute(async (trx) => {
      await sql`
        with made as (
          insert into tasks (person_id, task_type, rom_region, priority, status, version, rule_code,
            rule_set_version, explanation, created_at, status_changed_at, status_changed_by)
          select 'B' || (${done} + g), 'FAILED_TO_REPORT', case when g % 2 = 0 then 'LSE' else 'MEE' end, 10,
            'ACCEPTED', 2, 'FAILED_TO_REPORT', 'bench', '{}', now(), now(), ${BENCH_USER}
          from generate_series(1, ${n}::int) g
          returning id
        )
        insert into task_events (task_id, task_version, status, occurred_at, user_id, checks_confirmed)
        select id, 2, 'ACCEPTED', clock_timestamp(), ${BENCH_USER}, true from made order by id`.execute(trx)
    })
  }
}

async function untilArrived(arrived: Map<string, number>, count: number): Promise<void> {
  while (arrived.size < count) await new Promise((resolve) => setTimeout(resolve, 20))
}

const url = await recreateBenchDatabase(BENCH_SERVER_URL, 'ipic_bench_events')
const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 6 })
const { db } = database
const receiver = startReceiver()
const receiverUrl = await receiver.listen()
let queue: JobQueue | undefined
try {
  await prepareDatabase(db, new URL('../reference', import.meta.url).pathname)
  await db
    .insertInto('users')
    .values({ id: BENCH_USER, name: 'Bench', roles: ['CASEWORKER'], all_regions: true, password_hash: null })
    .execute()
  const added = await addSubscriber(db, { url: receiverUrl, name: 'bench receiver' }, SERVICE, {
    by: BY,
    at: new Date(),
  })
  if (added.kind !== 'added') throw new Error(JSON.stringify(added))
  receiver.trust(added.secret)
  console.log(
    `Decision events to a local receiver on PostgreSQL: ${decisions.toLocaleString('en-GB')} for throughput, ${steady.toLocaleString('en-GB')} at ~${rate}/s for lag.`,
  )
  console.log(
    `Delivery: ${DEFAULT_DELIVERY_OPTIONS.concurrency} requests at once per subscriber, pages of ${DEFAULT_DELIVERY_OPTIONS.batchSize}.`,
  )

  // 1. Throughput: a backlog, then the worker.
  await writeDecisions(db, decisions, BATCH)
  queue = await JobQueue.open(database, url, { pollingIntervalSeconds: 0.5 })
  await queue.work({ 'event-delivery': ({ subscriberId }) => deliverPending(db, subscriberId, SERVICE) })
  const startedWorker = performance.now()
  startDispatching(database, queue)
  await untilArrived(receiver.arrived, decisions)
  const deliveredSeconds = (performance.now() - startedWorker) / 1000

  // The reference: the same bodies, signed and posted from a loop with the same concurrency.
  const events: DecisionEvent[] = []
  for (let position = FEED_START; ; ) {
    const page = await readFeed(db, { after: position, limit: 10_000, regions: { all: true }, types: null })
    events.push(...page.events)
    if (page.events.length === 0) break
    position = page.next
  }
  const webhook = new Webhook(added.secret)
  receiver.arrived.clear()
  const startedLoop = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: DEFAULT_DELIVERY_OPTIONS.concurrency }, async () => {
      for (let event = events[next++]; event !== undefined; event = events[next++]) {
        // The same request a delivery sends, under another ID so that the receiver counts it afresh.
        const { body, headers } = signedDelivery(webhook, event, `ref_${eventIdOf(event)}`)
        const response = await fetch(receiverUrl, { method: 'POST', headers, body })
        await response.body?.cancel()
      }
    }),
  )
  const loopSeconds = (performance.now() - startedLoop) / 1000

  // 2. Lag: decisions written at a steady rate while the worker delivers.
  receiver.arrived.clear()
  const firstSteadyId = Number(
    (await db.selectFrom('task_events').select(sql<number>`max(id)`.as('id')).executeTakeFirst())?.id ?? 0,
  )
  const perTick = Math.max(1, Math.round(rate / 10))
  const writingStarted = Date.now()
  for (let written = 0; written < steady; written += perTick) {
    await writeDecisions(db, Math.min(perTick, steady - written), perTick)
    const due = writingStarted + ((written + perTick) / rate) * 1000
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())))
  }
  await untilArrived(receiver.arrived, steady)
  const written = await db
    .selectFrom('task_events')
    .select(['id', 'occurred_at'])
    .where('id', '>', firstSteadyId)
    .execute()
  const lags = written
    .map((row) => (receiver.arrived.get(`evt_${row.id}`) ?? Number.NaN) - new Date(row.occurred_at).getTime())
    .sort((a, b) => a - b)

  const perSecond = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString('en-GB')
  printTable(
    ['', 'events', 'seconds', 'events/s'],
    [
      [
        'delivery (outbox, sequencer, jobs)',
        decisions.toLocaleString('en-GB'),
        deliveredSeconds.toFixed(1),
        perSecond(decisions, deliveredSeconds),
      ],
      [
        'reference (signed POSTs from a loop)',
        events.length.toLocaleString('en-GB'),
        loopSeconds.toFixed(1),
        perSecond(events.length, loopSeconds),
      ],
    ],
  )
  console.log(`Delivery takes ${(deliveredSeconds / loopSeconds).toFixed(2)}x the reference's time.`)
  console.log(
    `Lag from commit to arrival at ~${rate}/s: p50 ${percentile(lags, 50).toFixed(0)} ms, p95 ${percentile(lags, 95).toFixed(0)} ms, largest ${lags.at(-1)?.toFixed(0)} ms.`,
  )
  console.log(`Signatures refused by the receiver: ${receiver.refusedCount()}.`)
  await removeSubscriber(db, added.subscriber.id, { by: BY, at: new Date() })
} finally {
  await queue?.close()
  await receiver.close()
  await database.close()
}
