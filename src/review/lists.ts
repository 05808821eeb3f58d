/**
 * The review tabs: how many tasks each holds and one page of each, for one
 * region and, when there is one, the caseworker's search.
 *
 * Region is a boundary: every query narrows the user's scope to the chosen
 * region in SQL, so a region the user may not see yields nothing at all.
 * Decided tasks leave their tab after a retention period (see retention.ts);
 * their events stay in task_events for the MI report.
 */
import { type ExpressionBuilder, expressionBuilder, type Kysely, sql } from 'kysely'
import { inScope, narrowTo, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables, TaskStatus } from '../db/tables.ts'
import { type RetentionDays, retentionStart } from './retention.ts'
import type { TaskSearch } from './search.ts'

export const REVIEW_TABS = ['recommended', 'accepted', 'rejected', 'on-hold'] as const
export type ReviewTab = (typeof REVIEW_TABS)[number]

export const TAB_STATUS: Readonly<Record<ReviewTab, TaskStatus>> = {
  recommended: 'RECOMMENDED',
  accepted: 'ACCEPTED',
  rejected: 'REJECTED',
  'on-hold': 'ON_HOLD',
}

export function isReviewTab(value: string): value is ReviewTab {
  return (REVIEW_TABS as readonly string[]).includes(value)
}

/** The guide's page size: "IPIC will display 100 cases per page". */
export const PAGE_SIZE = 100

export interface TabCounts {
  readonly recommended: number
  readonly accepted: number
  readonly rejected: number
  readonly onHold: number
}

/** Where to look: a region, within what the user may see, on a given day. */
export interface ListWhere {
  readonly region: string
  readonly scope: RegionScope
  readonly today: IsoDate
  readonly retention: RetentionDays
  /** Null before the caseworker has searched: every task in the region. */
  readonly search: TaskSearch | null
}

export interface TaskListRow {
  readonly taskId: number
  readonly personId: string
  readonly name: string
  /** The short name of the business area that referred the person (e.g. "RP"); null when the rules recommended it directly. */
  readonly referral: string | null
  readonly reportingDate: IsoDate | null
  readonly taskType: string
  readonly priority: number
  /** Who made the last decision and when: null on the Recommended tab. */
  readonly decidedBy: string | null
  readonly decidedAt: Date | null
}

export interface TaskListPage {
  readonly rows: readonly TaskListRow[]
  /** Every task on the tab for this search, not only this page's. */
  readonly total: number
  readonly page: number
  readonly pageSize: number
}

type TaskQueryTables = Tables & { t: Tables['tasks'] }

/**
 * The conditions shared by counting and listing: the region, the search and
 * the status with its retention window. The person is joined only when the
 * search filters on the person's own data (nationality, location).
 */
function matchingTasks(db: Kysely<Tables>, where: ListWhere) {
  const scope = narrowTo(where.scope, where.region)
  const search = where.search
  const needsPerson = search !== null && (search.countries.length > 0 || search.location !== null)
  let query = db
    .selectFrom('tasks as t')
    .where((eb) => inScope(eb as ExpressionBuilder<TaskQueryTables, 't'>, 't.rom_region', scope))
    .where('t.rom_region', '=', where.region)
  if (search) {
    query = query
      .where('t.task_type', 'in', [...search.taskTypes])
      // A task tied to no reporting event (a follow-up of missed reporting, an
      // old barrier, a safeguarding referral) is due now: every search for its
      // task type finds it, whatever the date range.
      .where((eb) =>
        eb.or([eb.between('t.reporting_date', search.from, search.to), eb('t.reporting_date', 'is', null)]),
      )
  }
  if (needsPerson && search) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('persons as p')
          .select(sql.lit(1).as('one'))
          .whereRef('p.person_id', '=', 't.person_id')
          .$if(search.countries.length > 0, (q) => q.where('p.nationality', 'in', [...search.countries]))
          .$if(search.location !== null, (q) => q.where('p.reporting_location', '=', search.location ?? '')),
      ),
    )
  }
  return query
}

function statusCondition(tab: ReviewTab, where: ListWhere) {
  const status = TAB_STATUS[tab]
  return (eb: ExpressionBuilder<TaskQueryTables, 't'>) => {
    const isStatus = eb('t.status', '=', status)
    const start = retentionStart(status, where.today, where.retention)
    if (start === null) return isStatus
    return eb.and([
      isStatus,
      eb('t.status_changed_at', '>=', sql<Date>`${start}::date::timestamp at time zone 'Europe/London'`),
    ])
  }
}

export async function countTabs(db: Kysely<Tables>, where: ListWhere): Promise<TabCounts> {
  const counted = (tab: ReviewTab) =>
    sql<number>`count(*) filter (where ${statusCondition(tab, where)(expressionBuilder<TaskQueryTables, 't'>())})`
  // One pass over the region's tasks: each tab is a filtered count.
  const row = await matchingTasks(db, where)
    .where('t.status', 'in', ['RECOMMENDED', 'ACCEPTED', 'REJECTED', 'ON_HOLD'])
    .select([
      counted('recommended').as('recommended'),
      counted('accepted').as('accepted'),
      counted('rejected').as('rejected'),
      counted('on-hold').as('onHold'),
    ])
    .executeTakeFirstOrThrow()
  return {
    recommended: Number(row.recommended),
    accepted: Number(row.accepted),
    rejected: Number(row.rejected),
    onHold: Number(row.onHold),
  }
}

/**
 * One page of a tab, highest priority first, then the earliest reporting
 * date, then the oldest task, so that a page boundary never shuffles.
 * The page's tasks are chosen first (with the total alongside, from one
 * scan), and only those 100 are joined to names and referrals.
 */
export async function listTasks(
  db: Kysely<Tables>,
  tab: ReviewTab,
  where: ListWhere,
  page: number,
): Promise<TaskListPage> {
  const offset = (page - 1) * PAGE_SIZE
  const rows = await db
    .with('page_tasks', () =>
      matchingTasks(db, where)
        .where(statusCondition(tab, where))
        .select(['t.id', 't.priority', 't.reporting_date', sql<number>`count(*) over ()`.as('total')])
        .orderBy('t.priority', 'desc')
        .orderBy(sql`t.reporting_date asc nulls last`)
        .orderBy('t.id', 'asc')
        .limit(PAGE_SIZE)
        .offset(offset),
    )
    .selectFrom('page_tasks as pt')
    .innerJoin('tasks as t', 't.id', 'pt.id')
    .innerJoin('persons as p', 'p.person_id', 't.person_id')
    .leftJoin('task_types as tt', 'tt.code', 't.task_type')
    .leftJoin('users as u', 'u.id', 't.status_changed_by')
    .select((eb) => [
      't.id as taskId',
      't.person_id as personId',
      'p.given_names as givenNames',
      'p.family_name as familyName',
      't.reporting_date as reportingDate',
      't.task_type as taskTypeCode',
      'tt.name as taskTypeName',
      't.priority as priority',
      't.status_changed_by as changedBy',
      'u.name as changedByName',
      't.status_changed_at as changedAt',
      'pt.total as total',
      // The most recent referral, if a business area referred the person.
      eb
        .selectFrom('referrals as r')
        .innerJoin('business_areas as ba', 'ba.code', 'r.business_area')
        .select('ba.short_name')
        .whereRef('r.person_id', '=', 't.person_id')
        .orderBy('r.referred_on', 'desc')
        .orderBy('r.position', 'desc')
        .limit(1)
        .as('referral'),
    ])
    .orderBy('pt.priority', 'desc')
    .orderBy(sql`pt.reporting_date asc nulls last`)
    .orderBy('pt.id', 'asc')
    .execute()

  // Past the last page the window has no row to carry the total: count on its own.
  const total =
    rows.length > 0
      ? Number(rows[0]?.total)
      : Number(
          (
            await matchingTasks(db, where)
              .where(statusCondition(tab, where))
              .select(sql<number>`count(*)`.as('total'))
              .executeTakeFirstOrThrow()
          ).total,
        )

  const decided = tab !== 'recommended'
  return {
    total,
    page,
    pageSize: PAGE_SIZE,
    rows: rows.map((row) => ({
      taskId: Number(row.taskId),
      personId: row.personId,
      name: `${row.givenNames} ${row.familyName}`.trim(),
      referral: row.referral ?? null,
      reportingDate: row.reportingDate as IsoDate | null,
      taskType: row.taskTypeName ?? row.taskTypeCode,
      priority: Number(row.priority),
      decidedBy: decided ? (row.changedByName ?? row.changedBy) : null,
      decidedAt: decided ? new Date(row.changedAt) : null,
    })),
  }
}

/** The last page a tab has for `total` tasks (1 when it is empty, so page 1 always exists). */
export function lastPage(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize))
}
