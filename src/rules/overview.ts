/**
 * What the rules page shows: the rule set in force, the task types it
 * serves, and the last rule runs with their counts (put together by the
 * live rule set, live-rules.ts).
 */
import type { Kysely } from 'kysely'
import type { RuleRunStatus, Tables } from '../db/tables.ts'
import type { RuleSetProblem } from './load.ts'
import type { RuleSet } from './model.ts'
import type { RunCount } from './run-counts.ts'

export interface TaskTypeEntry {
  readonly code: string
  readonly name: string
  readonly description: string
  readonly enforcement: boolean
}

export interface RuleRunRecord {
  readonly id: number
  readonly ruleSetVersion: string
  readonly trigger: string
  readonly status: RuleRunStatus
  readonly startedAt: Date
  readonly finishedAt: Date | null
  readonly personsEvaluated: number | null
  /** Per task type and region; empty unless the run completed. */
  readonly counts: readonly RunCount[]
  readonly failure: string | null
}

export type LiveRuleSet =
  | { readonly kind: 'loaded'; readonly ruleSet: RuleSet }
  | { readonly kind: 'invalid'; readonly problems: readonly RuleSetProblem[] }

export interface RulesOverview {
  readonly live: LiveRuleSet
  readonly taskTypes: readonly TaskTypeEntry[]
  readonly runs: { readonly completed: RuleRunRecord | undefined; readonly later: RuleRunRecord | undefined }
  readonly regions: readonly { readonly code: string; readonly name: string }[]
}

/**
 * The most recent completed run, and the most recent run of any status when
 * that is a later one (still running, or failed): the page shows both.
 */
export async function latestRuleRuns(
  db: Kysely<Tables>,
): Promise<{ readonly completed: RuleRunRecord | undefined; readonly later: RuleRunRecord | undefined }> {
  const latest = await db
    .selectFrom('rule_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const completed =
    latest?.status === 'COMPLETED'
      ? latest
      : await db
          .selectFrom('rule_runs')
          .selectAll()
          .where('status', '=', 'COMPLETED')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst()
  return {
    completed: completed ? toRecord(completed) : undefined,
    later: latest && latest.id !== completed?.id ? toRecord(latest) : undefined,
  }
}

/** Rule runs, newest first, before the run `beforeId` when given: the API's list, paged by run ID. */
export async function listRuleRuns(
  db: Kysely<Tables>,
  page: { readonly beforeId?: number | undefined; readonly limit: number },
): Promise<RuleRunRecord[]> {
  const rows = await db
    .selectFrom('rule_runs')
    .selectAll()
    .$if(page.beforeId !== undefined, (q) => q.where('id', '<', page.beforeId as number))
    .orderBy('id', 'desc')
    .limit(page.limit)
    .execute()
  return rows.map(toRecord)
}

export async function findRuleRun(db: Kysely<Tables>, id: number): Promise<RuleRunRecord | undefined> {
  if (!Number.isSafeInteger(id) || id < 1) return undefined
  const row = await db.selectFrom('rule_runs').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toRecord(row) : undefined
}

function toRecord(row: {
  id: number
  rule_set_version: string
  trigger: string
  status: RuleRunStatus
  started_at: Date | string
  finished_at: Date | string | null
  persons_evaluated: number | null
  counts: unknown
  failure: string | null
}): RuleRunRecord {
  return {
    id: row.id,
    ruleSetVersion: row.rule_set_version,
    trigger: row.trigger,
    status: row.status,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    personsEvaluated: row.persons_evaluated,
    counts: Array.isArray(row.counts) ? (row.counts as RunCount[]) : [],
    failure: row.failure,
  }
}
