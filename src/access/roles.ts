/**
 * Roles, and what each may do. A user holds one or more roles; region access
 * is separate (users.regions / users.all_regions).
 */
export const ROLES = {
  CASEWORKER: 'Caseworker',
  MANAGER: 'Manager',
  RULE_AUTHOR: 'Rule author',
  MI_ANALYST: 'MI analyst',
  ADMIN: 'Administrator',
} as const

export type Role = keyof typeof ROLES

export const ROLE_CODES = Object.keys(ROLES) as [Role, ...Role[]]

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value)
}

/** Roles whose holders see every region, whatever their region list says. */
export const NATIONAL_ROLES: readonly Role[] = ['MI_ANALYST', 'ADMIN']

/** Who opens and decides a case: caseworkers, and managers (who may hold only MANAGER). */
export const CASE_ROLES: readonly Role[] = ['CASEWORKER', 'MANAGER']

/** Who downloads the MI report: caseworkers and managers get their own regions' report; national roles any region's. */
export const MI_REPORT_ROLES: readonly Role[] = ['CASEWORKER', 'MANAGER', 'MI_ANALYST', 'ADMIN']

/** Who sees the MI dashboard and the data-quality list: managers and national roles. */
export const MI_OVERSIGHT_ROLES: readonly Role[] = ['MANAGER', 'MI_ANALYST', 'ADMIN']
