/**
 * What each role may do, in one table, and the one check every page, link
 * and (later) API call makes: `can(user, permission)`.
 *
 * A permission says what kind of thing a user may do; it never says where.
 * Which people and tasks they may see is the user's region scope
 * (region-scope.ts), checked in SQL by every query that reads them: a
 * manager with `mi:read` sees the dashboard of their own regions, an MI
 * analyst with every region sees the national one.
 */
import { ROLE_CODES, type Role } from './roles.ts'
import type { User } from './users.ts'

export const PERMISSIONS = [
  /** The review lists: choose a region, search, go through the tabs. */
  'tasks:review',
  /** Open a task's case: its record, why it was recommended, its history. */
  'cases:read',
  /** Accept, reject or place a task on hold. */
  'tasks:decide',
  /** "Assign to me" and "Unassign" one's own open tasks, and see "My tasks". */
  'tasks:assign',
  /** Assign and reassign a region's open tasks to any caseworker of that region, and unassign anyone's. */
  'tasks:assign-others',
  /** The MI dashboard and the data-quality list. */
  'mi:read',
  /** The MI report's form and files. */
  'mi:download',
  /** The rules in plain English, and what the last rule run did. */
  'rules:read',
  /** Try a draft rule set against the live data, writing nothing. */
  'rules:simulate',
  /** Be named as the publisher of a rule set (`ipic rules publish --by`): it runs once published. */
  'rules:publish',
  /** The Rule changes page: the published rule-set versions, who published them, and their impact reports. */
  'rules:changes',
  /** Start a run of the live rule set now, as `ipic rules run` does (the API's rules:run scope). */
  'rules:run',
  /** Add users, change their roles and regions, deactivate them. */
  'users:manage',
  /** Read the audit trail. */
  'audit:read',
  /** The Background jobs page: every instance's jobs, their state, attempts and errors. */
  'jobs:read',
  /** Give a failed background job another attempt, from the Background jobs page. */
  'jobs:retry',
  /** Register the systems that call the API, and revoke them: the API clients page. */
  'clients:manage',
  /** Record that the person made representations or contested a decided task. */
  'contests:record',
  /** See the region's contests and record a contest's outcome (never on one's own decision). */
  'contests:review',
] as const

export type Permission = (typeof PERMISSIONS)[number]

const EVERY_ROLE: readonly Role[] = ROLE_CODES

/**
 * The one table: who holds each permission. A user holds the permissions of
 * every role they have. Opening a case records that the user has it open,
 * which is a caseworker's step, so national roles review the lists but open
 * no case.
 */
const HOLDERS: Readonly<Record<Permission, readonly Role[]>> = {
  'tasks:review': ['CASEWORKER', 'MANAGER', 'MI_ANALYST', 'ADMIN'],
  'cases:read': ['CASEWORKER', 'MANAGER'],
  'tasks:decide': ['CASEWORKER', 'MANAGER'],
  'mi:read': ['MANAGER', 'MI_ANALYST', 'ADMIN'],
  'mi:download': ['CASEWORKER', 'MANAGER', 'MI_ANALYST', 'ADMIN'],
  'tasks:assign': ['CASEWORKER', 'MANAGER'],
  // A manager shares out the region's work; a caseworker takes and gives up only their own.
  'tasks:assign-others': ['MANAGER'],
  // Rules are open to everyone in the service on purpose: a caseworker should see why a task is recommended.
  'rules:read': EVERY_ROLE,
  'rules:simulate': ['RULE_AUTHOR'],
  'rules:publish': ['RULE_AUTHOR'],
  // Those who change the rules, those who answer for their region's work, and those who monitor equality.
  'rules:changes': ['RULE_AUTHOR', 'MANAGER', 'MI_ANALYST'],
  // Whoever runs the service starts runs out of turn; the pages offer none, the API's clients may be granted it.
  'rules:run': ['ADMIN'],
  // Managers only for caseworkers of their own regions: a limit the user pages add to the permission.
  'users:manage': ['MANAGER', 'ADMIN'],
  // The auditor reads the audit and nothing of the casework itself: the trail names people, not their records.
  'audit:read': ['ADMIN', 'AUDITOR'],
  // Whoever runs the service watches its background work; the jobs name no person.
  'jobs:read': ['ADMIN'],
  'jobs:retry': ['ADMIN'],
  // Granting a system access to the casework is the administrators' as granting a user it is.
  'clients:manage': ['ADMIN'],
  // Those who decide tasks hear challenges to them: the review is another decision on the task.
  'contests:record': ['CASEWORKER', 'MANAGER'],
  'contests:review': ['CASEWORKER', 'MANAGER'],
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value)
}

/** Whether the user, through any of their roles, holds the permission. */
export function can(user: Pick<User, 'roles'> | null | undefined, permission: Permission): boolean {
  const holders = HOLDERS[permission]
  return user?.roles.some((role) => holders.includes(role)) ?? false
}

/** The roles that hold a permission: for finding users who may be given work that needs it. */
export function rolesHolding(permission: Permission): readonly Role[] {
  return HOLDERS[permission]
}
