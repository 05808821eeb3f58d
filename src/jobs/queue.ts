/**
 * The background job queue (docs/decisions/0017-job-queue.md): pg-boss,
 * in the database the service already uses. A job is queued once, taken by
 * exactly one worker across every instance (SKIP LOCKED), retried when it
 * fails or when its worker stops answering (its expiry), and kept with its
 * state and outcome for `ipic jobs` and the administrators' page.
 *
 * On PostgreSQL pg-boss has a small pool of its own, to the same database.
 * On the embedded database it runs through the one PGlite connection: the
 * same tables, states and outcomes, in the one process there can be.
 */
import { fromPglite, PgBoss } from 'pg-boss'
import type { Database } from '../db/connect.ts'
import { checkedPayload, JOB_KINDS, type JobKind, type JobPayload } from './kinds.ts'

/** Where pg-boss keeps its tables: a schema of its own, beside the service's. */
export const JOB_SCHEMA = 'pgboss'

export interface JobQueueOptions {
  /** Seconds a job may run before it counts as stopped and is retried (its worker died). */
  readonly expireInSeconds?: number
  /** Retries after the first attempt, before a job is failed for good. */
  readonly retryLimit?: number
  /** Seconds between a worker's looks for new jobs. */
  readonly pollingIntervalSeconds?: number
  /** Seconds between the checks that retry expired jobs. */
  readonly monitorIntervalSeconds?: number
}

export type JobHandlers = { readonly [K in JobKind]?: (payload: JobPayload<K>) => Promise<unknown> }

export class JobQueue {
  readonly #boss: PgBoss
  readonly #options: JobQueueOptions

  private constructor(boss: PgBoss, options: JobQueueOptions) {
    this.#boss = boss
    this.#options = options
  }

  /** Starts pg-boss on the database (creating or updating its schema) and makes a queue per kind. */
  static async open(
    database: Database,
    url: string | undefined,
    options: JobQueueOptions = {},
  ): Promise<JobQueue> {
    const monitor = { monitorIntervalSeconds: options.monitorIntervalSeconds ?? 30, schema: JOB_SCHEMA }
    const boss = database.pglite
      ? new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', ...monitor })
      : new PgBoss({ connectionString: url, max: 3, application_name: 'ipic-jobs', ...monitor })
    // Errors of its own upkeep (a lost connection) are reported, not thrown into nowhere.
    boss.on('error', (error) => process.emitWarning(`job queue: ${(error as Error).message}`))
    await boss.start()
    for (const kind of JOB_KINDS) {
      await boss.createQueue(kind, {
        retryLimit: options.retryLimit ?? 2,
        retryDelay: 5,
        expireInSeconds: options.expireInSeconds ?? 3600,
      })
    }
    return new JobQueue(boss, options)
  }

  /** Queues a job; a payload that is not valid is refused (JobPayloadError) and nothing is queued. */
  async enqueue<K extends JobKind>(kind: K, payload: JobPayload<K>): Promise<string> {
    const id = await this.#boss.send(kind, checkedPayload(kind, payload))
    if (!id) throw new Error(`the ${kind} job was not queued`)
    return id
  }

  /**
   * Takes jobs of the kinds given, one at a time each. A payload that is not
   * valid fails its job with the reason; a handler that throws fails the
   * attempt, and the job is retried until its retries are spent.
   */
  async work(handlers: JobHandlers): Promise<void> {
    for (const kind of JOB_KINDS) {
      const handler = handlers[kind] as ((payload: unknown) => Promise<unknown>) | undefined
      if (!handler) continue
      await this.#boss.work(
        kind,
        { batchSize: 1, pollingIntervalSeconds: this.#options.pollingIntervalSeconds ?? 2 },
        async ([job]) => {
          if (!job) return undefined
          const result = await handler(checkedPayload(kind, job.data))
          return result ?? null
        },
      )
    }
  }

  /** Queues a job bypassing the checks: only for tests of what a worker does with a bad payload. */
  sendUnchecked(kind: JobKind, data: object): Promise<string | null> {
    return this.#boss.send(kind, data)
  }

  /** Stops taking jobs, waiting for those running to finish, and closes pg-boss's connections. */
  async close(): Promise<void> {
    await this.#boss.stop({ graceful: true, timeout: 30_000 })
  }
}
