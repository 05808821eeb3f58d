/**
 * The user pages' forms as HTTP carries them: the filters of the user
 * search (a GET), the add form, the roles-and-regions form and the
 * deactivate and reactivate buttons (with the version the user was shown
 * at, a hidden field). Ticked checkboxes arrive as one value or several.
 * Whatever arrives is read into what the domain checks, never trusted: a
 * role that is not one is a problem on the form; a version that is not a
 * whole number means the page was tampered with (a bad request).
 */
import { z } from 'zod'
import type { RegionScope } from '../../access/region-scope.ts'
import { isRole, type Role } from '../../access/roles.ts'
import type { UserFilter } from '../../access/user-directory.ts'
import type { UserDetailsInput } from '../../access/user-fields.ts'
import { BadRequestError } from '../case/request.ts'

/** The value of the "All regions" checkbox. */
export const ALL_REGIONS = 'all'

/** Longest text the user search looks for: no ID or name is longer. */
export const MAX_SEARCH_LENGTH = 100

/** Problems only the form can have: what was posted is not something the domain could be asked. */
export type UserFormProblem =
  | { readonly field: 'roles'; readonly code: 'roleUnknown' }
  | { readonly field: 'regions'; readonly code: 'allAndSomeRegions' }
  | {
      readonly field: 'text'
      readonly code: 'searchTooLong'
      readonly params: { readonly maxLength: number }
    }

/** Ticked checkboxes: none, one value or several, always as a list. */
export const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .catch(undefined)
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
// A field sent twice, or not at all, reads as empty.
export const text = z.string().catch('')

/** What was ticked, as posted: kept to show the form again. */
export interface AccessInput {
  readonly roles: readonly string[]
  readonly regions: readonly string[]
}

export interface ReadAccess {
  readonly input: AccessInput
  readonly access: { readonly roles: readonly Role[]; readonly regions: RegionScope } | undefined
  readonly problems: readonly UserFormProblem[]
}

function readAccess(body: { roles: string[]; regions: string[] }): ReadAccess {
  const input = { roles: body.roles, regions: body.regions }
  const problems: UserFormProblem[] = []
  const roles = body.roles.filter(isRole)
  if (roles.length < body.roles.length) problems.push({ field: 'roles', code: 'roleUnknown' })
  const all = body.regions.includes(ALL_REGIONS)
  const codes = [...new Set(body.regions.filter((region) => region !== ALL_REGIONS))]
  if (all && codes.length > 0) problems.push({ field: 'regions', code: 'allAndSomeRegions' })
  if (problems.length > 0) return { input, access: undefined, problems }
  return {
    input,
    access: { roles: [...new Set(roles)], regions: all ? { all: true } : { all: false, codes } },
    problems,
  }
}

const newUserForm = z.object({
  id: text,
  name: text,
  email: text,
  password: z.string().optional().catch(''),
  roles: oneOrMany,
  regions: oneOrMany,
})

export interface PostedNewUser extends ReadAccess {
  readonly details: UserDetailsInput
}

export function readNewUserForm(body: unknown): PostedNewUser {
  const form = newUserForm.parse(body ?? {})
  const details = { id: form.id, name: form.name, email: form.email, password: form.password }
  return { details, ...readAccess(form) }
}

const version = z
  .string()
  .regex(/^[1-9]\d{0,8}$/)
  .transform(Number)

const accessForm = z.object({ version: z.unknown().optional(), roles: oneOrMany, regions: oneOrMany })

export interface PostedAccess extends ReadAccess {
  readonly version: number
}

export function readAccessForm(body: unknown): PostedAccess {
  const form = accessForm.parse(body ?? {})
  return { version: versionIn(form.version), ...readAccess(form) }
}

/** The version posted by the deactivate and reactivate buttons. */
export function readVersion(body: unknown): number {
  return versionIn((body as { version?: unknown } | undefined)?.version)
}

function versionIn(value: unknown): number {
  const parsed = version.safeParse(value)
  if (!parsed.success) throw new BadRequestError('user form with a missing or malformed version')
  return parsed.data
}

const filterQuery = z.object({ text: text, role: text, region: text, status: text, page: text })

export interface ReadFilter {
  readonly filter: UserFilter
  /** As typed, to show in the filter form again. */
  readonly input: {
    readonly text: string
    readonly role: string
    readonly region: string
    readonly status: string
  }
  readonly page: number
  readonly problems: readonly UserFormProblem[]
}

/** The search's query string; an unknown role, region or status is no filter (the form offers only real ones). */
export function readUserFilter(query: unknown, regionCodes: readonly string[]): ReadFilter {
  const form = filterQuery.parse(query ?? {})
  const problems: UserFormProblem[] = []
  if (form.text.length > MAX_SEARCH_LENGTH) {
    problems.push({ field: 'text', code: 'searchTooLong', params: { maxLength: MAX_SEARCH_LENGTH } })
  }
  const status = form.status === 'active' || form.status === 'inactive' ? form.status : undefined
  const page = /^[1-9]\d{0,5}$/.test(form.page) ? Number(form.page) : 1
  return {
    filter: {
      text: problems.length > 0 ? '' : form.text,
      role: isRole(form.role) ? form.role : undefined,
      region: regionCodes.includes(form.region) ? form.region : undefined,
      status,
    },
    input: {
      text: form.text.slice(0, MAX_SEARCH_LENGTH * 2),
      role: form.role,
      region: form.region,
      status: form.status,
    },
    page,
    problems,
  }
}
