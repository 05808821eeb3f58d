/**
 * How a review list is shown besides its search, from the query string:
 * whose tasks ("assigned": unassigned, me, or anyone's when absent). A value
 * that is not one of these is a problem the page names, not a silent
 * default, so a mistyped link never shows a list the user did not ask for.
 */
import type { AssignedFilter } from '../../review/list-query.ts'
import type { ListView } from '../paths.ts'

export const ASSIGNED_CHOICES = ['anyone', 'unassigned', 'me'] as const
export type AssignedChoice = (typeof ASSIGNED_CHOICES)[number]

export type ListViewResult =
  | { readonly ok: true; readonly view: ListView; readonly assigned: AssignedChoice }
  | { readonly ok: false; readonly problems: readonly string[]; readonly view: ListView }

function one(value: unknown): string | undefined {
  if (Array.isArray(value)) return one(value[0])
  return typeof value === 'string' ? value : undefined
}

export function readListView(query: unknown): ListViewResult {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>
  const problems: string[] = []
  const rawAssigned = one(q.assigned) ?? 'anyone'
  const assigned = (ASSIGNED_CHOICES as readonly string[]).includes(rawAssigned)
    ? (rawAssigned as AssignedChoice)
    : undefined
  if (!assigned)
    problems.push('Choose whose tasks to show: anyone’s, unassigned tasks or tasks assigned to you')
  const view: ListView = assigned === 'unassigned' || assigned === 'me' ? { assigned } : {}
  if (problems.length > 0 || !assigned) return { ok: false, problems, view }
  return { ok: true, view, assigned }
}

/** The filter as the lists ask for it, for the user `userId`. */
export function assignedFilter(choice: AssignedChoice, userId: string): AssignedFilter {
  if (choice === 'unassigned') return { kind: 'unassigned' }
  if (choice === 'me') return { kind: 'to', userId }
  return { kind: 'anyone' }
}
