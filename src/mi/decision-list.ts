/**
 * The decisions behind a dashboard figure: each decision (accept, reject,
 * place on hold) one user took, or taken on one rule-set version's tasks,
 * in the dashboard's range, regions and task type, with the evidence of
 * review recorded with it. A manager who sees a flag ("Check decisions", a
 * high share decided without opening the barriers) reads here which cases
 * it is about before talking with the caseworker.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { DashboardCriteria } from './dashboard.ts'
import { londonDayRange, regionCondition } from './report-query.ts'
import type { KeySection } from './rubber-stamp.ts'

/** Whose decisions: one user's, or those on the tasks of one rule-set version. */
export type DecisionsOf = { readonly userId: string } | { readonly ruleVersion: string }

/** The most decisions one page lists: a flag is about a pattern, which this many show. */
export const DECISION_LIST_LIMIT = 500

export interface ListedDecision {
  readonly taskId: number
  readonly personId: string
  readonly taskType: string
  readonly status: 'ACCEPTED' | 'REJECTED' | 'ON_HOLD'
  readonly decidedAt: Date
  readonly userId: string
  readonly userName: string | null
  readonly ruleVersion: string
  /** Null for a decision taken before evidence of review was recorded. */
  readonly evidence: {
    readonly sectionsNotOpened: readonly KeySection[]
    /** From the decider's first opening of the task; null when they never opened it. */
    readonly secondsToDecision: number | null
  } | null
}

export interface DecisionList {
  readonly decisions: readonly ListedDecision[]
  /** All the decisions that match, of which the first DECISION_LIST_LIMIT are listed. */
  readonly total: number
}

interface Row {
  readonly taskId: number
  readonly personId: string
  readonly taskType: string
  readonly status: ListedDecision['status']
  readonly decidedAt: Date
  readonly userId: string
  readonly userName: string | null
  readonly ruleVersion: string
  readonly sectionsOpened: string[] | null
  readonly secondsToDecision: number | null
  readonly total: number
}

const KEY_SECTIONS_IN_ORDER: readonly KeySection[] = ['barriers', 'vulnerability', 'family-status']

export async function decisionList(
  db: Kysely<Tables>,
  criteria: DashboardCriteria,
  of: DecisionsOf,
): Promise<DecisionList> {
  const whose =
    'userId' in of
      ? sql`e.user_id = ${of.userId}`
      : sql`coalesce(r.rule_set_version, t.rule_set_version) = ${of.ruleVersion}`
  const taskType = criteria.taskType ? sql`t.task_type = ${criteria.taskType}` : sql`true`
  const result = await sql<Row>`
    select t.id as "taskId", t.person_id as "personId", tt.name as "taskType", e.status,
      e.occurred_at as "decidedAt", e.user_id as "userId", u.name as "userName",
      coalesce(r.rule_set_version, t.rule_set_version) as "ruleVersion",
      r.sections_opened as "sectionsOpened", r.seconds_to_decision::float8 as "secondsToDecision",
      (count(*) over ())::int as total
    from task_events e
      join tasks t on t.id = e.task_id
      join task_types tt on tt.code = t.task_type
      left join review_evidence r on r.task_event_id = e.id
      left join users u on u.id = e.user_id
    where e.status in ('ACCEPTED', 'REJECTED', 'ON_HOLD') and e.user_id is not null
      and ${londonDayRange(sql.ref('e.occurred_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}
      and ${taskType} and ${whose}
    order by e.occurred_at desc, e.id desc
    limit ${DECISION_LIST_LIMIT}`.execute(db)
  return {
    total: result.rows[0]?.total ?? 0,
    decisions: result.rows.map(({ sectionsOpened, secondsToDecision, total: _, ...row }) => ({
      ...row,
      evidence:
        sectionsOpened === null
          ? null
          : {
              sectionsNotOpened: KEY_SECTIONS_IN_ORDER.filter((section) => !sectionsOpened.includes(section)),
              secondsToDecision,
            },
    })),
  }
}
