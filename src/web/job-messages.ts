/**
 * The words of the Background jobs page: what each kind of job is called,
 * each state as a tag, and a completed job's outcome in a sentence.
 */
import type { JobState } from '../jobs/job-list.ts'
import type { JobKind } from '../jobs/kinds.ts'

export const JOB_KIND_NAMES: Readonly<Record<JobKind, string>> = {
  'rule-run': 'Rule run',
  'audit-purge': 'Audit purge',
  'session-cleanup': 'Session clean-up',
  'facts-history-prune': 'Facts history prune',
  'event-delivery': 'Event delivery',
}

/** Each state's words and GOV.UK tag colour: the words carry the meaning, the colour only repeats it. */
export const JOB_STATE_TAGS: Readonly<Record<JobState, { readonly text: string; readonly classes: string }>> =
  {
    queued: { text: 'Queued', classes: 'govuk-tag--grey' },
    running: { text: 'Running', classes: 'govuk-tag--blue' },
    retrying: { text: 'Waiting to retry', classes: 'govuk-tag--yellow' },
    completed: { text: 'Completed', classes: 'govuk-tag--green' },
    failed: { text: 'Failed', classes: 'govuk-tag--red' },
    cancelled: { text: 'Cancelled', classes: 'govuk-tag--grey' },
  }

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`

/** A completed job's outcome in words; undefined when it kept none this page knows how to say. */
export function jobOutcomeWords(kind: string, result: unknown): string | undefined {
  if (result === null || typeof result !== 'object') return undefined
  const r = result as Record<string, unknown>
  if (kind === 'rule-run' && typeof r.runId === 'number' && typeof r.personsEvaluated === 'number') {
    const totals = (r.totals ?? {}) as Record<string, unknown>
    const n = (key: string) => (typeof totals[key] === 'number' ? (totals[key] as number) : 0)
    return (
      `Rule run ${r.runId}: ${count(r.personsEvaluated, 'person', 'persons')} evaluated, ` +
      `${count(n('new'), 'new task', 'new tasks')}, ${n('withdrawn').toLocaleString('en-GB')} withdrawn`
    )
  }
  if (kind === 'audit-purge' && typeof r.deleted === 'number') {
    return `${count(r.deleted, 'audit event', 'audit events')} older than ${r.retentionDays} days deleted`
  }
  if (kind === 'session-cleanup' && typeof r.deleted === 'number') {
    return `${count(r.deleted, 'expired session', 'expired sessions')} deleted`
  }
  if (kind === 'facts-history-prune' && typeof r.removed === 'number' && typeof r.kept === 'number') {
    return (
      `Removed ${count(r.removed, 'facts version', 'facts versions')} that no task names; ` +
      `kept ${r.kept.toLocaleString('en-GB')} (a person's current facts or named by a task)`
    )
  }
  if (kind === 'event-delivery' && typeof r.delivered === 'number') {
    return `${count(r.delivered, 'decision event', 'decision events')} delivered`
  }
  return undefined
}

/** A retry asked for on a job that is no longer failed (retried meanwhile, by someone or the queue). */
export const JOB_NOT_FAILED =
  'This job is no longer failed, so it was not retried: someone may have retried it already. Its state is shown below'
