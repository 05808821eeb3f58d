/**
 * What keeps decision events moving, in every instance that works the job
 * queue: about once a second it runs a sequencer pass (one instance at a
 * time does; the others find it busy) and queues a delivery job for each
 * active subscriber behind the feed's end. The queue keeps one delivery
 * job per subscriber at a time across every instance (its 'exclusive'
 * policy): a subscriber whose job is running, or waiting to retry after a
 * failure, is not sent another, so its events go out in order and its
 * back-off is kept.
 */
import { sql } from 'kysely'
import type { Database } from '../db/connect.ts'
import type { JobQueue } from '../jobs/queue.ts'
import { sequenceEvents } from './sequencer.ts'
import { subscriberDb } from './subscribers.ts'

export const DISPATCH_INTERVAL_MS = 1000

export interface DispatcherOptions {
  readonly intervalMs?: number
  /** Told of a pass that failed (a lost connection); the next pass tries again. */
  readonly onError?: (error: unknown) => void
}

/** One pass: sequence, then queue the deliveries due. Returns how many jobs it queued. */
export async function dispatchEvents(
  database: Database,
  queue: Pick<JobQueue, 'enqueueOnce'>,
): Promise<number> {
  await sequenceEvents(database.db)
  const { rows } = await sql<{ id: number }>`
    select s.id from event_subscribers s,
      (select pass, last_event_id from event_passes order by pass desc limit 1) last
    where s.state = 'active'
      and (s.delivered_pass, s.delivered_event_id) < (last.pass, last.last_event_id)`.execute(
    subscriberDb(database.db),
  )
  let queued = 0
  for (const { id } of rows) {
    if (await queue.enqueueOnce('event-delivery', { subscriberId: id }, `subscriber-${id}`)) queued++
  }
  return queued
}

/** Dispatches on a timer until the queue closes. */
export function startDispatching(database: Database, queue: JobQueue, options: DispatcherOptions = {}): void {
  const interval = options.intervalMs ?? DISPATCH_INTERVAL_MS
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const pass = () => {
    running = dispatchEvents(database, queue)
      .then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, interval)
      })
  }
  timer = setTimeout(pass, 0)
  queue.stopOnClose(async () => {
    stopped = true
    clearTimeout(timer)
    await running
  })
}
