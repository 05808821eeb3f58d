/**
 * The kinds of background job and what each carries. A payload is checked
 * when the job is queued (a bad one is refused there, saying what is wrong)
 * and again when a worker takes it: a job queued by hand or by another
 * release is failed with the same words rather than run on a guess.
 */
import { z } from 'zod'

const PAYLOADS = {
  /** The live rule set's run: after an import, or asked for. */
  'rule-run': z.strictObject({
    trigger: z.enum(['import', 'manual', 'api']),
    full: z.boolean(),
  }),
  /** The daily purge of audit events past IPIC_AUDIT_RETENTION_DAYS. */
  'audit-purge': z.strictObject({}),
  /** The daily removal of expired sessions. */
  'session-cleanup': z.strictObject({}),
  /** The daily removal of facts versions no task names (src/tasks/facts-history-pruning.ts). */
  'facts-history-prune': z.strictObject({}),
  /** Delivering one subscriber's pending decision events (src/events/delivery.ts): one at a time per subscriber. */
  'event-delivery': z.strictObject({ subscriberId: z.number().int().positive() }),
} as const

export type JobKind = keyof typeof PAYLOADS
export type JobPayload<K extends JobKind> = z.infer<(typeof PAYLOADS)[K]>

export const JOB_KINDS = Object.keys(PAYLOADS) as JobKind[]

export function isJobKind(name: string): name is JobKind {
  return Object.hasOwn(PAYLOADS, name)
}

export class JobPayloadError extends Error {}

/** The payload, checked; a JobPayloadError naming the kind and each problem otherwise. */
export function checkedPayload<K extends JobKind>(kind: K, data: unknown): JobPayload<K> {
  const result = PAYLOADS[kind].safeParse(data ?? {})
  if (result.success) return result.data as JobPayload<K>
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  )
  throw new JobPayloadError(`A ${kind} job's payload is not valid: ${problems.join('; ')}`)
}
