/**
 * The one writer of task_events: every status change of a task appends a
 * row, in the transaction that makes the change, with the task's new
 * version and who made it: a caseworker (their decision's reasons, details,
 * note and confirmation), or a rule run (its ID and rule-set version). The
 * table refuses updates and deletes (migration 0004), so the history is
 * never rewritten.
 */
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { DecisionStatus } from './task.ts'

/** The rule run making a change, as each of its events names it, and the instant it records. */
export interface RunEventSource {
  readonly runId: number
  readonly ruleSetVersion: string
  readonly now: Date
}

/** The statuses a rule run sets: it recommends (or recommends again) and withdraws. */
export type RunStatus = 'RECOMMENDED' | 'WITHDRAWN'

/**
 * An INSERT of one event per row of `changed`, a query named earlier in the
 * same WITH (its id and version columns): for a run's statement that
 * changes tasks and records them in one pass over the rows.
 */
export function runEventsOf(changed: string, status: RunStatus, run: RunEventSource): RawBuilder<unknown> {
  return sql`
    insert into task_events (task_id, task_version, status, occurred_at, run_id, rule_set_version)
    select id, version, ${sql.lit(status)}, ${run.now}::timestamptz, ${run.runId}::bigint, ${run.ruleSetVersion}::text
    from ${sql.table(changed)}`
}

/** A caseworker's decision as its event records it: only what the decision's status asks for is set. */
export interface DecisionEvent {
  readonly taskId: number
  readonly taskVersion: number
  readonly status: DecisionStatus
  readonly occurredAt: Date
  readonly userId: string
  readonly reasons: string[] | null
  readonly details: string | null
  readonly note: string | null
  readonly checksConfirmed: boolean | null
}

/** Writes the decision's event and returns its id, which the evidence of review points at. */
export async function recordDecisionEvent(trx: Transaction<Tables>, event: DecisionEvent): Promise<number> {
  const { id } = await trx
    .insertInto('task_events')
    .values({
      task_id: event.taskId,
      task_version: event.taskVersion,
      status: event.status,
      occurred_at: event.occurredAt,
      user_id: event.userId,
      run_id: null,
      rule_set_version: null,
      reasons: event.reasons,
      details: event.details,
      note: event.note,
      checks_confirmed: event.checksConfirmed,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}
