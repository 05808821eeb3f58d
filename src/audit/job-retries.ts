/**
 * A retry of a failed background job, as an event of the audit trail: who
 * asked (an administrator on the Background jobs page, or the account that
 * ran `ipic jobs retry`), which job, and when. Written in the retry's own
 * transaction (src/jobs/queue.ts), so a job is never retried unrecorded.
 */
import type { Clock } from '../clock.ts'
import type { AlongsideRetry } from '../jobs/queue.ts'
import { type JobRetriedBy, recordAuditEvent } from './events.ts'

export type { JobRetriedBy }

/** What the retry does alongside: records the event, at the clock's now. */
export function recordJobRetry(clock: Clock, by: JobRetriedBy): AlongsideRetry {
  return (trx, job) =>
    recordAuditEvent(trx, { kind: 'job-retried', at: clock.now(), jobId: job.id, jobKind: job.kind, ...by })
}
