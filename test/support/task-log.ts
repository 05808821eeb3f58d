/**
 * Whether the tasks and their event logs agree, for the tests that race,
 * kill and cut off the service: every task's events, in version order,
 * replay to the task as it stands. Each problem is a sentence naming the
 * task, so a failure says what went wrong where.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'

export interface TaskLogOptions {
  /**
   * Whether every task's log starts with the rules' recommendation at
   * version 1: true for tasks the rules created, false for tasks a test
   * wrote straight to the table (their log starts at their first decision).
   */
  readonly createdByRules: boolean
}

interface TaskLogRow {
  readonly id: number
  readonly status: string
  readonly version: number
  readonly statuses: string[] | null
  readonly versions: number[] | null
}

/**
 * Every task whose log does not replay to it: no event at all (when the
 * rules made it), a version missing or recorded twice, a first event that
 * is not the recommendation, or a last event whose status or version is not
 * the task's own. Empty when all is well.
 */
export async function taskLogProblems(db: Kysely<Tables>, options: TaskLogOptions): Promise<string[]> {
  const { rows } = await sql<TaskLogRow>`
    select t.id, t.status, t.version,
      array_agg(e.status order by e.task_version, e.id) filter (where e.id is not null) as statuses,
      array_agg(e.task_version order by e.task_version, e.id) filter (where e.id is not null) as versions
    from tasks t left join task_events e on e.task_id = t.id
    group by t.id, t.status, t.version
    order by t.id`.execute(db)
  const problems: string[] = []
  for (const task of rows) problems.push(...problemsOf(task, options))
  const orphans = await sql<{ task_id: number }>`
    select distinct e.task_id from task_events e
    where not exists (select 1 from tasks t where t.id = e.task_id)`.execute(db)
  for (const orphan of orphans.rows) problems.push(`events for task ${orphan.task_id}, which does not exist`)
  return problems
}

function problemsOf(task: TaskLogRow, options: TaskLogOptions): string[] {
  const statuses = (task.statuses ?? []).map(String)
  const versions = (task.versions ?? []).map(Number)
  const name = `task ${task.id} (${task.status}, version ${task.version})`
  if (versions.length === 0) {
    return options.createdByRules || Number(task.version) > 1 ? [`${name} has no events`] : []
  }
  const problems: string[] = []
  const first = versions[0] ?? 0
  if (options.createdByRules && (first !== 1 || statuses[0] !== 'RECOMMENDED')) {
    problems.push(`${name} starts at version ${first} with ${statuses[0]}, not the recommendation`)
  }
  versions.forEach((version, index) => {
    if (index > 0 && version !== (versions[index - 1] ?? 0) + 1) {
      problems.push(`${name}: version ${version} follows ${versions[index - 1]} (missing or recorded twice)`)
    }
  })
  if (versions.at(-1) !== Number(task.version) || statuses.at(-1) !== task.status) {
    problems.push(`${name}: its last event is ${statuses.at(-1)} at version ${versions.at(-1)}`)
  }
  return problems
}

/** Decision events (those a user made) per user: how many each user's decisions the log holds. */
export async function decisionsByUser(db: Kysely<Tables>): Promise<Map<string, DecisionEventKey[]>> {
  const rows = await db
    .selectFrom('task_events')
    .select(['user_id', 'task_id', 'status'])
    .where('user_id', 'is not', null)
    .orderBy('id')
    .execute()
  const byUser = new Map<string, DecisionEventKey[]>()
  for (const row of rows) {
    const list = byUser.get(row.user_id as string) ?? []
    list.push(`${row.task_id}:${row.status}`)
    byUser.set(row.user_id as string, list)
  }
  return byUser
}

/** A decision as "taskId:STATUS", comparable across the log and what a client was told. */
export type DecisionEventKey = `${number}:${string}`

/**
 * Decisions written in part: a decision event without its evidence of
 * review or its audit event, which are written in the same transaction.
 */
export async function halfWrittenDecisions(db: Kysely<Tables>): Promise<string[]> {
  const { rows } = await sql<{ decisions: number; evidence: number; audited: number; bare: number }>`
    select
      (select count(*) from task_events where user_id is not null)::int as decisions,
      (select count(*) from review_evidence)::int as evidence,
      (select count(*) from audit_events where kind = 'decision')::int as audited,
      (select count(*) from task_events e where e.user_id is not null
        and not exists (select 1 from review_evidence r where r.task_event_id = e.id))::int as bare`.execute(
    db,
  )
  const row = rows[0]
  if (!row) return ['nothing counted']
  const problems: string[] = []
  if (row.bare > 0) problems.push(`${row.bare} decisions have no evidence of review`)
  if (row.evidence !== row.decisions || row.audited !== row.decisions) {
    problems.push(
      `${row.decisions} decisions, ${row.evidence} records of evidence, ${row.audited} audit events`,
    )
  }
  return problems
}

/** What one caseworker was told of their decisions. */
export interface ToldDecisions {
  readonly userId: string
  /** Confirmed: the confirmation page's address came back. */
  readonly confirmed: readonly DecisionEventKey[]
  /** Sent, but the answer was lost (the database or the instance went away): made or not. */
  readonly unknown: readonly DecisionEventKey[]
}

/**
 * Decisions lost or doubled: a confirmed decision missing from the log, or a
 * decision in the log that is neither confirmed nor one whose answer was lost.
 */
export async function lostOrDoubledDecisions(
  db: Kysely<Tables>,
  caseworkers: readonly ToldDecisions[],
): Promise<string[]> {
  const logged = await decisionsByUser(db)
  const problems: string[] = []
  for (const { userId, confirmed, unknown } of caseworkers) {
    const inLog = [...(logged.get(userId) ?? [])]
    const mayBe = [...unknown]
    for (const decision of confirmed) {
      const at = inLog.indexOf(decision)
      if (at < 0) problems.push(`${userId}'s decision ${decision} was confirmed but is not in the log`)
      else inLog.splice(at, 1)
    }
    for (const decision of inLog) {
      const at = mayBe.indexOf(decision)
      if (at < 0) problems.push(`${userId}'s decision ${decision} is in the log more often than it was made`)
      else mayBe.splice(at, 1)
    }
  }
  return problems
}
