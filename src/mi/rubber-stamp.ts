/**
 * Rubber-stamp monitoring from the evidence of review recorded with each
 * decision (src/tasks/review-evidence.ts): per user and per rule version,
 * how many decisions in the range were taken without opening the barriers,
 * vulnerability or family status sections, and how many in under a number
 * of seconds from the decider's first opening of the task.
 *
 * Every decision counts (accept, reject, place on hold, a change of one),
 * each as its decider took it. A figure is a prompt for a manager's
 * conversation, never a score: see docs/decisions/0015-review-evidence.md.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { DashboardCriteria } from './dashboard.ts'
import { londonDayRange, regionCondition } from './report-query.ts'

/** The case pages whose opening the rubber-stamp monitoring looks for, by their audited names. */
export const KEY_SECTIONS = ['barriers', 'vulnerability', 'family-status'] as const
export type KeySection = (typeof KEY_SECTIONS)[number]

/** The counts behind one row's figures. */
export interface ReviewCounts {
  readonly decisions: number
  readonly withoutBarriers: number
  readonly withoutVulnerability: number
  readonly withoutFamilyStatus: number
  /** Decided in under the quick-decision seconds of the decider's first opening of the task. */
  readonly quick: number
}

export interface MonitoredUser extends ReviewCounts {
  readonly userId: string
  readonly name: string | null
}

export interface MonitoredRuleVersion extends ReviewCounts {
  readonly ruleVersion: string
}

export interface RubberStampMonitoring {
  /** Under this many seconds from first opening to decision counts as quick (IPIC_QUICK_DECISION_SECONDS). */
  readonly quickSeconds: number
  readonly byUser: readonly MonitoredUser[]
  readonly byRuleVersion: readonly MonitoredRuleVersion[]
}

/** A count as a share of its whole; null when there is no whole to share. */
export function share(count: number, of: number): number | null {
  return of > 0 ? count / of : null
}

function counts(quickSeconds: number): RawBuilder<unknown> {
  // A decision with no opening on record has no time to judge: it is not counted as quick.
  return sql`count(*)::int as decisions,
    (count(*) filter (where not ('barriers' = any(r.sections_opened))))::int as "withoutBarriers",
    (count(*) filter (where not ('vulnerability' = any(r.sections_opened))))::int as "withoutVulnerability",
    (count(*) filter (where not ('family-status' = any(r.sections_opened))))::int as "withoutFamilyStatus",
    (count(*) filter (where r.seconds_to_decision < ${quickSeconds}))::int as quick`
}

/** The evidence of decisions in the range, the region scope and the task type, with any further joins. */
function evidenceInScope(
  criteria: DashboardCriteria,
  joins: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  const taskType = criteria.taskType ? sql`t.task_type = ${criteria.taskType}` : sql`true`
  return sql`review_evidence r join tasks t on t.id = r.task_id ${joins}
    where ${londonDayRange(sql.ref('r.decided_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}
      and ${taskType}`
}

export async function rubberStampMonitoring(
  db: Kysely<Tables>,
  criteria: DashboardCriteria,
  quickSeconds: number,
): Promise<RubberStampMonitoring> {
  const byUser = await sql<MonitoredUser>`
    select r.user_id as "userId", u.name, ${counts(quickSeconds)}
    from ${evidenceInScope(criteria, sql`left join users u on u.id = r.user_id`)}
    group by r.user_id, u.name order by r.user_id`.execute(db)
  const byRuleVersion = await sql<MonitoredRuleVersion>`
    select r.rule_set_version as "ruleVersion", ${counts(quickSeconds)}
    from ${evidenceInScope(criteria)}
    group by r.rule_set_version order by r.rule_set_version`.execute(db)
  return { quickSeconds, byUser: byUser.rows, byRuleVersion: byRuleVersion.rows }
}
