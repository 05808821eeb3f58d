/**
 * What each kind of background job does, for whichever process works the
 * queue (`ipic serve`, `ipic jobs work`, `ipic import` while it waits for
 * its run). Each handler calls the same code the matching command does, so
 * a job and the command give the same result; what a handler returns is the
 * job's outcome, shown by `ipic jobs` and the Background jobs page.
 */
import { sql } from 'kysely'
import { DatabaseSessionStore } from '../access/session-store.ts'
import { sessionLimits } from '../access/session-timeout.ts'
import { purgeAuditEvents } from '../audit/retention.ts'
import type { Database } from '../db/connect.ts'
import { IMPORT_LOCK_KEY } from '../db/import-lock.ts'
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions, deliverPending } from '../events/delivery.ts'
import { serviceAddressOf } from '../events/service.ts'
import { FinalJobError, type JobHandlers } from '../jobs/queue.ts'
import type { RuleSet } from '../rules/model.ts'
import { pruneFactsHistory } from '../tasks/facts-history-pruning.ts'
import type { RunSummary } from '../tasks/rule-run.ts'
import { isExpectedError } from './errors.ts'
import { type LiveRuntime, runLiveRules } from './rules-run.ts'

/** How often a rule run that arrived during an import looks again whether the import has finished. */
const IMPORT_WAIT_MS = 2000

export interface JobHandlerOptions {
  /** The rule set the process loaded at start (the service's); loaded from the rules directory when absent. */
  readonly ruleSet?: () => RuleSet
  /** How long to wait between looks at a running import (tests shorten it). */
  readonly importWaitMs?: number
  /** How decision events are posted to subscribers (tests shorten the timeout). */
  readonly eventDelivery?: Partial<DeliveryOptions>
}

export function jobHandlers(runtime: LiveRuntime, options: JobHandlerOptions = {}): JobHandlers {
  const { config, clock, database, logger } = runtime
  return {
    'rule-run': async ({ trigger, full }, job) => {
      // A run refused because an import is half way would fail, and record a failed run, every time
      // it was retried: it waits for the import instead, as the job's heartbeats keep it its own.
      await untilNoImportRuns(database, options.importWaitMs ?? IMPORT_WAIT_MS)
      const summary = await finalIfExpected(async () => {
        const ruleSet = options.ruleSet?.()
        return runLiveRules(runtime, trigger, { full, ...(ruleSet ? { ruleSet } : {}) })
      })
      logger.info({ jobId: job.id, attempt: job.attempt, runId: summary.runId }, 'rule run job completed')
      return summary
    },
    'audit-purge': async () => {
      const { before, deleted } = await purgeAuditEvents(database.db, {
        now: clock.now(),
        retentionDays: config.audit.retentionDays,
        userId: null,
      })
      return { before: before.toISOString(), deleted, retentionDays: config.audit.retentionDays }
    },
    'session-cleanup': async () => {
      // Session ages are real time, as the web layer keeps them, whatever date a demo fixes.
      const limits = sessionLimits(config.sessionIdleMinutes, config.sessionMaxHours)
      const store = new DatabaseSessionStore(database.db, {
        idleMinutes: config.sessionIdleMinutes,
        rememberTimedOutMs: limits.maxAgeMs,
      })
      return { deleted: await store.pruneExpired() }
    },
    // A run holding its lock past the prune's wait fails this attempt; the retry comes minutes later.
    'facts-history-prune': () => pruneFactsHistory(database.db),
    'event-delivery': async ({ subscriberId }, job) => {
      const outcome = await deliverPending(database.db, subscriberId, serviceAddressOf(config), {
        ...DEFAULT_DELIVERY_OPTIONS,
        ...options.eventDelivery,
      })
      logger.debug({ jobId: job.id, subscriberId, ...outcome }, 'event delivery job completed')
      return outcome
    },
  }
}

/**
 * Errors a person must act on (a rule set with problems or not published)
 * would fail every retry the same way: the job fails at once, with the
 * message the command would have printed.
 */
async function finalIfExpected<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw isExpectedError(error) ? new FinalJobError(error.message) : error
  }
}

/**
 * A rule run job's outcome is the run's summary, kept as JSON with the job:
 * this turns it back into one, for the import that queued the run to print.
 */
export function runSummaryFrom(outcome: unknown): RunSummary {
  const summary = outcome as RunSummary & { startedAt: string; finishedAt: string }
  return { ...summary, startedAt: new Date(summary.startedAt), finishedAt: new Date(summary.finishedAt) }
}

/**
 * Returns once no import holds its lock. Probed the way the run's own guard
 * probes it (src/tasks/run-lock.ts): taken shared and given back in one
 * statement, so this never holds it and never keeps an import from starting.
 */
async function untilNoImportRuns(database: Database, waitMs: number): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ free: boolean }>`
      select case when pg_try_advisory_lock_shared(${sql.raw(IMPORT_LOCK_KEY)})
        then pg_advisory_unlock_shared(${sql.raw(IMPORT_LOCK_KEY)}) else false end as free`.execute(
      database.db,
    )
    if (rows[0]?.free === true) return
    await new Promise((resolve) => setTimeout(resolve, waitMs))
  }
}
