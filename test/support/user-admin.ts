/**
 * What the user administration tests share: a set of users (an
 * administrator holding every role, a plain administrator, managers and
 * caseworkers of two regions, an analyst), the users row as stored, the
 * audit events of user changes, and a signed-in client's form posts.
 */
import type { Kysely } from 'kysely'
import type { Role } from '../../src/access/roles.ts'
import type { Tables } from '../../src/db/tables.ts'
import type { TestDatabase } from './database.ts'
import { addTestUser, csrfTokenIn, type WebClient } from './web.ts'

export const EVERY_ROLE: Role[] = ['CASEWORKER', 'MANAGER', 'RULE_AUTHOR', 'MI_ANALYST', 'ADMIN']

export const STAFF = {
  root: { name: 'Robin Root', roles: EVERY_ROLE, regions: 'all' },
  admin: { name: 'Ada Admin', roles: ['ADMIN'], regions: 'all' },
  'mgr.lse': { name: 'Mo Manager', roles: ['MANAGER'], regions: ['LSE'] },
  'mgr.mee': { name: 'Mia Manager', roles: ['MANAGER'], regions: ['MEE'] },
  'cw.lse': { name: 'Cal Caseworker', roles: ['CASEWORKER'], regions: ['LSE'] },
  'cw.lse2': { name: 'Cleo Caseworker', roles: ['CASEWORKER'], regions: ['LSE'] },
  'cw.mee': { name: 'Cy Caseworker', roles: ['CASEWORKER'], regions: ['MEE'] },
  'cw.both': { name: 'Bo Both', roles: ['CASEWORKER'], regions: ['LSE', 'MEE'] },
  analyst: { name: 'Ana Lyst', roles: ['MI_ANALYST'], regions: 'all' },
} as const satisfies Record<
  string,
  { name: string; roles: readonly Role[]; regions: 'all' | readonly string[] }
>

export type StaffId = keyof typeof STAFF

export async function addStaff(database: TestDatabase): Promise<void> {
  for (const [id, user] of Object.entries(STAFF)) {
    await addTestUser(database, {
      id,
      name: user.name,
      roles: [...user.roles],
      regions: user.regions === 'all' ? 'all' : [...user.regions],
    })
  }
}

/** The users row as stored (no password hash). */
export function storedUser(db: Kysely<Tables>, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'roles', 'regions', 'all_regions', 'active', 'version'])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Every audit event of a user change, oldest first. */
export async function userChangeEvents(db: Kysely<Tables>) {
  const rows = await db
    .selectFrom('audit_events')
    .select(['kind', 'user_id', 'subject_user_id', 'details'])
    .where('kind', 'in', ['user-added', 'user-changed', 'user-deactivated', 'user-reactivated'])
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    ...row,
    details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
      string,
      unknown
    >,
  }))
}

/** Opens `pageUrl` and posts `fields` to `action` with that page's CSRF token, as its form would. */
export async function submitForm(
  client: WebClient,
  pageUrl: string,
  action: string,
  fields: Record<string, string | string[]>,
) {
  const page = await client.get(pageUrl)
  if (page.statusCode !== 200) throw new Error(`${pageUrl} answered ${page.statusCode}`)
  return client.post(action, { _csrf: csrfTokenIn(page.body), ...fields })
}

/** The version hidden field of a page's form. */
export function versionIn(html: string): string {
  const match = /name="version" value="(\d+)"/.exec(html)
  if (!match?.[1]) throw new Error('the page has no version field')
  return match[1]
}
