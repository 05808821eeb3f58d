/**
 * The user search and a user's details, in words: roles and regions named,
 * the status as a tag, the filters filled in as the user left them, the
 * table's pages, and the notification banner after a change.
 */

import { ROLE_CODES, ROLES } from '../../access/roles.ts'
import type { RegionName } from '../../access/user-administration.ts'
import type { UserPage } from '../../access/user-directory.ts'
import type { User, VersionedUser } from '../../access/users.ts'
import type { ReadFilter } from '../forms/user-form.ts'
import { paths } from '../paths.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'
import { type PaginationView, pagination } from './review.ts'

export const USERS_PAGE_SIZE = 50

/** What a GOV.UK notification banner says after a change went through. */
export interface Notice {
  readonly text: string
}

export interface StatusTag {
  readonly text: string
  readonly classes: string
}

export interface UserRow {
  readonly href: string
  readonly name: string
  readonly id: string
  readonly roles: string
  readonly regions: string
  readonly status: StatusTag
}

interface Option {
  readonly value: string
  readonly text: string
  readonly selected?: boolean
  readonly checked?: boolean
}

export interface UsersPage extends FormErrors {
  readonly filters: {
    readonly text: string
    readonly roleItems: readonly Option[]
    readonly regionItems: readonly Option[]
    readonly statusItems: readonly Option[]
  }
  readonly rows: readonly UserRow[]
  readonly total: number
  readonly showing: string
  readonly pagination: PaginationView | null
  readonly notice: Notice | undefined
}

export function rolesInWords(user: Pick<User, 'roles'>): string {
  return ROLE_CODES.filter((role) => user.roles.includes(role))
    .map((role) => ROLES[role])
    .join(', ')
}

export function regionsInWords(user: Pick<User, 'regions'>, regions: readonly RegionName[]): string {
  if (user.regions.all) return 'All regions'
  const named = new Map(regions.map((region) => [region.code, region.name]))
  return user.regions.codes.map((code) => named.get(code) ?? code).join(', ')
}

export function statusTag(user: Pick<User, 'active'>): StatusTag {
  return user.active
    ? { text: 'Active', classes: 'govuk-tag--green' }
    : { text: 'Deactivated', classes: 'govuk-tag--grey' }
}

/** The filters as a query string, with a page past the first. */
function filterQuery(input: ReadFilter['input'], page?: number): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [name, value] of Object.entries(input)) if (value) query[name] = value
  if (page !== undefined && page > 1) query.page = String(page)
  return query
}

export function usersPage(input: {
  readonly read: ReadFilter
  readonly problems: readonly FormProblem[]
  readonly found: UserPage
  readonly regions: readonly RegionName[]
  /** The regions offered as a filter: those the actor works in. */
  readonly filterRegions: readonly RegionName[]
  readonly notice?: Notice | undefined
}): UsersPage {
  const { read, found, regions } = input
  const lastPage = Math.max(1, Math.ceil(found.total / USERS_PAGE_SIZE))
  const first = (read.page - 1) * USERS_PAGE_SIZE + 1
  const last = first + found.users.length - 1
  const any = (text: string, current: string): Option => ({ value: '', text, selected: current === '' })
  return {
    ...formErrors(input.problems, { text: 'text' }),
    filters: {
      text: read.input.text,
      roleItems: [
        any('Any role', read.input.role),
        ...ROLE_CODES.map((role) => ({ value: role, text: ROLES[role], selected: read.input.role === role })),
      ],
      regionItems: [
        any('Any region', read.input.region),
        ...input.filterRegions.map((region) => ({
          value: region.code,
          text: region.name,
          selected: read.input.region === region.code,
        })),
      ],
      statusItems: [
        { value: '', text: 'Active and deactivated', checked: !read.filter.status },
        { value: 'active', text: 'Active', checked: read.filter.status === 'active' },
        { value: 'inactive', text: 'Deactivated', checked: read.filter.status === 'inactive' },
      ],
    },
    rows: found.users.map((user) => ({
      href: paths.user(user.id),
      name: user.name,
      id: user.id,
      roles: rolesInWords(user),
      regions: regionsInWords(user, regions),
      status: statusTag(user),
    })),
    total: found.total,
    showing:
      found.users.length === 0
        ? ''
        : `Showing ${first} to ${last} of ${found.total} ${found.total === 1 ? 'user' : 'users'}`,
    pagination: pagination(read.page, lastPage, (page) => paths.users(filterQuery(read.input, page))),
    notice: input.notice,
  }
}

export interface UserDetailsPage {
  /** Not `user`: the layout's `user` is whoever is signed in. */
  readonly subject: {
    readonly id: string
    readonly name: string
    readonly email: string
    readonly roles: string
    readonly regions: string
    readonly status: StatusTag
    readonly active: boolean
    readonly version: number
  }
  readonly accessHref: string
  readonly deactivateHref: string
  readonly reactivateHref: string
  /** False on one's own page: nobody deactivates themselves. */
  readonly mayDeactivate: boolean
  readonly notice: Notice | undefined
  /** Set when a change was refused because someone else changed the user first. */
  readonly changedMeanwhile: string | undefined
}

export function userDetailsPage(input: {
  readonly user: VersionedUser
  readonly regions: readonly RegionName[]
  readonly actorId: string
  readonly notice?: Notice | undefined
  readonly changedMeanwhile?: string | undefined
}): UserDetailsPage {
  const { user } = input
  return {
    subject: {
      id: user.id,
      name: user.name,
      email: user.email ?? 'Not given',
      roles: rolesInWords(user),
      regions: regionsInWords(user, input.regions),
      status: statusTag(user),
      active: user.active,
      version: user.version,
    },
    accessHref: paths.userAccess(user.id),
    deactivateHref: paths.userDeactivate(user.id),
    reactivateHref: paths.userReactivate(user.id),
    mayDeactivate: user.id !== input.actorId,
    notice: input.notice,
    changedMeanwhile: input.changedMeanwhile,
  }
}
