/**
 * The review tabs: how many tasks each holds and one page of each, for one
 * region and, when there is one, the caseworker's search.
 *
 * Region is a boundary: every query narrows the user's scope to the chosen
 * region in SQL, so a region the user may not see yields nothing at all.
 * Decided tasks leave their tab after a retention period (see retention.ts);
 * their events stay in task_events for the MI report.
 *
 * A page is found through the tab's page index (page-index.ts): a seek to
 * the page's first task in the tasks_review_order index, never an OFFSET.
 * The SQL the three share is in list-query.ts; the review-list service
 * (list-service.ts) keeps page indexes and counts for a while
 * (page-index-cache.ts, docs/decisions/0008).
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables, TaskStatus } from '../db/tables.ts'
import { DUE_DATE, type DueState, dueSoonUntil, dueState } from './due-dates.ts'
import { DEFAULT_ORDER, isDefaultOrder, type ListOrder, orderBy } from './list-order.ts'
import {
  atOrAfter,
  type ListWhere,
  SORT_KEY_COLUMNS,
  type SortKey,
  TAB_ORDER,
  tabTasks,
} from './list-query.ts'
import { buildPageIndex, type PageIndex } from './page-index.ts'

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

export interface TaskListRow {
  readonly taskId: number
  readonly personId: string
  readonly name: string
  /** The short name of the business area that referred the person (e.g. "RP"); null when the rules recommended it directly. */
  readonly referral: string | null
  readonly reportingDate: IsoDate | null
  /** The task type's name. */
  readonly taskType: string
  readonly taskTypeCode: string
  readonly priority: number
  /** The version an assignment from the list must name. */
  readonly version: number
  /** Who is working the task, if anyone. */
  readonly assignedTo: { readonly id: string; readonly name: string } | null
  /** When it should be decided by (due-dates.ts); null when not known. */
  readonly due: IsoDate | null
  /** Past its due date, or due today or within a couple of working days; null for a decided task. */
  readonly dueState: DueState
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

/**
 * Counts the tabs, each with a count of its own, so that each reads only its
 * status's slice of an index: a decided tab starts at its retention window
 * (tasks_decided, migration 0007) rather than reading every decision ever
 * made. `known` carries counts the caller already has (the Recommended total
 * from its page index), which are then not counted again.
 */
export async function countTabs(
  db: Kysely<Tables>,
  where: ListWhere,
  known: { readonly recommended?: number } = {},
): Promise<TabCounts> {
  const tabs = REVIEW_TABS.filter((tab) => !(tab === 'recommended' && known.recommended !== undefined))
  const row = await db
    .selectNoFrom(
      tabs.map((tab) => tabTasks(db, TAB_STATUS[tab], where).select(sql<number>`count(*)`.as('n')).as(tab)),
    )
    .executeTakeFirstOrThrow()
  const count = (tab: ReviewTab) => Number((row as Record<string, unknown>)[tab] ?? 0)
  return {
    recommended: known.recommended ?? count('recommended'),
    accepted: count('accepted'),
    rejected: count('rejected'),
    onHold: count('on-hold'),
  }
}

/** A tab's page index, fresh from the database (the review-list service keeps one for a while: page-index-cache.ts). */
export function indexTab(db: Kysely<Tables>, tab: ReviewTab, where: ListWhere): Promise<PageIndex> {
  return buildPageIndex(db, TAB_STATUS[tab], where, PAGE_SIZE)
}

/**
 * One page of a tab, highest priority first, then the earliest reporting
 * date, then the oldest task, so that a page boundary never shuffles.
 *
 * The page's tasks are found by seeking to the page's first task (from the
 * tab's page index) and taking the next 100 in index order; only those 100
 * are joined to names and referrals. The rows are always read live; with a
 * page index kept for a while (page-index-cache.ts), only where the page
 * starts and the total can be behind: a task decided or added since may move
 * a task across a page boundary, so it shows on two pages or, once, on
 * neither, until the index is rebuilt. Without `index`, one is built fresh.
 */
export async function listTasks(
  db: Kysely<Tables>,
  tab: ReviewTab,
  where: ListWhere,
  page: number,
  index?: PageIndex,
  order: ListOrder = DEFAULT_ORDER,
): Promise<TaskListPage> {
  const pageIndex = index ?? (await indexTab(db, tab, where))
  // Page 1 starts at the top, whatever the index says: new urgent tasks show at once.
  const start = page === 1 ? null : pageIndex.pageStarts[page - 1]
  const rows =
    start === undefined
      ? []
      : isDefaultOrder(order)
        ? await readRows(db, tab, where, () =>
            tabTasks(db, TAB_STATUS[tab], where)
              .$if(start !== null, (q) => q.where(atOrAfter(start as SortKey)))
              .select(['t.id', sql<number>`row_number() over (order by ${TAB_ORDER})`.as('n')])
              .orderBy(TAB_ORDER)
              .limit(PAGE_SIZE),
          )
        : // Another order: number the tab's tasks in it and take the page's hundred (list-order.ts).
          await readRows(db, tab, where, () =>
            db
              .selectFrom(
                tabTasks(db, TAB_STATUS[tab], where)
                  .select(['t.id', sql<number>`row_number() over (order by ${orderBy(order)})`.as('n')])
                  .as('ranked'),
              )
              .select(['ranked.id', 'ranked.n'])
              .where('ranked.n', '>', (page - 1) * PAGE_SIZE)
              .where('ranked.n', '<=', page * PAGE_SIZE),
          )
  return {
    // An index kept for a while may be behind: never say fewer than are shown.
    total:
      rows.length > 0 ? Math.max(pageIndex.total, (page - 1) * PAGE_SIZE + rows.length) : pageIndex.total,
    page,
    pageSize: PAGE_SIZE,
    rows,
  }
}

/** Tasks of a tab from a sort key on, and where the next lot starts (null after the last). */
export interface TasksFrom {
  readonly rows: readonly TaskListRow[]
  readonly next: SortKey | null
}

/**
 * Up to `limit` tasks of a tab in its order, starting at `start` (the top
 * when null): a seek in the tasks_review_order index, as a page is, with
 * no page index. The key of the task after the last is where the next lot
 * starts, so a caller pages by key through a tab however it changes meanwhile.
 */
export async function listTasksFrom(
  db: Kysely<Tables>,
  tab: ReviewTab,
  where: ListWhere,
  start: SortKey | null,
  limit: number,
): Promise<TasksFrom> {
  const withNext = await readRows(db, tab, where, () =>
    tabTasks(db, TAB_STATUS[tab], where)
      .$if(start !== null, (q) => q.where(atOrAfter(start as SortKey)))
      .select(['t.id', sql<number>`row_number() over (order by ${TAB_ORDER})`.as('n')])
      .orderBy(TAB_ORDER)
      .limit(limit + 1),
  )
  const after = withNext[limit]
  const next = after
    ? await db
        .selectFrom('tasks as t')
        .select([
          SORT_KEY_COLUMNS.negPriority.as('negPriority'),
          SORT_KEY_COLUMNS.date.as('date'),
          SORT_KEY_COLUMNS.id.as('id'),
        ])
        .where('t.id', '=', after.taskId)
        .executeTakeFirst()
    : undefined
  return { rows: withNext.slice(0, limit), next: next ?? null }
}

/** The tasks `pageTasks` picks (ids, and their place `n`), joined to what a list shows of each, in that order. */
async function readRows<DB, TB extends keyof DB>(
  db: Kysely<Tables>,
  tab: ReviewTab,
  where: ListWhere,
  /** Selects `id` and `n` (the place in the list) of the tasks to read. */
  pageTasks: () => SelectQueryBuilder<DB, TB, { id: number; n: number }>,
): Promise<TaskListRow[]> {
  const decided = tab !== 'recommended'
  const open = tab === 'recommended' || tab === 'on-hold'
  const rows = await db
    .with('page_tasks', pageTasks)
    .selectFrom('page_tasks as pt')
    .innerJoin('tasks as t', 't.id', 'pt.id')
    .innerJoin('persons as p', 'p.person_id', 't.person_id')
    .leftJoin('task_types as tt', 'tt.code', 't.task_type')
    .leftJoin('users as a', 'a.id', 't.assigned_to')
    .select((eb) => [
      't.id as taskId',
      't.person_id as personId',
      'p.given_names as givenNames',
      'p.family_name as familyName',
      't.reporting_date as reportingDate',
      't.task_type as taskTypeCode',
      'tt.name as taskTypeName',
      't.priority as priority',
      't.version as version',
      't.assigned_to as assignedTo',
      'a.name as assigneeName',
      sql<string | null>`to_char(${DUE_DATE}, 'YYYY-MM-DD')`.as('due'),
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
    // Only the decided tabs show who decided and when. On the Recommended tab, receiving and
    // parsing those columns (a timestamp per row) was a quarter of the page's query in this
    // process: 440 µs of CPU for the 100 rows with them, 340 µs without.
    .$if(decided, (q) =>
      q
        .leftJoin('users as u', 'u.id', 't.status_changed_by')
        .select([
          't.status_changed_by as changedBy',
          'u.name as changedByName',
          't.status_changed_at as changedAt',
        ]),
    )
    .orderBy('pt.n')
    .execute()
  const soonUntil = open && rows.length > 0 ? await dueSoonLimit(db, where.today) : null

  return rows.map((row) => ({
    taskId: Number(row.taskId),
    personId: row.personId,
    name: `${row.givenNames} ${row.familyName}`.trim(),
    referral: row.referral ?? null,
    reportingDate: row.reportingDate as IsoDate | null,
    taskType: row.taskTypeName ?? row.taskTypeCode,
    taskTypeCode: row.taskTypeCode,
    priority: Number(row.priority),
    version: Number(row.version),
    due: (row.due ?? null) as IsoDate | null,
    dueState: open ? dueState((row.due ?? null) as IsoDate | null, where.today, soonUntil) : null,
    assignedTo:
      row.assignedTo === null ? null : { id: row.assignedTo, name: row.assigneeName ?? row.assignedTo },
    decidedBy: row.changedByName ?? row.changedBy ?? null,
    decidedAt: row.changedAt ? new Date(row.changedAt) : null,
  }))
}

/** The last day that counts as "due soon" today. */
async function dueSoonLimit(db: Kysely<Tables>, today: IsoDate): Promise<IsoDate | null> {
  const row = await db
    .selectNoFrom(sql<string | null>`to_char(${dueSoonUntil(today)}, 'YYYY-MM-DD')`.as('until'))
    .executeTakeFirst()
  return (row?.until ?? null) as IsoDate | null
}

/** The last page a tab has for `total` tasks (1 when it is empty, so page 1 always exists). */
export function lastPage(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize))
}
