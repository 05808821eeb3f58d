/**
 * Every change to a user, from the pages or the `ipic users` commands:
 * adding one, changing their roles and regions, deactivating and
 * reactivating them. Each is one transaction that reads the user as they
 * are (locking the row), checks the actor may make the change
 * (user-management.ts), writes it, raises the user's version and records
 * an audit event with the user before and after; deactivation also deletes
 * the user's sessions, so they are signed out at once. A change made
 * against an older version than the user's is refused as stale, with the
 * user as they are now: two people changing one user at once never
 * silently overwrite each other.
 *
 * The command line is an actor bound by no grant rule: it is how the first
 * administrator is added, and how a service is recovered.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import { type AuditedUser, recordAuditEvent } from '../audit/events.ts'
import type { Tables } from '../db/tables.ts'
import type { RegionScope } from './region-scope.ts'
import type { CheckedUserDetails } from './user-fields.ts'
import {
  type Access,
  type AccessProblem,
  type ActingUser,
  checkAccess,
  checkAccessShape,
  checkDeactivation,
  type DeactivationProblem,
  mayManage,
} from './user-management.ts'
import { insertUser, toVersionedUser, VERSIONED_USER_COLUMNS, type VersionedUser } from './users.ts'

/** Who makes a change: a signed-in user, or an operator at the command line. */
export type Actor = { readonly kind: 'user'; readonly user: ActingUser } | { readonly kind: 'command-line' }

export const COMMAND_LINE: Actor = { kind: 'command-line' }

/** A region code that is not a ROM region (a tampered form, a typing slip at the command line). */
export type UnknownRegionProblem = {
  readonly field: 'regions'
  readonly code: 'regionUnknown'
  readonly params: { readonly region: string }
}

export type UserChangeProblem =
  | AccessProblem
  | UnknownRegionProblem
  | { readonly field: 'id'; readonly code: 'idTaken' }

/** Why the actor may not touch this user at all: the pages answer 403. */
type Refusal =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-managed'; readonly user: VersionedUser }
  | { readonly kind: 'stale'; readonly current: VersionedUser }

export type AddResult =
  | { readonly kind: 'added'; readonly user: VersionedUser }
  | { readonly kind: 'invalid'; readonly problems: readonly UserChangeProblem[] }

export type ChangeResult =
  | { readonly kind: 'changed'; readonly user: VersionedUser }
  /** The roles and regions were already as asked: nothing written, nothing recorded. */
  | { readonly kind: 'unchanged'; readonly user: VersionedUser }
  | {
      readonly kind: 'invalid'
      readonly problems: readonly UserChangeProblem[]
      readonly current: VersionedUser
    }
  | Refusal

export type ActivationResult =
  | { readonly kind: 'changed'; readonly user: VersionedUser }
  /** Already active (or inactive): nothing written. */
  | { readonly kind: 'unchanged'; readonly user: VersionedUser }
  | { readonly kind: 'refused'; readonly problems: readonly DeactivationProblem[] }
  | Refusal

interface Change {
  readonly actor: Actor
  /** When the change is made, for the audit trail. */
  readonly at: Date
}

interface ChangeToUser extends Change {
  readonly userId: string
  /** The version the change was made against; undefined at the command line, which changes what is there. */
  readonly expectedVersion: number | undefined
}

export async function addUserAs(
  db: Kysely<Tables>,
  change: Change & { readonly details: CheckedUserDetails; readonly access: Access },
): Promise<AddResult> {
  const { actor, details, access } = change
  return db.transaction().execute(async (trx): Promise<AddResult> => {
    const problems = await accessProblems(trx, actor, access, undefined)
    if (problems.length > 0) return { kind: 'invalid', problems }
    const user = await insertUser(trx, { ...details, roles: access.roles, regions: access.regions })
    if (!user) return { kind: 'invalid', problems: [{ field: 'id', code: 'idTaken' }] }
    await recordAuditEvent(trx, {
      kind: 'user-added',
      at: change.at,
      userId: actingUserId(actor),
      subjectUserId: user.id,
      after: audited(user),
    })
    return { kind: 'added', user }
  })
}

export async function changeAccessAs(
  db: Kysely<Tables>,
  change: ChangeToUser & { readonly access: Access },
): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const found = await lockedUser(trx, change)
    if ('kind' in found) return found
    const problems = await accessProblems(trx, change.actor, change.access, found)
    if (problems.length > 0) return { kind: 'invalid', problems, current: found }
    if (sameAccess(found, change.access)) return { kind: 'unchanged', user: found }
    const { roles, regions } = change.access
    const user = await updateUser(trx, found.id, {
      roles: [...roles],
      regions: regions.all ? [] : [...regions.codes],
      all_regions: regions.all,
    })
    await recordChange(trx, change, 'user-changed', found, user)
    return { kind: 'changed', user }
  })
}

export async function setActiveAs(
  db: Kysely<Tables>,
  change: ChangeToUser & { readonly active: boolean },
): Promise<ActivationResult> {
  return db.transaction().execute(async (trx): Promise<ActivationResult> => {
    const found = await lockedUser(trx, change)
    if ('kind' in found) return found
    if (found.active === change.active) return { kind: 'unchanged', user: found }
    if (!change.active && change.actor.kind === 'user') {
      const problems = checkDeactivation(change.actor.user, found)
      if (problems.length > 0) return { kind: 'refused', problems }
    }
    const user = await updateUser(trx, found.id, { active: change.active })
    if (!change.active) {
      // Signed out at once: the next request from any of their sessions starts afresh, at sign-in.
      await trx.deleteFrom('sessions').where(sql<string>`data->>'userId'`, '=', found.id).execute()
    }
    await recordChange(trx, change, change.active ? 'user-reactivated' : 'user-deactivated', found, user)
    return { kind: 'changed', user }
  })
}

/** The user, locked until the transaction ends, if the actor may change them at the version expected. */
async function lockedUser(trx: Transaction<Tables>, change: ChangeToUser): Promise<VersionedUser | Refusal> {
  const row = await trx
    .selectFrom('users')
    .select(VERSIONED_USER_COLUMNS)
    .where('id', '=', change.userId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) return { kind: 'not-found' }
  const user = toVersionedUser(row)
  if (change.actor.kind === 'user' && !mayManage(change.actor.user, user))
    return { kind: 'not-managed', user }
  if (change.expectedVersion !== undefined && change.expectedVersion !== user.version) {
    return { kind: 'stale', current: user }
  }
  return user
}

async function accessProblems(
  trx: Transaction<Tables>,
  actor: Actor,
  access: Access,
  current: VersionedUser | undefined,
): Promise<UserChangeProblem[]> {
  const unknown = await unknownRegions(trx, access.regions)
  const known: Access = access.regions.all
    ? access
    : {
        ...access,
        regions: { all: false, codes: access.regions.codes.filter((code) => !unknown.includes(code)) },
      }
  const unknownProblems = unknown.map(
    (region): UnknownRegionProblem => ({ field: 'regions', code: 'regionUnknown', params: { region } }),
  )
  // The command line may grant anything: only a user with no role or no region is refused.
  const problems =
    actor.kind === 'command-line' ? checkAccessShape(known) : checkAccess(actor.user, known, current)
  // An unknown region alone is the problem to name; "choose a region" would be a second word for it.
  return unknown.length > 0
    ? [...unknownProblems, ...problems.filter((p) => p.code !== 'regionsMissing')]
    : problems
}

async function unknownRegions(trx: Transaction<Tables>, regions: RegionScope): Promise<string[]> {
  if (regions.all || regions.codes.length === 0) return []
  const known = await trx
    .selectFrom('rom_regions')
    .select('code')
    .where('code', 'in', [...regions.codes])
    .execute()
  return regions.codes.filter((code) => !known.some((row) => row.code === code))
}

function sameAccess(user: VersionedUser, access: Access): boolean {
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((item) => b.includes(item))
  if (!sameSet(user.roles, access.roles)) return false
  if (user.regions.all || access.regions.all) return user.regions.all === access.regions.all
  return sameSet(user.regions.codes, access.regions.codes)
}

async function updateUser(
  trx: Transaction<Tables>,
  id: string,
  set: { roles?: string[]; regions?: string[]; all_regions?: boolean; active?: boolean },
): Promise<VersionedUser> {
  const row = await trx
    .updateTable('users')
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(VERSIONED_USER_COLUMNS)
    .executeTakeFirstOrThrow()
  return toVersionedUser(row)
}

function recordChange(
  trx: Transaction<Tables>,
  change: ChangeToUser,
  kind: 'user-changed' | 'user-deactivated' | 'user-reactivated',
  before: VersionedUser,
  after: VersionedUser,
): Promise<void> {
  return recordAuditEvent(trx, {
    kind,
    at: change.at,
    userId: actingUserId(change.actor),
    subjectUserId: after.id,
    before: audited(before),
    after: audited(after),
  })
}

/** Null for the command line, as the audit trail records a command's work. */
function actingUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.user.id : null
}

function audited(user: VersionedUser): AuditedUser {
  return {
    name: user.name,
    email: user.email,
    roles: [...user.roles],
    regions: user.regions.all ? 'all' : [...user.regions.codes],
    active: user.active,
  }
}
