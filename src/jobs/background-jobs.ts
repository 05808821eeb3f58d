/**
 * The background jobs as the administrators' page uses them: the list of
 * every instance's jobs, and another attempt for a failed one. The retry
 * goes through pg-boss's own, on a queue opened for it alone (no workers,
 * no upkeep, the queues' settings left as the instances set them), so the
 * page never depends on which instance answers it. `ipic jobs retry` uses
 * it too.
 */
import type { Config } from '../config.ts'
import type { Database } from '../db/connect.ts'
import { JobList, type JobListQuery, type JobRecord } from './job-list.ts'
import { type AlongsideRetry, JobQueue, type JobQueueOptions, type RetryOutcome } from './queue.ts'

export class BackgroundJobs {
  readonly #database: Database
  readonly #url: string | undefined
  readonly #options: JobQueueOptions
  readonly #list: JobList

  constructor(database: Database, config: Pick<Config, 'jobs'>) {
    this.#database = database
    // The database's own address, whatever the configuration says: the one the service is using.
    this.#url = database.pool?.options.connectionString
    this.#options = { heartbeatSeconds: config.jobs.heartbeatSeconds }
    this.#list = new JobList(database.db)
  }

  recent(query: JobListQuery): Promise<JobRecord[]> {
    return this.#list.recent(query)
  }

  find(id: string): Promise<JobRecord | undefined> {
    return this.#list.find(id)
  }

  /**
   * Another attempt for a failed job; says why not for any other. Someone
   * asked for it, so `record` writes who did in the retry's transaction
   * (src/audit/job-retries.ts): no retry goes unrecorded.
   */
  async retry(id: string, record: AlongsideRetry): Promise<RetryOutcome> {
    const job = await this.#list.find(id)
    if (!job) return 'not-found'
    if (job.state !== 'failed') return 'not-failed'
    return this.#withQueue((queue) => queue.retry(id, record))
  }

  /**
   * Queues a run of the live rule set, as asked for (the API's POST
   * /rule-runs): whichever instance's worker is free runs it, as after an
   * import. The job's ID; the run is listed once a worker starts it.
   */
  queueRuleRun(full: boolean): Promise<string> {
    return this.#withQueue((queue) => queue.enqueue('rule-run', { trigger: 'api', full }))
  }

  /** A queue opened for one call alone: no workers, no upkeep, the queues' settings left as the instances set them. */
  async #withQueue<T>(use: (queue: JobQueue) => Promise<T>): Promise<T> {
    const queue = await JobQueue.open(this.#database, this.#url, {
      ...this.#options,
      upkeep: false,
      sendScheduled: false,
      applySettings: false,
    })
    try {
      return await use(queue)
    } finally {
      await queue.close()
    }
  }
}
