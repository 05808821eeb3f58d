/**
 * Checking a user ID and password. The answer is only "signed in as this
 * user" or "no": a caller cannot tell an unknown ID from a wrong password or
 * an inactive account, and neither can anyone timing the response, because a
 * password is hashed and compared in every case (against a dummy hash when
 * there is no account to compare with).
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords.ts'
import { findUser, type User } from './users.ts'

export async function authenticate(
  db: Kysely<Tables>,
  userId: string,
  password: string,
): Promise<User | undefined> {
  const found = await findUser(db, userId)
  const matches = await verifyPassword(password, found?.passwordHash ?? UNKNOWN_USER_HASH)
  if (!found?.passwordHash || !found.active || !matches) return undefined
  const { passwordHash: _hash, ...user } = found
  return user
}

/** The user a session belongs to, if the account still exists and is active. */
export async function findSignedInUser(db: Kysely<Tables>, userId: string): Promise<User | undefined> {
  const found = await findUser(db, userId)
  if (!found?.active) return undefined
  const { passwordHash: _hash, ...user } = found
  return user
}
