/**
 * Demo accounts: one caseworker and one manager for each ROM region, and an
 * administrator and an auditor for all of them, sharing one published password. Seeded only
 * in demo mode (the embedded database, or IPIC_DEMO=1), never into a real
 * service's database.
 *
 * The demo administrator holds every role, not only Administrator: nobody
 * can give a role they do not hold (user-management.ts), so this is what
 * lets the demo's user pages give every role, and try every page.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { ROLE_CODES, type Role } from './roles.ts'
import { addUserIfMissing, findUser } from './users.ts'

/** Printed at start-up and in the README: it protects synthetic data only. */
export const DEMO_PASSWORD = 'demo-password-1'

export interface DemoUser {
  readonly id: string
  readonly name: string
  readonly roles: readonly Role[]
  /** A ROM region's code and name, or every region. */
  readonly region: { readonly code: string; readonly name: string } | 'all'
  /** False when the account was already there from an earlier start. */
  readonly created: boolean
}

interface DemoAccount {
  readonly id: string
  readonly name: string
  readonly roles: readonly Role[]
  readonly region: { readonly code: string; readonly name: string } | 'all'
}

function demoAccounts(regions: readonly { code: string; name: string }[]): DemoAccount[] {
  const perRegion = regions.flatMap((region): DemoAccount[] => [
    {
      id: `caseworker.${region.code.toLowerCase()}`,
      name: `Demo caseworker, ${region.name}`,
      roles: ['CASEWORKER'],
      region,
    },
    {
      id: `manager.${region.code.toLowerCase()}`,
      name: `Demo manager, ${region.name}`,
      roles: ['MANAGER'],
      region,
    },
  ])
  return [
    { id: 'admin', name: 'Demo administrator', roles: ROLE_CODES, region: 'all' },
    { id: 'auditor', name: 'Demo auditor', roles: ['AUDITOR'], region: 'all' },
    ...perRegion,
  ]
}

/**
 * Adds whichever demo accounts are missing; existing accounts are left as
 * they are. Safe when two processes seed one database at once: each account
 * is added once, and the other process finds it there.
 */
export async function seedDemoUsers(db: Kysely<Tables>): Promise<DemoUser[]> {
  const regions = await db.selectFrom('rom_regions').select(['code', 'name']).orderBy('position').execute()
  const seeded: DemoUser[] = []
  for (const account of demoAccounts(regions)) {
    // Looked up first only to spare hashing the password again on every later start.
    const created =
      !(await findUser(db, account.id)) &&
      (await addUserIfMissing(db, {
        id: account.id,
        name: account.name,
        roles: [...account.roles],
        regions: account.region === 'all' ? 'all' : [account.region.code],
        password: DEMO_PASSWORD,
      })) !== undefined
    seeded.push({ ...account, created })
  }
  return seeded
}
