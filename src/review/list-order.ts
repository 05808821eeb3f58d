/**
 * The orders a review list can be sorted in, by its sortable headers:
 * priority (the default, highest first), reporting date, due date, name
 * and task type, each ascending or descending.
 *
 * The default order is the tasks_review_order index's, and a page of it is
 * a seek in that index (docs/decisions/0008). Any other order numbers the
 * tab's tasks in that order and takes the page's hundred: one pass over the
 * tab's tasks per page, which stays quick for the tabs a search gives (a
 * few thousand tasks) and costs a sort of the whole tab on a national one
 * (docs/decisions/0020 has the figures). Ties are broken by priority and
 * then the task, so that pages never shuffle.
 */
import { type RawBuilder, sql } from 'kysely'
import { DUE_DATE } from './due-dates.ts'

export const LIST_SORTS = ['priority', 'reporting-date', 'due-date', 'name', 'task-type'] as const
export type ListSort = (typeof LIST_SORTS)[number]
export type SortDirection = 'ascending' | 'descending'

export interface ListOrder {
  readonly sort: ListSort
  readonly direction: SortDirection
}

/** Highest priority first, as the guide has it. */
export const DEFAULT_ORDER: ListOrder = { sort: 'priority', direction: 'descending' }

/** The direction a header's first click sorts in: highest priority first, earliest dates first, A to Z. */
export const FIRST_DIRECTION: Readonly<Record<ListSort, SortDirection>> = {
  priority: 'descending',
  'reporting-date': 'ascending',
  'due-date': 'ascending',
  name: 'ascending',
  'task-type': 'ascending',
}

export function isListSort(value: string): value is ListSort {
  return (LIST_SORTS as readonly string[]).includes(value)
}

export function isDefaultOrder(order: ListOrder): boolean {
  return order.sort === DEFAULT_ORDER.sort && order.direction === DEFAULT_ORDER.direction
}

/** The ORDER BY of the order, on alias t; ties by priority, reporting date and task. */
export function orderBy(order: ListOrder): RawBuilder<unknown> {
  const dir = sql.raw(order.direction === 'ascending' ? 'asc' : 'desc')
  const ties = sql`-t.priority, coalesce(t.reporting_date, 'infinity'::date), t.id`
  switch (order.sort) {
    case 'priority':
      return sql`t.priority ${dir}, coalesce(t.reporting_date, 'infinity'::date), t.id`
    case 'reporting-date':
      return sql`t.reporting_date ${dir} nulls last, ${ties}`
    case 'due-date':
      return sql`${DUE_DATE} ${dir} nulls last, ${ties}`
    case 'name':
      return sql`(select lower(p.family_name) from persons p where p.person_id = t.person_id) ${dir},
        (select lower(p.given_names) from persons p where p.person_id = t.person_id) ${dir}, ${ties}`
    case 'task-type':
      return sql`(select tt.name from task_types tt where tt.code = t.task_type) ${dir}, ${ties}`
  }
}
