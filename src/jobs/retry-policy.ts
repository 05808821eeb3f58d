/**
 * How each kind of job is retried, and when a running one counts as lost
 * (docs/decisions/0017-job-queue.md says why these numbers).
 *
 * Two ways a job stops without an answer are told apart. A worker that
 * dies (kill -9, a machine lost) stops sending heartbeats: after
 * `heartbeatSeconds` without one, the job is retried by whichever instance
 * does the queue's upkeep next. A worker that is alive but stuck keeps
 * sending them; `expireInSeconds` is the outer bound on one attempt, well
 * beyond the longest honest run, after which it is failed and retried too.
 */
import type { JobKind } from './kinds.ts'

export interface RetryPolicy {
  /** Attempts after the first before the job is failed for good. */
  readonly retryLimit: number
  /** Seconds before the first retry; doubled (with jitter) for each later one. */
  readonly retryDelaySeconds: number
  /** The longest wait between two attempts. */
  readonly retryDelayMaxSeconds: number
  /** The longest one attempt may run, heartbeats or not. */
  readonly expireInSeconds: number
  /**
   * 'exclusive': at most one job per key (queued, waiting to retry, or
   * running) across every instance; a job sent while one is there is not
   * queued. Absent for the rest, which take every job sent.
   */
  readonly policy?: 'exclusive'
  /** Jobs of this kind one process runs at once (default 1). */
  readonly workersPerProcess?: number
  /** How long a finished job is kept for the job list (default pg-boss's 7 days). */
  readonly keepFinishedSeconds?: number
}

const HOUR = 3600

export const RETRY_POLICIES: Readonly<Record<JobKind, RetryPolicy>> = {
  // A run is one transaction: a failed attempt leaves nothing behind, so retrying is always safe.
  // A million persons take minutes on PostgreSQL; four hours means stuck, not slow.
  'rule-run': { retryLimit: 3, retryDelaySeconds: 3, retryDelayMaxSeconds: 300, expireInSeconds: 4 * HOUR },
  // Also one transaction each. A purge that keeps failing is worth a few tries spread over the day.
  'audit-purge': { retryLimit: 3, retryDelaySeconds: 60, retryDelayMaxSeconds: HOUR, expireInSeconds: HOUR },
  // Batches that each commit: a retry carries on where a failed attempt stopped. One waiting out a long
  // rule run is worth another try a few minutes later; tomorrow's prune makes up for a lost one.
  'facts-history-prune': {
    retryLimit: 3,
    retryDelaySeconds: 300,
    retryDelayMaxSeconds: HOUR,
    expireInSeconds: HOUR,
  },
  // Sessions are swept on sign-in traffic as well; the next hour's clean-up makes up for a lost one.
  'session-cleanup': { retryLimit: 1, retryDelaySeconds: 60, retryDelayMaxSeconds: 60, expireInSeconds: 900 },
  // A subscriber that is down is tried again after 1, 2, 4… seconds, then every 5 minutes: twenty
  // retries reach past an hour, and the next job carries on after that. One job per subscriber at
  // a time keeps each task's events in order; several per process let a slow subscriber not hold
  // up the others.
  'event-delivery': {
    retryLimit: 20,
    retryDelaySeconds: 1,
    retryDelayMaxSeconds: 300,
    expireInSeconds: 600,
    policy: 'exclusive',
    workersPerProcess: 4,
    // Up to one a second while decisions flow: a day of them is enough to look back on, and the
    // Event subscribers page keeps each subscriber's own count.
    keepFinishedSeconds: 24 * HOUR,
  },
}

/** The shortest heartbeat pg-boss allows. */
export const MIN_HEARTBEAT_SECONDS = 10
/** A lost worker's job is taken up again within about this long (plus an upkeep pass and the retry delay). */
export const DEFAULT_HEARTBEAT_SECONDS = 30
