/**
 * Delivering a subscriber's events as signed webhooks (Standard Webhooks:
 * webhook-id, webhook-timestamp, webhook-signature), at least once and in
 * order per task. One job per subscriber at a time does this
 * (src/events/dispatcher.ts); it reads a page of the feed after the
 * subscriber's position, posts it (several tasks at once, each task's
 * events one after another), and moves the position to just before the
 * first event that failed. A failure then fails the job, which the queue
 * retries with exponential back-off; everything after the position is
 * posted again, so a receiver de-duplicates by webhook-id. Nothing is
 * posted to a URL whose host name has come to resolve to the service itself.
 */
import { type Kysely, sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import type { Tables } from '../db/tables.ts'
import type { DecisionEvent, FeedPosition } from './event-types.ts'
import { readFeed } from './feed.ts'
import { eventIdOf, eventMessage } from './payload.ts'
import { type ServiceAddress, serviceAddressOfName } from './subscriber-url.ts'
import { findSubscriber, type Subscriber, subscriberDb } from './subscribers.ts'

export interface DeliveryOptions {
  /** Events read and posted per round. */
  readonly batchSize: number
  /** Requests in flight at once to one subscriber (each to a different task). */
  readonly concurrency: number
  /** How long one request may take before it counts as failed. */
  readonly timeoutMs: number
  /** How long one job keeps delivering before it gives the worker back (the next job carries on). */
  readonly budgetMs: number
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  batchSize: 500,
  concurrency: 8,
  timeoutMs: 10_000,
  budgetMs: 30_000,
}

export type DeliveryOutcome =
  | { readonly kind: 'caught-up' | 'budget-spent'; readonly delivered: number }
  /** Removed or paused meanwhile, or replayed by an administrator: the next job starts from its new position. */
  | { readonly kind: 'stopped'; readonly delivered: number }

/** Some events could not be delivered: the job fails, and the queue retries it later. */
export class DeliveryFailure extends Error {}

const MAX_ERROR_LENGTH = 500

export async function deliverPending(
  db: Kysely<Tables>,
  subscriberId: number,
  service: ServiceAddress,
  options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
): Promise<DeliveryOutcome> {
  const started = performance.now()
  let delivered = 0
  for (;;) {
    const subscriber = await findSubscriber(db, subscriberId, { withSecret: true })
    if (subscriber?.state !== 'active') return { kind: 'stopped', delivered }
    // The name was checked when the subscriber was added; what it resolves to may have changed since.
    const address = await serviceAddressOfName(subscriber.url, service)
    if (address !== undefined) {
      const host = new URL(subscriber.url).hostname
      const error = `not sent: ${host} now resolves to ${address}, this service itself`
      await recordProgress(db, subscriber, subscriber.delivered, 0, { error })
      throw new DeliveryFailure(`subscriber ${subscriber.id} (${subscriber.name}): ${error}`)
    }
    const page = await readFeed(db, {
      after: subscriber.delivered,
      limit: options.batchSize,
      regions: { all: true },
      types: subscriber.eventTypes,
    })
    if (page.events.length === 0 && samePosition(page.next, subscriber.delivered)) {
      return { kind: 'caught-up', delivered }
    }
    const results = await postAll(subscriber, page.events, options)
    const firstFailed = results.findIndex((result) => result !== 'ok')
    const reached =
      firstFailed === -1
        ? page.next
        : firstFailed === 0
          ? subscriber.delivered
          : (page.events[firstFailed - 1]?.position ?? subscriber.delivered)
    const ok = results.filter((result) => result === 'ok').length
    const failure = firstFailed === -1 ? undefined : results[firstFailed]
    const moved = await recordProgress(db, subscriber, reached, ok, failure === 'ok' ? undefined : failure)
    delivered += ok
    if (!moved) return { kind: 'stopped', delivered }
    if (failure !== undefined && failure !== 'ok') {
      const why = failure === 'not-sent' ? 'not sent' : failure.error
      throw new DeliveryFailure(`subscriber ${subscriber.id} (${subscriber.name}): ${why}`)
    }
    if (page.events.length < options.batchSize) return { kind: 'caught-up', delivered }
    if (performance.now() - started > options.budgetMs) return { kind: 'budget-spent', delivered }
  }
}

function samePosition(a: FeedPosition, b: FeedPosition): boolean {
  return a.pass === b.pass && a.eventId === b.eventId
}

type PostResult = 'ok' | 'not-sent' | { readonly error: string }

/**
 * Posts the events, each task's in order, several tasks at once: a task
 * whose event failed sends none of its later ones (they would arrive out of
 * order), while other tasks carry on.
 */
async function postAll(
  subscriber: Subscriber & { readonly secret: string },
  events: readonly DecisionEvent[],
  options: DeliveryOptions,
): Promise<PostResult[]> {
  const results: PostResult[] = events.map(() => 'not-sent')
  const byTask = new Map<number, number[]>()
  events.forEach((event, index) => {
    const indexes = byTask.get(event.taskId)
    if (indexes) indexes.push(index)
    else byTask.set(event.taskId, [index])
  })
  const chains = [...byTask.values()]
  const webhook = new Webhook(subscriber.secret)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let chain = chains[next++]; chain !== undefined; chain = chains[next++]) {
      for (const index of chain) {
        const event = events[index] as DecisionEvent
        results[index] = await post(subscriber.url, webhook, event, options.timeoutMs)
        if (results[index] !== 'ok') break
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, chains.length) }, worker))
  return results
}

/**
 * The request that delivers an event: its JSON body and the Standard
 * Webhooks headers. The signing time is the real one, whatever date the
 * service's clock is fixed to: receivers refuse a timestamp far from their
 * own clock, as replay protection.
 */
export function signedDelivery(webhook: Webhook, event: DecisionEvent, id = eventIdOf(event)) {
  const body = JSON.stringify(eventMessage(event))
  const sentAt = new Date()
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': webhook.sign(id, sentAt, body),
    },
  }
}

async function post(
  url: string,
  webhook: Webhook,
  event: DecisionEvent,
  timeoutMs: number,
): Promise<PostResult> {
  const { body, headers } = signedDelivery(webhook, event)
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      // A redirect could lead anywhere, the service itself included: it counts as a failure to read.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    await response.body?.cancel()
    if (response.status >= 200 && response.status < 300) return 'ok'
    return { error: `answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` }
  } catch (error) {
    return { error: describeFailure(error, timeoutMs) }
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} seconds`
  const cause = e.cause?.code ?? e.cause?.message
  return (cause ? `could not be reached (${cause})` : (e.message ?? String(error))).slice(0, MAX_ERROR_LENGTH)
}

/**
 * Moves the subscriber's position, only if nobody moved it meanwhile (a
 * replay): false when someone did, and this delivery stops.
 */
async function recordProgress(
  db: Kysely<Tables>,
  subscriber: Subscriber,
  reached: FeedPosition,
  delivered: number,
  failure: { readonly error: string } | 'not-sent' | undefined,
): Promise<boolean> {
  const failed = failure !== undefined
  const error = failure === undefined ? null : failure === 'not-sent' ? 'not sent' : failure.error
  const result = await subscriberDb(db)
    .updateTable('event_subscribers')
    .set({
      delivered_pass: reached.pass,
      delivered_event_id: reached.eventId,
      delivered_count: sql<number>`delivered_count + ${delivered}`,
      ...(delivered > 0 ? { last_delivered_at: sql<Date>`now()` } : {}),
      ...(failed
        ? {
            failed_attempts: sql<number>`failed_attempts + 1`,
            last_error: error,
            last_failed_at: sql<Date>`now()`,
          }
        : { failed_attempts: 0 }),
    })
    .where('id', '=', subscriber.id)
    .where('delivered_pass', '=', subscriber.delivered.pass)
    .where('delivered_event_id', '=', subscriber.delivered.eventId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
