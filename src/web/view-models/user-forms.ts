/**
 * The forms that change users: adding one, their roles and regions, and
 * "Are you sure you want to deactivate…". Roles and regions are offered as
 * checkboxes, only those the acting user may give plus those the user
 * already holds (which they may keep or take away); "All regions" only to
 * someone who has every region, or for a user who already has it.
 */
import type { RegionScope } from '../../access/region-scope.ts'
import { ROLE_CODES, ROLES, type Role } from '../../access/roles.ts'
import type { RegionName } from '../../access/user-administration.ts'
import type { Access } from '../../access/user-management.ts'
import type { VersionedUser } from '../../access/users.ts'
import { type AccessInput, ALL_REGIONS } from '../forms/user-form.ts'
import { paths } from '../paths.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'
import { regionsInWords, rolesInWords } from './users.ts'

interface CheckboxItem {
  readonly value: string
  readonly text: string
  readonly checked: boolean
  readonly behaviour?: 'exclusive'
}

type Divider = { readonly divider: string }

export interface AccessFields {
  readonly roleItems: readonly CheckboxItem[]
  readonly regionItems: readonly (CheckboxItem | Divider)[]
}

/** The field each problem's summary link moves focus to: the first checkbox of a group. */
const FIELD_IDS = { roles: 'roles', regions: 'regions' }

export function accessInputOf(user: Pick<VersionedUser, 'roles' | 'regions'>): AccessInput {
  return { roles: [...user.roles], regions: user.regions.all ? [ALL_REGIONS] : [...user.regions.codes] }
}

export const NO_ACCESS_INPUT: AccessInput = { roles: [], regions: [] }

function accessFields(
  may: Access,
  held: { roles: readonly Role[]; regions: RegionScope } | undefined,
  input: AccessInput,
  regions: readonly RegionName[],
): AccessFields {
  const heldRoles = held?.roles ?? []
  const roleItems = ROLE_CODES.filter((role) => may.roles.includes(role) || heldRoles.includes(role)).map(
    (role) => ({ value: role, text: ROLES[role], checked: input.roles.includes(role) }),
  )
  const inScope = (scope: RegionScope | undefined, code: string) =>
    scope !== undefined && (scope.all || scope.codes.includes(code))
  const offered = regions
    .filter((region) => inScope(may.regions, region.code) || inScope(held?.regions, region.code))
    .map((region) => ({
      value: region.code,
      text: region.name,
      checked: input.regions.includes(region.code),
    }))
  const allOffered = may.regions.all || held?.regions.all === true
  const regionItems: (CheckboxItem | Divider)[] = allOffered
    ? [
        ...offered,
        { divider: 'or' },
        {
          value: ALL_REGIONS,
          text: 'All regions',
          checked: input.regions.includes(ALL_REGIONS),
          behaviour: 'exclusive',
        },
      ]
    : offered
  return { roleItems, regionItems }
}

export interface NewUserPage extends FormErrors, AccessFields {
  readonly values: { readonly id: string; readonly name: string; readonly email: string }
  /** Offer a password only where local accounts are on. */
  readonly password: { readonly required: boolean } | undefined
  /** Who the user signs in through when not with a password; undefined when there is no provider. */
  readonly providerName: string | undefined
  readonly cancelHref: string
}

export function newUserPage(input: {
  readonly may: Access
  readonly values: NewUserPage['values']
  readonly access: AccessInput
  readonly regions: readonly RegionName[]
  readonly problems: readonly FormProblem[]
  readonly localAccounts: boolean
  readonly providerName: string | undefined
}): NewUserPage {
  return {
    ...formErrors(input.problems, FIELD_IDS),
    ...accessFields(input.may, undefined, input.access, input.regions),
    values: input.values,
    password: input.localAccounts ? { required: input.providerName === undefined } : undefined,
    providerName: input.providerName,
    cancelHref: paths.users(),
  }
}

export interface AccessPage extends FormErrors, AccessFields {
  /** Not `user`: the layout's `user` is whoever is signed in. */
  readonly subject: { readonly id: string; readonly name: string }
  readonly version: number
  /** Set when the change was refused because someone else changed the user first. */
  readonly changedMeanwhile: string | undefined
  readonly action: string
  readonly cancelHref: string
}

export function accessPage(input: {
  readonly may: Access
  readonly user: VersionedUser
  readonly access: AccessInput
  readonly regions: readonly RegionName[]
  readonly problems: readonly FormProblem[]
  readonly changedMeanwhile?: string | undefined
}): AccessPage {
  const { user } = input
  return {
    ...formErrors(input.problems, FIELD_IDS),
    ...accessFields(input.may, user, input.access, input.regions),
    subject: { id: user.id, name: user.name },
    version: user.version,
    changedMeanwhile: input.changedMeanwhile,
    action: paths.userAccess(user.id),
    cancelHref: paths.user(user.id),
  }
}

export interface DeactivatePage extends FormErrors {
  /** Not `user`: the layout's `user` is whoever is signed in. */
  readonly subject: {
    readonly id: string
    readonly name: string
    readonly roles: string
    readonly regions: string
  }
  readonly version: number
  readonly changedMeanwhile: string | undefined
  readonly action: string
  readonly cancelHref: string
}

export function deactivatePage(input: {
  readonly user: VersionedUser
  readonly regions: readonly RegionName[]
  readonly problems?: readonly FormProblem[]
  readonly changedMeanwhile?: string | undefined
}): DeactivatePage {
  const { user } = input
  return {
    // A refusal of the deactivation itself points at its button.
    ...formErrors(input.problems ?? [], { user: 'confirm-deactivation' }),
    subject: {
      id: user.id,
      name: user.name,
      roles: rolesInWords(user),
      regions: regionsInWords(user, input.regions),
    },
    version: user.version,
    changedMeanwhile: input.changedMeanwhile,
    action: paths.userDeactivate(user.id),
    cancelHref: paths.user(user.id),
  }
}
