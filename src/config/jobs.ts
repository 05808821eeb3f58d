/** Background jobs (docs/decisions/0017-job-queue.md): when the daily ones are sent, and how soon a lost one is retried. */
import type { Environment } from './environment.ts'

export interface JobSettings {
  /** Seconds a running job's worker may go silent (it died) before another instance retries the job. */
  readonly heartbeatSeconds: number
  /** When the audit purge runs: a cron expression in London time, or undefined when it is not scheduled. */
  readonly auditPurgeSchedule: string | undefined
  /** When expired sessions are deleted: as above. */
  readonly sessionCleanupSchedule: string | undefined
  /** When facts versions no task names are pruned: as above. */
  readonly factsPruneSchedule: string | undefined
}

export function jobSettings(e: Environment): JobSettings {
  return {
    heartbeatSeconds: e.IPIC_JOB_HEARTBEAT_SECONDS,
    // The environment reads "off" as null, so that its default does not take the place of undefined.
    auditPurgeSchedule: e.IPIC_AUDIT_PURGE_SCHEDULE ?? undefined,
    sessionCleanupSchedule: e.IPIC_SESSION_CLEANUP_SCHEDULE ?? undefined,
    factsPruneSchedule: e.IPIC_FACTS_PRUNE_SCHEDULE ?? undefined,
  }
}
