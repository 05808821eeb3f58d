/**
 * What a machine client of the API may be granted: scopes, as OAuth 2.0
 * names them, each standing for permissions the roles already hold
 * (permissions.ts), so that an API call is checked by the same
 * `permissions` as the page that does the same thing. A scope never says
 * where: the client's regions do, as a user's do.
 */
import type { Permission } from './permissions.ts'

export const API_SCOPES = [
  /** Search the tasks, and read one with why it was recommended. */
  'tasks:read',
  /** Accept, reject or hold a task. */
  'tasks:decide',
  /** Read a person's record by their ID. */
  'persons:read',
  /** List the rule runs and read one. */
  'rules:read',
  /** Start a run of the live rule set. */
  'rules:run',
  /** The MI report, as CSV or JSON lines. */
  'mi:export',
  /** The decision events, by the pull feed. */
  'events:read',
] as const

export type ApiScope = (typeof API_SCOPES)[number]

/** The one table: the permissions each scope stands for. */
export const SCOPE_PERMISSIONS: Readonly<Record<ApiScope, readonly Permission[]>> = {
  'tasks:read': ['tasks:review', 'cases:read'],
  'tasks:decide': ['tasks:decide'],
  'persons:read': ['cases:read'],
  'rules:read': ['rules:read'],
  'rules:run': ['rules:run'],
  'mi:export': ['mi:download'],
  // The events say what became of tasks: who may review the lists may follow them.
  'events:read': ['tasks:review'],
}

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value)
}

/** The permissions a client granted these scopes holds. */
export function permissionsOf(scopes: readonly ApiScope[]): ReadonlySet<Permission> {
  return new Set(scopes.flatMap((scope) => SCOPE_PERMISSIONS[scope]))
}

/** Scopes in the order API_SCOPES lists them, each once: how they are stored and shown. */
export function orderedScopes(scopes: Iterable<ApiScope>): ApiScope[] {
  const given = new Set(scopes)
  return API_SCOPES.filter((scope) => given.has(scope))
}
