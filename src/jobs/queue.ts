/**
 * The background job queue (docs/decisions/0017-job-queue.md): pg-boss,
 * in the database the service already uses. A job is queued once, taken by
 * exactly one worker across every instance (SKIP LOCKED), retried when it
 * fails or when its worker stops sending heartbeats (it died), and kept with
 * its state and outcome for `ipic jobs` and the administrators' page.
 *
 * On PostgreSQL pg-boss has a small pool of its own, to the same database.
 * On the embedded database it runs through the service's own Kysely
 * instance (embedded-jobs-db.ts): the same tables, states and outcomes, in
 * the one process there can be.
 */
import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely'
import { type Db, PgBoss } from 'pg-boss'
import type { Database } from '../db/connect.ts'
import type { Tables } from '../db/tables.ts'
import { embeddedJobsDb } from './embedded-jobs-db.ts'
import { JOB_SCHEMA, JobList, type JobRecord } from './job-list.ts'
import { checkedPayload, JOB_KINDS, type JobKind, type JobPayload, JobPayloadError } from './kinds.ts'
import { DEFAULT_HEARTBEAT_SECONDS, RETRY_POLICIES } from './retry-policy.ts'

export { JOB_SCHEMA }

/** The zone schedules are read in: "02:15" means 02:15 in London, summer or winter. */
export const SCHEDULE_TIME_ZONE = 'Europe/London'

export interface JobQueueOptions {
  /** Seconds a running job's worker may go silent before the job counts as lost and is retried. */
  readonly heartbeatSeconds?: number
  /** Seconds between a worker's looks for new jobs. */
  readonly pollingIntervalSeconds?: number
  /**
   * Whether this process takes part in the queue's upkeep: retrying the jobs
   * of workers that went silent, sending scheduled jobs when they fall due,
   * deleting old ones. Every long-lived instance does (pg-boss lets one at a
   * time do each pass); a command that only queues or reads jobs does not.
   */
  readonly upkeep?: boolean
  /** Whether this process sends scheduled jobs when they fall due (default: as `upkeep`). */
  readonly sendScheduled?: boolean
  /** Seconds between upkeep passes (default: a fifth of the heartbeat, at least 2). */
  readonly upkeepIntervalSeconds?: number
  /**
   * Whether to apply these settings (and the retry policies) to the queues,
   * which live in the database and serve every instance. The service's
   * instances do; a command run from someone's shell, perhaps with other
   * settings in its environment, only makes a queue that is missing.
   */
  readonly applySettings?: boolean
  /** Overrides every kind's retry limit: for tests that want a failure to be final at once. */
  readonly retryLimit?: number
}

/** A failure that trying again cannot mend (a rule set not published, bad configuration): the job fails at once. */
export class FinalJobError extends Error {}

/** What a handler is told about the job it runs, beyond its payload. */
export interface RunningJob {
  readonly id: string
  /** 1 for the first attempt. */
  readonly attempt: number
}

export type JobHandlers = {
  readonly [K in JobKind]?: (payload: JobPayload<K>, job: RunningJob) => Promise<unknown>
}

/** A job that is over: completed, or failed or cancelled for good. */
export type SettledJob = JobRecord & { readonly state: 'completed' | 'failed' | 'cancelled' }

export type RetryOutcome = 'retried' | 'not-found' | 'not-failed'

/**
 * Work done in the retry's own transaction, once the job is known to be
 * retried (to record who asked): if it throws, the job is not retried.
 */
export type AlongsideRetry = (trx: Transaction<Tables>, job: JobRecord) => Promise<void>

export class JobQueue {
  readonly #boss: PgBoss
  readonly #db: Kysely<Tables>
  readonly #options: JobQueueOptions
  readonly #list: JobList
  readonly #onClose: Array<() => Promise<void>> = []

  private constructor(boss: PgBoss, db: Kysely<Tables>, options: JobQueueOptions) {
    this.#boss = boss
    this.#db = db
    this.#list = new JobList(db)
    this.#options = options
  }

  /** Starts pg-boss on the database (creating or updating its schema) and sets up a queue per kind. */
  static async open(
    database: Database,
    url: string | undefined,
    options: JobQueueOptions = {},
  ): Promise<JobQueue> {
    const heartbeatSeconds = options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS
    const upkeep = options.upkeep ?? true
    const interval = options.upkeepIntervalSeconds ?? Math.max(2, Math.round(heartbeatSeconds / 5))
    const common = {
      schema: JOB_SCHEMA,
      supervise: upkeep,
      schedule: options.sendScheduled ?? upkeep,
      superviseIntervalSeconds: interval,
      monitorIntervalSeconds: interval,
      cronMonitorIntervalSeconds: Math.max(interval, 30),
    }
    const boss = database.pglite
      ? new PgBoss({ db: embeddedJobsDb(database.db, database.pglite), backend: 'pglite', ...common })
      : new PgBoss({ connectionString: url, max: 3, application_name: 'ipic-jobs', ...common })
    // Errors of its own upkeep (a lost connection) are reported, not thrown into nowhere.
    boss.on('error', (error) => process.emitWarning(`job queue: ${(error as Error).message}`))
    await boss.start()
    for (const kind of JOB_KINDS) {
      const policy = RETRY_POLICIES[kind]
      const settings = {
        retryLimit: options.retryLimit ?? policy.retryLimit,
        retryDelay: policy.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: policy.retryDelayMaxSeconds,
        expireInSeconds: policy.expireInSeconds,
        ...(policy.keepFinishedSeconds ? { deleteAfterSeconds: policy.keepFinishedSeconds } : {}),
        // On the embedded database a heartbeat would wait for the one connection behind the very
        // work it vouches for; and there is no other process to take a job over in any case.
        ...(database.pglite ? {} : { heartbeatSeconds }),
      }
      // createQueue leaves an existing queue as it was: the update brings it to this release's settings
      // (all but the policy, which a queue keeps from its creation).
      await boss.createQueue(kind, { ...settings, ...(policy.policy ? { policy: policy.policy } : {}) })
      if (options.applySettings ?? true) await boss.updateQueue(kind, settings)
    }
    const queue = new JobQueue(boss, database.db, options)
    // Only a process that works the queue: a command or page opening it just to ask for a retry
    // shares the process with the jobs the service is running.
    if (database.pglite && upkeep) await queue.#retryJobsLeftRunning()
    return queue
  }

  /**
   * On the embedded database one process at a time has the data (its
   * directory is locked), so a job still running when it opens was left by
   * a process that stopped: it is failed with that reason, and retried
   * (after its kind's retry delay) if it has attempts left, as another
   * instance would retry it once its heartbeat stopped on PostgreSQL.
   */
  async #retryJobsLeftRunning(): Promise<void> {
    const running = await this.#list.recent({ limit: 1000, states: ['running'] })
    for (const job of running) {
      await this.#boss.fail(job.kind, job.id, {
        message: 'the process running it stopped before it finished',
      })
    }
  }

  /** Queues a job; a payload that is not valid is refused (JobPayloadError) and nothing is queued. */
  async enqueue<K extends JobKind>(kind: K, payload: JobPayload<K>): Promise<string> {
    const id = await this.#boss.send(kind, checkedPayload(kind, payload))
    if (!id) throw new Error(`the ${kind} job was not queued`)
    return id
  }

  /**
   * Queues a job of an 'exclusive' kind under a key, unless one with that
   * key is already queued, waiting to retry, or running (then undefined):
   * one job per key at a time, whichever instance sends it.
   */
  async enqueueOnce<K extends JobKind>(
    kind: K,
    payload: JobPayload<K>,
    key: string,
  ): Promise<string | undefined> {
    const id = await this.#boss.send(kind, checkedPayload(kind, payload), { singletonKey: key })
    return id ?? undefined
  }

  /** Work to stop before the queue closes (something that sends jobs on its own clock). */
  stopOnClose(stop: () => Promise<void>): void {
    this.#onClose.push(stop)
  }

  /**
   * Takes jobs of the kinds given, one at a time each (or as many as the
   * kind's workersPerProcess). A handler that throws
   * fails the attempt, and the job is retried until its retries are spent;
   * one that throws a FinalJobError, or a payload that is not valid, fails
   * the job at once with the reason, as trying again would fail the same
   * way. pg-boss sends the heartbeats while a handler works.
   */
  async work(handlers: JobHandlers): Promise<void> {
    for (const kind of JOB_KINDS) {
      const handler = handlers[kind] as ((payload: unknown, job: RunningJob) => Promise<unknown>) | undefined
      if (!handler) continue
      await this.#boss.work(
        kind,
        {
          batchSize: 1,
          localConcurrency: RETRY_POLICIES[kind].workersPerProcess ?? 1,
          pollingIntervalSeconds: this.#options.pollingIntervalSeconds ?? 2,
          perJobResults: true,
        },
        async ([job]) => {
          if (!job) return []
          try {
            const payload = checkedPayload(kind, job.data)
            const result = await handler(payload, { id: job.id, attempt: job.retryCount + 1 })
            return [{ id: job.id, status: 'completed' as const, output: result ?? null }]
          } catch (error) {
            if (!(error instanceof FinalJobError || error instanceof JobPayloadError)) throw error
            return [{ id: job.id, status: 'deadletter' as const, output: { message: error.message } }]
          }
        },
      )
    }
  }

  /**
   * Sends a job of this kind on a cron schedule, read in London time; or,
   * given undefined, stops sending it. One schedule per kind across every
   * instance: the last to start sets it, and one instance sends each job.
   */
  async schedule(kind: JobKind, cron: string | undefined): Promise<void> {
    if (cron === undefined) {
      await this.#boss.unschedule(kind)
      return
    }
    await this.#boss.schedule(kind, cron, checkedPayload(kind, {}), { tz: SCHEDULE_TIME_ZONE })
  }

  /**
   * Gives a failed job another attempt, and does what `alongside` does in
   * the same transaction: both happen or neither. The job's row is locked
   * first and pg-boss's retry runs through the transaction, so of two
   * asking at once one retries it and the other, waiting on the lock, then
   * finds it no longer failed.
   */
  async retry(id: string, alongside?: AlongsideRetry): Promise<RetryOutcome> {
    const job = await this.#list.find(id)
    if (!job) return 'not-found'
    if (job.state !== 'failed') return 'not-failed'
    // pg-boss looks its queue up on first use, through its own connection: done here, before the
    // transaction, as on the embedded database that connection is the one the transaction holds.
    await this.#boss.getJobById(job.kind, id)
    return this.#db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ state: string }>`
        select state::text from ${sql.table(`${JOB_SCHEMA}.job`)} where id = ${id}::uuid for update`.execute(
        trx,
      )
      if (rows[0]?.state !== 'failed') return 'not-failed'
      await this.#boss.retry(job.kind, id, { db: statementsThrough(trx) })
      await alongside?.(trx, job)
      return 'retried'
    })
  }

  /** Waits until the job is over, whoever runs it, and gives its record. */
  async settled(id: string, pollMs = 250): Promise<SettledJob> {
    for (;;) {
      const job = await this.#list.find(id)
      if (!job) throw new Error(`job ${id} is not in the queue`)
      if (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled') {
        return job as SettledJob
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
  }

  /** Queues a job bypassing the checks: only for tests of what a worker does with a bad payload. */
  sendUnchecked(kind: JobKind, data: object): Promise<string | null> {
    return this.#boss.send(kind, data)
  }

  /** Stops taking jobs, waiting for those running to finish, and closes pg-boss's connections. */
  async close(): Promise<void> {
    for (const stop of this.#onClose.splice(0)) await stop()
    await this.#boss.stop({ graceful: true, timeout: 30_000 })
  }
}

/** pg-boss's statements, run in a transaction of the service's (a retry is one statement: its rows are the result's). */
function statementsThrough(trx: Transaction<Tables>): Db {
  return {
    executeSql: async (text, values) => ({
      rows: (await trx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as unknown[],
    }),
  }
}
