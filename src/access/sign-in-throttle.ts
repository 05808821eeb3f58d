/**
 * Slowing down password guessing. Failed sign-ins are counted per user ID
 * tried and per client address over a sliding window; once either count
 * reaches its limit, further attempts for that ID (or from that address)
 * are refused without checking the password until the oldest failures in
 * the window age out. A refused attempt is not itself counted, so an
 * attacker cannot keep a real user locked out for longer than the window.
 *
 * The counts live in the database (sign_in_failures), not in memory or the
 * session: every instance of the service must see the same failures, a
 * restart must not reset them, and a guesser simply drops the session cookie.
 *
 * An ID that does not exist is counted exactly like one that does, so
 * being refused says nothing about which IDs exist. Two attempts at the same
 * moment may both be let through at the limit: the bound is approximate by
 * one or two, which is enough to stop guessing. Behind a proxy the address
 * is the one the proxy reports (trustProxy in production): a proxy that
 * passes on a client's own X-Forwarded-For lets a guesser vary it, which
 * the per-ID count still catches.
 */
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'

export interface SignInThrottleLimits {
  /** Failures for one user ID within the window before its attempts are refused. */
  readonly maxFailuresPerUser: number
  /** Failures from one client address within the window (higher: an office shares one address). */
  readonly maxFailuresPerAddress: number
  readonly windowMinutes: number
}

export interface SignInAttempt {
  /** As typed, trimmed. */
  readonly userId: string
  /** The client's address as the service sees it (the proxy's X-Forwarded-For in production). */
  readonly address: string
}

function windowStart(limits: SignInThrottleLimits, now: Date): Date {
  return new Date(now.getTime() - limits.windowMinutes * 60_000)
}

/** Whether the attempt may go ahead: false while the ID or the address has too many recent failures. */
export async function signInAllowed(
  db: Kysely<Tables>,
  attempt: SignInAttempt,
  limits: SignInThrottleLimits,
  now: Date,
): Promise<boolean> {
  const since = windowStart(limits, now)
  const counts = await db
    .selectFrom('sign_in_failures')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('user_id', '=', attempt.userId).as('forUser'),
      eb.fn.countAll<number>().filterWhere('address', '=', attempt.address).as('fromAddress'),
    ])
    .where('failed_at', '>', since)
    .where((eb) => eb.or([eb('user_id', '=', attempt.userId), eb('address', '=', attempt.address)]))
    .executeTakeFirstOrThrow()
  return (
    Number(counts.forUser) < limits.maxFailuresPerUser &&
    Number(counts.fromAddress) < limits.maxFailuresPerAddress
  )
}

export async function recordSignInFailure(
  db: Kysely<Tables>,
  attempt: SignInAttempt,
  limits: SignInThrottleLimits,
  now: Date,
): Promise<void> {
  await db
    .insertInto('sign_in_failures')
    .values({ user_id: attempt.userId, address: attempt.address, failed_at: now })
    .execute()
  // Failures that can no longer count are of no use: the table stays the size of one window.
  await db.deleteFrom('sign_in_failures').where('failed_at', '<=', windowStart(limits, now)).execute()
}

/**
 * A correct password ends the count for that ID (the user got in). The
 * address's failures stay: a guesser with one account of their own must not
 * be able to reset the count for the address by signing into it.
 */
export async function clearSignInFailures(db: Kysely<Tables>, userId: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('user_id', '=', userId).execute()
}
