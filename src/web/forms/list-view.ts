/**
 * How a review list is shown besides its search, from the query string:
 * whose tasks ("assigned": unassigned, me, or anyone's when absent) and its
 * order ("sort" and "order", from the sortable headers; highest priority
 * first when absent). A value that is not one of these is a problem the
 * page names, not a silent default, so a mistyped link never shows a list
 * the user did not ask for.
 */
import {
  DEFAULT_ORDER,
  FIRST_DIRECTION,
  isDefaultOrder,
  isListSort,
  type ListOrder,
} from '../../review/list-order.ts'
import type { AssignedFilter } from '../../review/list-query.ts'
import type { ListView } from '../paths.ts'

export const ASSIGNED_CHOICES = ['anyone', 'unassigned', 'me'] as const
export type AssignedChoice = (typeof ASSIGNED_CHOICES)[number]

export interface ListViewProblem {
  readonly text: string
  /** The HTML id the error summary links to. */
  readonly field: 'assigned' | 'sort'
}

export type ListViewResult =
  | {
      readonly ok: true
      readonly view: ListView
      readonly assigned: AssignedChoice
      readonly order: ListOrder
    }
  | { readonly ok: false; readonly problems: readonly ListViewProblem[]; readonly view: ListView }

function one(value: unknown): string | undefined {
  if (Array.isArray(value)) return one(value[0])
  return typeof value === 'string' ? value : undefined
}

export function readListView(query: unknown): ListViewResult {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>
  const problems: ListViewProblem[] = []
  const rawAssigned = one(q.assigned) ?? 'anyone'
  const assigned = (ASSIGNED_CHOICES as readonly string[]).includes(rawAssigned)
    ? (rawAssigned as AssignedChoice)
    : undefined
  if (!assigned) {
    problems.push({
      text: 'Choose whose tasks to show: anyone’s, unassigned tasks or tasks assigned to you',
      field: 'assigned',
    })
  }
  const order = readOrder(one(q.sort), one(q.order))
  if (!order) {
    problems.push({
      text: 'Sort the list by priority, reporting date, due date, name or task type, ascending or descending',
      field: 'sort',
    })
  }
  const view: ListView = {
    ...(assigned === 'unassigned' || assigned === 'me' ? { assigned } : {}),
    ...(order ? orderInView(order) : {}),
  }
  if (!assigned || !order) return { ok: false, problems, view }
  return { ok: true, view, assigned, order }
}

function readOrder(sort: string | undefined, direction: string | undefined): ListOrder | undefined {
  if (sort === undefined && direction === undefined) return DEFAULT_ORDER
  if (sort === undefined || !isListSort(sort)) return undefined
  if (direction === undefined) return { sort, direction: FIRST_DIRECTION[sort] }
  if (direction !== 'ascending' && direction !== 'descending') return undefined
  return { sort, direction }
}

/** The order as the list's URL carries it: nothing for the default. */
export function orderInView(order: ListOrder): ListView {
  return isDefaultOrder(order) ? {} : { sort: order.sort, order: order.direction }
}

/** The filter as the lists ask for it, for the user `userId`. */
export function assignedFilter(choice: AssignedChoice, userId: string): AssignedFilter {
  if (choice === 'unassigned') return { kind: 'unassigned' }
  if (choice === 'me') return { kind: 'to', userId }
  return { kind: 'anyone' }
}
