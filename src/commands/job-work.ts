/**
 * Opening the job queue for a process that works it: every instance of the
 * service, and `ipic jobs work`. Each sets the daily schedules from the
 * configuration (the same on every instance, so whichever starts last
 * changes nothing) and takes jobs of every kind.
 */
import type { Config } from '../config.ts'
import { startDispatching } from '../events/dispatcher.ts'
import { JOB_KINDS, type JobKind } from '../jobs/kinds.ts'
import { JobQueue, type JobQueueOptions } from '../jobs/queue.ts'
import { UserFacingError } from './errors.ts'
import { type JobHandlerOptions, jobHandlers } from './job-handlers.ts'
import type { LiveRuntime } from './rules-run.ts'

/** Which configuration variable sets each scheduled kind, for messages that name it. */
const SCHEDULE_VARIABLES = {
  'audit-purge': 'IPIC_AUDIT_PURGE_SCHEDULE',
  'session-cleanup': 'IPIC_SESSION_CLEANUP_SCHEDULE',
  'facts-history-prune': 'IPIC_FACTS_PRUNE_SCHEDULE',
} as const satisfies Partial<Record<JobKind, string>>

type ScheduledKind = keyof typeof SCHEDULE_VARIABLES

function scheduleOf(config: Config, kind: ScheduledKind): string | undefined {
  const schedules: Record<ScheduledKind, string | undefined> = {
    'audit-purge': config.jobs.auditPurgeSchedule,
    'session-cleanup': config.jobs.sessionCleanupSchedule,
    'facts-history-prune': config.jobs.factsPruneSchedule,
  }
  return schedules[kind]
}

/** The queue's settings from the configuration: how soon a silent worker's job is retried. */
export function queueOptions(config: Config, extra: JobQueueOptions = {}): JobQueueOptions {
  return { heartbeatSeconds: config.jobs.heartbeatSeconds, ...extra }
}

export interface JobWorkOptions extends JobHandlerOptions {
  /**
   * Only these kinds, as a command's helper (`ipic import` waiting for its
   * run): it retries the jobs of workers that died, as an instance does,
   * but sends no scheduled job and leaves the queues'
   * settings and schedules to the service's instances.
   */
  readonly onlyKinds?: readonly JobKind[]
}

/**
 * Opens the queue and starts taking jobs; the caller closes it. An instance
 * (no `onlyKinds`) also applies the job settings and schedules.
 */
export async function startJobWork(runtime: LiveRuntime, options: JobWorkOptions = {}): Promise<JobQueue> {
  const { config, database } = runtime
  const url = config.database.kind === 'postgres' ? config.database.url : undefined
  const helper = options.onlyKinds !== undefined
  const queue = await JobQueue.open(
    database,
    url,
    queueOptions(config, helper ? { sendScheduled: false, applySettings: false } : {}),
  )
  try {
    for (const kind of helper ? [] : (Object.keys(SCHEDULE_VARIABLES) as ScheduledKind[])) {
      await queue.schedule(kind, scheduleOf(config, kind)).catch((error: unknown) => {
        throw new UserFacingError(
          `${SCHEDULE_VARIABLES[kind]} is not a schedule the job queue accepts: ${(error as Error).message}`,
        )
      })
    }
    const handlers = jobHandlers(runtime, options)
    const kinds = new Set(options.onlyKinds ?? JOB_KINDS)
    await queue.work(
      Object.fromEntries(Object.entries(handlers).filter(([kind]) => kinds.has(kind as JobKind))),
    )
    // Decision events move wherever the queue is worked in full: sequenced, and their deliveries queued.
    if (!helper) {
      startDispatching(runtime.database, queue, {
        onError: (error) => runtime.logger.warn({ err: error }, 'decision events: a dispatch pass failed'),
      })
    }
    return queue
  } catch (error) {
    await queue.close()
    throw error
  }
}
