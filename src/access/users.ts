/**
 * Users: local accounts with roles and the regions they may work in.
 */
import type { Kysely, Selectable } from 'kysely'
import { z } from 'zod'
import type { Tables, UserRow } from '../db/tables.ts'
import { hashPassword } from './passwords.ts'
import { ROLE_CODES, type Role } from './roles.ts'

export interface User {
  readonly id: string
  readonly name: string
  readonly email: string | null
  readonly roles: readonly Role[]
  /** Every region (national roles), or the listed ROM region codes. */
  readonly regions: { readonly all: true } | { readonly all: false; readonly codes: readonly string[] }
  readonly active: boolean
}

/** What a user ID may be: it is also the network login the provider sends, so no spaces or markup. */
export const USER_ID_PATTERN = /^[A-Za-z0-9._-]{2,40}$/
export const MAX_USER_ID_LENGTH = 40
export const MAX_NAME_LENGTH = 100
export const MAX_EMAIL_LENGTH = 254
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 200

/** For seeding and the tests' own users (trusted input); the service checks what people enter with user-fields.ts. */
export const newUserSchema = z.strictObject({
  id: z.string().regex(USER_ID_PATTERN, 'must be 2 to 40 letters, digits, dots, hyphens or underscores'),
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_NAME_LENGTH, `is longer than ${MAX_NAME_LENGTH} characters`),
  email: z.email('must be an email address').nullable().default(null),
  roles: z
    .array(z.enum(ROLE_CODES, { error: `must be one of ${ROLE_CODES.join(', ')}` }))
    .min(1, 'needs a role'),
  regions: z.union([z.literal('all'), z.array(z.string()).min(1, 'needs a region, or all')]),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `is longer than ${MAX_PASSWORD_LENGTH} characters`)
    .nullable(),
})

export type NewUser = z.input<typeof newUserSchema>

export class UserError extends Error {}

/** The columns of `users` a User is made of (not the password hash). */
export const USER_COLUMNS = ['id', 'name', 'email', 'roles', 'regions', 'all_regions', 'active'] as const

/** A user as the user pages and changes see them: with the version a change must name. */
export interface VersionedUser extends User {
  readonly version: number
}

export const VERSIONED_USER_COLUMNS = [...USER_COLUMNS, 'version'] as const

export function toVersionedUser(row: UserColumns & { version: number }): VersionedUser {
  return { ...toUser(row), version: row.version }
}

export type UserColumns = Pick<Selectable<UserRow>, (typeof USER_COLUMNS)[number]>

export function toUser(row: UserColumns): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles as Role[],
    regions: row.all_regions ? { all: true } : { all: false, codes: row.regions },
    active: row.active,
  }
}

export async function addUser(db: Kysely<Tables>, input: NewUser): Promise<User> {
  const user = await addUserIfMissing(db, input)
  if (!user) throw new UserError(`A user with the ID ${input.id} already exists`)
  return user
}

/**
 * Adds the user unless one with that ID exists (then nothing changes and
 * nothing comes back). The database decides, so two processes adding the
 * same user at once both succeed and one row results.
 */
export async function addUserIfMissing(db: Kysely<Tables>, input: NewUser): Promise<User | undefined> {
  const parsed = newUserSchema.safeParse(input)
  if (!parsed.success) {
    throw new UserError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'user'}: ${i.message}`).join('; '),
    )
  }
  const user = parsed.data
  const regionCodes = user.regions === 'all' ? [] : user.regions
  if (regionCodes.length > 0) {
    const known = await db.selectFrom('rom_regions').select('code').where('code', 'in', regionCodes).execute()
    const unknown = regionCodes.filter((code) => !known.some((k) => k.code === code))
    if (unknown.length > 0) throw new UserError(`Unknown ROM region: ${unknown.join(', ')}`)
  }
  const row = await insertUser(db, {
    id: user.id,
    name: user.name,
    email: user.email,
    roles: user.roles,
    regions: user.regions === 'all' ? { all: true } : { all: false, codes: regionCodes },
    password: user.password,
  })
  return row
}

/** A checked new user: the one place a row of `users` is written from. */
export interface CheckedNewUser {
  readonly id: string
  readonly name: string
  readonly email: string | null
  readonly roles: readonly Role[]
  readonly regions: User['regions']
  /** Null for someone who signs in through the identity provider only. */
  readonly password: string | null
}

/** Inserts the user unless the ID is taken (then nothing comes back). */
export async function insertUser(
  db: Kysely<Tables>,
  user: CheckedNewUser,
): Promise<VersionedUser | undefined> {
  const row = await db
    .insertInto('users')
    .values({
      id: user.id,
      name: user.name,
      email: user.email,
      roles: [...user.roles],
      regions: user.regions.all ? [] : [...user.regions.codes],
      all_regions: user.regions.all,
      password_hash: user.password === null ? null : await hashPassword(user.password),
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning(VERSIONED_USER_COLUMNS)
    .executeTakeFirst()
  return row && toVersionedUser(row)
}

export async function listUsers(db: Kysely<Tables>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('id').execute()
  return rows.map(toUser)
}

export async function findUser(
  db: Kysely<Tables>,
  id: string,
): Promise<(User & { passwordHash: string | null }) | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined
}
