/**
 * Finding users for the user pages: only those the actor manages
 * (user-management.ts), filtered in SQL, a page at a time. A manager's
 * search never returns a user they could not open.
 */
import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { Role } from './roles.ts'
import { type ActingUser, type ManagedScope, managedScope } from './user-management.ts'
import { toVersionedUser, VERSIONED_USER_COLUMNS, type VersionedUser } from './users.ts'

export interface UserFilter {
  /** Part of a user ID or name, any letter case; empty for any. */
  readonly text: string
  readonly role: Role | undefined
  /** A ROM region code: users who work in it, national ones included. */
  readonly region: string | undefined
  readonly status: 'active' | 'inactive' | undefined
}

export const NO_USER_FILTER: UserFilter = { text: '', role: undefined, region: undefined, status: undefined }

export interface UserPage {
  readonly users: readonly VersionedUser[]
  /** How many users match, on every page. */
  readonly total: number
}

type UsersExpression = ExpressionBuilder<Tables, 'users'>

function inManagedScope(eb: UsersExpression, scope: ManagedScope) {
  switch (scope.kind) {
    case 'everyone':
      return eb.val(true)
    case 'nobody':
      return eb.val(false)
    case 'caseworkers': {
      const conditions = [eb('id', '<>', scope.except), sql<SqlBool>`roles <@ array['CASEWORKER']::text[]`]
      if (!scope.regions.all) {
        const codes = scope.regions.codes
        conditions.push(eb('all_regions', '=', false), sql<SqlBool>`cardinality(regions) > 0`)
        conditions.push(
          codes.length === 0 ? eb.val(false) : sql<SqlBool>`regions <@ array[${sql.join(codes)}]::text[]`,
        )
      }
      return eb.and(conditions)
    }
  }
}

function matching(eb: UsersExpression, filter: UserFilter) {
  const conditions = []
  const text = filter.text.trim().toLowerCase()
  if (text !== '') {
    conditions.push(
      eb.or([sql<SqlBool>`strpos(lower(id), ${text}) > 0`, sql<SqlBool>`strpos(lower(name), ${text}) > 0`]),
    )
  }
  if (filter.role) conditions.push(sql<SqlBool>`${filter.role} = any(roles)`)
  if (filter.region) {
    conditions.push(eb.or([eb('all_regions', '=', true), sql<SqlBool>`${filter.region} = any(regions)`]))
  }
  if (filter.status) conditions.push(eb('active', '=', filter.status === 'active'))
  return eb.and(conditions)
}

export async function findUsers(
  db: Kysely<Tables>,
  actor: ActingUser,
  filter: UserFilter,
  page: { readonly number: number; readonly size: number },
): Promise<UserPage> {
  const scope = managedScope(actor)
  const base = db
    .selectFrom('users')
    .where((eb) => inManagedScope(eb, scope))
    .where((eb) => matching(eb, filter))
  const [rows, count] = await Promise.all([
    base
      .select(VERSIONED_USER_COLUMNS)
      .orderBy(sql`lower(name)`)
      .orderBy('id')
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { users: rows.map(toVersionedUser), total: Number(count.total) }
}

/** The user with this ID, whether or not the actor manages them (the caller asks mayManage). */
export async function findVersionedUser(db: Kysely<Tables>, id: string): Promise<VersionedUser | undefined> {
  const row = await db
    .selectFrom('users')
    .select(VERSIONED_USER_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toVersionedUser(row)
}
