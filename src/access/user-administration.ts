/**
 * User administration as the pages call it, built once per process
 * (services.ts): finding the users the actor manages, opening one, adding,
 * changing roles and regions, deactivating and reactivating, each change
 * stamped with the clock's time (user-changes.ts does the work).
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import {
  type ActivationResult,
  type AddResult,
  addUserAs,
  type ChangeResult,
  changeAccessAs,
  setActiveAs,
} from './user-changes.ts'
import { findUsers, findVersionedUser, type UserFilter, type UserPage } from './user-directory.ts'
import type { CheckedUserDetails } from './user-fields.ts'
import { type Access, type ActingUser, mayManage } from './user-management.ts'
import type { VersionedUser } from './users.ts'

export interface RegionName {
  readonly code: string
  readonly name: string
}

/** A user the actor opened: theirs to manage, someone else's, or nobody. */
export type OpenedUser =
  | { readonly kind: 'managed'; readonly user: VersionedUser }
  | { readonly kind: 'not-managed' }
  | { readonly kind: 'not-found' }

export class UserAdministration {
  readonly #db: Kysely<Tables>
  readonly #clock: Clock
  /** The ROM regions, in their usual order, for the forms and for putting codes into words. */
  readonly regions: readonly RegionName[]

  constructor(options: { db: Kysely<Tables>; clock: Clock; regions: readonly RegionName[] }) {
    this.#db = options.db
    this.#clock = options.clock
    this.regions = options.regions
  }

  find(actor: ActingUser, filter: UserFilter, page: { number: number; size: number }): Promise<UserPage> {
    return findUsers(this.#db, actor, filter, page)
  }

  async open(actor: ActingUser, userId: string): Promise<OpenedUser> {
    const user = await findVersionedUser(this.#db, userId)
    if (!user) return { kind: 'not-found' }
    return mayManage(actor, user) ? { kind: 'managed', user } : { kind: 'not-managed' }
  }

  add(actor: ActingUser, details: CheckedUserDetails, access: Access): Promise<AddResult> {
    return addUserAs(this.#db, {
      actor: { kind: 'user', user: actor },
      at: this.#clock.now(),
      details,
      access,
    })
  }

  changeAccess(
    actor: ActingUser,
    userId: string,
    expectedVersion: number,
    access: Access,
  ): Promise<ChangeResult> {
    return changeAccessAs(this.#db, {
      actor: { kind: 'user', user: actor },
      at: this.#clock.now(),
      userId,
      expectedVersion,
      access,
    })
  }

  setActive(
    actor: ActingUser,
    userId: string,
    expectedVersion: number,
    active: boolean,
  ): Promise<ActivationResult> {
    return setActiveAs(this.#db, {
      actor: { kind: 'user', user: actor },
      at: this.#clock.now(),
      userId,
      expectedVersion,
      active,
    })
  }
}
