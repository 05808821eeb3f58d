/**
 * Who may manage whom, and what they may grant. Pure rules, no database:
 * the user pages and the user changes (user-changes.ts) both ask here.
 *
 * - An administrator manages everyone; a manager only caseworkers (users
 *   whose one role is Caseworker) whose every region is one of the
 *   manager's own.
 * - Nobody grants what they do not hold: an administrator grants the roles
 *   they hold and regions within their own ("all regions" only with all
 *   regions); a manager grants only the Caseworker role, the one their job
 *   is to manage, and only their own regions. What a user already holds is
 *   not granted again by keeping it.
 * - Nobody can lock the service out through their own account: no one
 *   deactivates themselves or takes away their own administrator role.
 */
import type { RegionScope } from './region-scope.ts'
import { ROLE_CODES, type Role } from './roles.ts'
import type { User } from './users.ts'

/** A signed-in user acting on other users. */
export type ActingUser = Pick<User, 'id' | 'roles' | 'regions'>

/** The user acted on, as they are now. */
export type ManagedUser = Pick<User, 'id' | 'roles' | 'regions'>

/** The roles and regions a user holds, or is to hold. */
export interface Access {
  readonly roles: readonly Role[]
  readonly regions: RegionScope
}

/** What is wrong with the access asked for, by field. */
export type AccessProblem =
  | { readonly field: 'roles'; readonly code: 'rolesMissing' }
  | { readonly field: 'roles'; readonly code: 'roleNotGrantable'; readonly params: { readonly role: Role } }
  /** Taking away one's own administrator role could leave nobody able to manage users. */
  | { readonly field: 'roles'; readonly code: 'ownAdministratorRole' }
  | { readonly field: 'regions'; readonly code: 'regionsMissing' }
  | { readonly field: 'regions'; readonly code: 'allRegionsNotGrantable' }
  | {
      readonly field: 'regions'
      readonly code: 'regionNotGrantable'
      readonly params: { readonly region: string }
    }

/** Why a user may not be deactivated by this actor, beyond not managing them at all. */
export type DeactivationProblem = { readonly field: 'user'; readonly code: 'ownAccount' }

const NO_REGIONS: RegionScope = { all: false, codes: [] }

function isAdministrator(user: Pick<User, 'roles'>): boolean {
  return user.roles.includes('ADMIN')
}

function isManager(user: Pick<User, 'roles'>): boolean {
  return user.roles.includes('MANAGER')
}

/** Every region of `inner` is one of `outer`'s, and `inner` has at least one. */
function regionsWithin(inner: RegionScope, outer: RegionScope): boolean {
  if (outer.all) return true
  if (inner.all) return false
  return inner.codes.length > 0 && inner.codes.every((code) => outer.codes.includes(code))
}

/** A caseworker and nothing else: the only users a manager manages. */
export function isCaseworkerOnly(user: Pick<User, 'roles'>): boolean {
  return user.roles.length > 0 && user.roles.every((role) => role === 'CASEWORKER')
}

/** Whether the actor may see and change this user at all. */
export function mayManage(actor: ActingUser, subject: ManagedUser): boolean {
  if (isAdministrator(actor)) return true
  if (!isManager(actor) || subject.id === actor.id) return false
  return isCaseworkerOnly(subject) && regionsWithin(subject.regions, actor.regions)
}

/**
 * Which users the actor manages, as a filter the user search turns into
 * SQL: everyone, caseworkers within some regions, or nobody.
 */
export type ManagedScope =
  | { readonly kind: 'everyone' }
  | { readonly kind: 'caseworkers'; readonly regions: RegionScope; readonly except: string }
  | { readonly kind: 'nobody' }

export function managedScope(actor: ActingUser): ManagedScope {
  if (isAdministrator(actor)) return { kind: 'everyone' }
  if (isManager(actor)) return { kind: 'caseworkers', regions: actor.regions, except: actor.id }
  return { kind: 'nobody' }
}

/** The roles and regions the actor may hand to someone. */
export function grantable(actor: ActingUser): Access {
  if (isAdministrator(actor)) {
    return { roles: ROLE_CODES.filter((role) => actor.roles.includes(role)), regions: actor.regions }
  }
  if (isManager(actor)) return { roles: ['CASEWORKER'], regions: actor.regions }
  return { roles: [], regions: NO_REGIONS }
}

/**
 * Problems with giving `proposed` to a user who now holds `current`
 * (undefined for a user being added). Only what is added is a grant: a
 * role or region the user keeps was granted before, by someone who could.
 */
export function checkAccess(
  actor: ActingUser,
  proposed: Access,
  current?: ManagedUser | undefined,
): AccessProblem[] {
  const may = grantable(actor)
  const problems: AccessProblem[] = checkAccessShape(proposed)
  for (const role of proposed.roles) {
    if (!current?.roles.includes(role) && !may.roles.includes(role)) {
      problems.push({ field: 'roles', code: 'roleNotGrantable', params: { role } })
    }
  }
  const ownAccount = current !== undefined && current.id === actor.id
  if (ownAccount && current.roles.includes('ADMIN') && !proposed.roles.includes('ADMIN')) {
    problems.push({ field: 'roles', code: 'ownAdministratorRole' })
  }
  problems.push(...checkRegions(may.regions, proposed.regions, current?.regions))
  return problems
}

/** At least one role and one region (or all): what any user needs, whoever gives it. */
export function checkAccessShape(proposed: Access): AccessProblem[] {
  const problems: AccessProblem[] = []
  if (proposed.roles.length === 0) problems.push({ field: 'roles', code: 'rolesMissing' })
  if (!proposed.regions.all && proposed.regions.codes.length === 0) {
    problems.push({ field: 'regions', code: 'regionsMissing' })
  }
  return problems
}

function checkRegions(may: RegionScope, proposed: RegionScope, current?: RegionScope): AccessProblem[] {
  if (proposed.all) {
    return may.all || current?.all ? [] : [{ field: 'regions', code: 'allRegionsNotGrantable' }]
  }
  const held = (code: string) => current !== undefined && (current.all || current.codes.includes(code))
  return proposed.codes
    .filter((code) => !held(code) && !may.all && !may.codes.includes(code))
    .map((region) => ({ field: 'regions', code: 'regionNotGrantable', params: { region } }))
}

/** Problems with deactivating this user, for an actor who manages them. */
export function checkDeactivation(actor: ActingUser, subject: ManagedUser): DeactivationProblem[] {
  return subject.id === actor.id ? [{ field: 'user', code: 'ownAccount' }] : []
}
