/**
 * Roles. A user holds one or more; what each may do is the permission table
 * (permissions.ts), and which regions a user sees is separate
 * (users.regions / users.all_regions, region-scope.ts).
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
