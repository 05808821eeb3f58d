/**
 * Checking a user ID and password. The answer is only "signed in as this
 * user" or "no": a caller cannot tell an unknown ID from a wrong password or
 * an inactive account, and neither can anyone timing the response, because a
 * password is hashed and compared in every case (against a dummy hash when
 * there is no account to compare with). Every attempt is audited: the
 * sign-in, or the failure with the ID tried (cut short) and never the password.
 */
import type { Kysely } from 'kysely'
import { recordAuditEvent } from '../audit/events.ts'
import type { SignInThrottleLimits } from '../config.ts'
import type { Tables } from '../db/tables.ts'
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords.ts'
import {
  clearSignInAttempts,
  recordSignInFailure,
  reserveSignInAttempt,
  type SignInAttempt,
} from './sign-in-throttle.ts'
import { findUser, type User } from './users.ts'

export type SignInResult =
  | { readonly outcome: 'signed-in'; readonly user: User }
  | { readonly outcome: 'incorrect' }
  /** Too many recent attempts for the ID or from the address: the password was not checked. */
  | { readonly outcome: 'must-wait'; readonly retryAt: Date }

/**
 * A sign-in attempt through the throttle (sign-in-throttle.ts): the password
 * is checked only once the attempt has its place, and the outcome is
 * recorded against that place.
 */
export async function signIn(
  db: Kysely<Tables>,
  attempt: SignInAttempt,
  password: string,
  limits: SignInThrottleLimits,
  now: Date,
): Promise<SignInResult> {
  const failed = { kind: 'sign-in-failed', at: now, attemptedId: attempt.userId, method: 'password' } as const
  const reservation = await reserveSignInAttempt(db, attempt, limits, now)
  if (!reservation.reserved) {
    await recordAuditEvent(db, { ...failed, reason: 'throttled' })
    return { outcome: 'must-wait', retryAt: reservation.retryAt }
  }
  const user = await authenticate(db, attempt.userId, password)
  if (!user) {
    await recordSignInFailure(db, reservation, limits, now)
    await recordAuditEvent(db, { ...failed, reason: 'incorrect' })
    return { outcome: 'incorrect' }
  }
  await clearSignInAttempts(db, reservation)
  // Before the session starts: a sign-in the audit cannot record does not happen.
  await recordAuditEvent(db, { kind: 'sign-in', at: now, userId: user.id, method: 'password' })
  return { outcome: 'signed-in', user }
}

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
