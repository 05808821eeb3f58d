/**
 * A tab's page index: how many tasks the tab holds for a search, and the
 * sort key of the first task of every page. With it, any page is a seek to
 * its first task and the next 100 in index order, however deep, instead of
 * an OFFSET that walks every task before it.
 *
 * It is built in one pass over the tasks_review_order index (migration
 * 0007), never the table: on a national caseload a search can match a few
 * hundred thousand tasks, so the pass takes a few hundred milliseconds and
 * is worth keeping for a while (see page-index-cache.ts).
 */
import { type Kysely, sql } from 'kysely'
import type { Tables, TaskStatus } from '../db/tables.ts'
import { type ListWhere, SORT_KEY_COLUMNS, type SortKey, TAB_ORDER, tabTasks } from './list-query.ts'

export interface PageIndex {
  /** Every task of the tab for the search. */
  readonly total: number
  /** pageStarts[n] is the first task of page n + 1; page 1's start is never needed but kept for symmetry. */
  readonly pageStarts: readonly SortKey[]
}

export async function buildPageIndex(
  db: Kysely<Tables>,
  status: TaskStatus,
  where: ListWhere,
  pageSize: number,
): Promise<PageIndex> {
  const ranked = tabTasks(db, status, where).select([
    SORT_KEY_COLUMNS.negPriority.as('neg_priority'),
    SORT_KEY_COLUMNS.date.as('date'),
    SORT_KEY_COLUMNS.id.as('id'),
    sql<number>`row_number() over (order by ${TAB_ORDER})`.as('n'),
  ])
  // The page starts are rows 1, 101, 201, …; aggregating them in row order keeps them in page order.
  const isPageStart = sql`(s.n - 1) % ${sql.lit(pageSize)} = 0`
  const row = await db
    .selectFrom(ranked.as('s'))
    .select([
      sql<number>`count(*)`.as('total'),
      sql<string[] | null>`array_agg(s.neg_priority order by s.n) filter (where ${isPageStart})`.as(
        'negPriorities',
      ),
      sql<string[] | null>`array_agg(s.date order by s.n) filter (where ${isPageStart})`.as('dates'),
      sql<string[] | null>`array_agg(s.id order by s.n) filter (where ${isPageStart})`.as('ids'),
    ])
    .executeTakeFirstOrThrow()
  const negPriorities = row.negPriorities ?? []
  const dates = row.dates ?? []
  const ids = row.ids ?? []
  return {
    total: Number(row.total),
    pageStarts: negPriorities.map((negPriority, n) => ({
      negPriority,
      date: dates[n] ?? '',
      id: ids[n] ?? '',
    })),
  }
}
