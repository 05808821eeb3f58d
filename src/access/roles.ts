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
  /** Reads the audit trail, and the rules; sees no case and changes nothing. */
  AUDITOR: 'Auditor',
} as const

export type Role = keyof typeof ROLES

export const ROLE_CODES = Object.keys(ROLES) as [Role, ...Role[]]

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value)
}

/**
 * The role a person typed, in any letter case, as its code (`caseworker`,
 * `MI_ANALYST`) or its name (`MI analyst`); undefined when it names none.
 */
export function roleNamed(text: string): Role | undefined {
  const wanted = text.trim().toUpperCase()
  return ROLE_CODES.find(
    (role) => role === wanted.replace(/[\s-]+/g, '_') || ROLES[role].toUpperCase() === wanted,
  )
}
