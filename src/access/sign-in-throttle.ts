/**
 * Slowing down password guessing, per user ID tried and per client address
 * (how long each must wait: sign-in-delay.ts).
 *
 * An attempt reserves its place before its password is checked: a PENDING
 * row in sign_in_attempts, written only if neither the ID nor the address
 * must wait. The reservation holds a lock per ID and per address until it
 * commits, so simultaneous attempts are counted one after another and a
 * burst of them is held to the same bound as the same attempts sent one by
 * one; the attempts turned away never reach the password check, which costs
 * the server far more than refusing. A wrong password makes the row FAILED; a
 * right one deletes the ID's rows. A row left PENDING by a process that
 * stopped mid-check counts like a failure, and like one is forgotten once
 * older than the window or when the user gets in: nobody is kept out for ever.
 *
 * A refused attempt is not recorded, so retrying while told to wait does not
 * make the wait longer. The rows live in the database, not in memory or the
 * session: every instance of the service must see the same attempts, a
 * restart must not forget them, and a guesser simply drops the session
 * cookie. An ID that does not exist is counted exactly like one that does,
 * so being told to wait says nothing about which IDs exist. The address is
 * the connection's, or the one a proxy named in TRUST_PROXY reports, so a
 * client cannot choose it by sending its own X-Forwarded-For.
 */
import { type Kysely, sql, type Transaction } from 'kysely'
import type { SignInThrottleLimits } from '../config.ts'
import type { Tables } from '../db/tables.ts'
import { nextSignInAt, type RecentAttempts } from './sign-in-delay.ts'

export interface SignInAttempt {
  /** As typed, trimmed. */
  readonly userId: string
  /** The client's address as the service sees it (a trusted proxy's X-Forwarded-For, or the connection's). */
  readonly address: string
}

/** Let through to the password check, as this row of sign_in_attempts. */
export interface ReservedAttempt {
  readonly reserved: true
  readonly id: number
  readonly attempt: SignInAttempt
}

/** Turned away until `retryAt`, without a password check. */
export interface RefusedAttempt {
  readonly reserved: false
  readonly retryAt: Date
}

// Advisory lock key spaces (the first of the two keys), so an ID never shares a lock with an address.
// Two-key locks are apart from the one-key locks of imports and rule runs, whatever the hashes.
const USER_ID_LOCKS = 1
const ADDRESS_LOCKS = 2

function windowStart(limits: SignInThrottleLimits, now: Date): Date {
  return new Date(now.getTime() - limits.windowMinutes * 60_000)
}

export async function reserveSignInAttempt(
  db: Kysely<Tables>,
  attempt: SignInAttempt,
  limits: SignInThrottleLimits,
  now: Date,
): Promise<ReservedAttempt | RefusedAttempt> {
  return db.transaction().execute(async (trx) => {
    // Always the ID's lock first, then the address's: two reservations never
    // each hold a lock the other is waiting for. Both are held to commit, so
    // the next reservation for this ID or address sees this one's row.
    await sql`select pg_advisory_xact_lock(${sql.lit(USER_ID_LOCKS)}, hashtext(${attempt.userId}))`.execute(
      trx,
    )
    await sql`select pg_advisory_xact_lock(${sql.lit(ADDRESS_LOCKS)}, hashtext(${attempt.address}))`.execute(
      trx,
    )
    const recent = await recentAttempts(trx, attempt, windowStart(limits, now))
    const retryAt = nextSignInAt(recent.forUser, recent.fromAddress, limits, now)
    if (retryAt) return { reserved: false, retryAt }

    const row = await trx
      .insertInto('sign_in_attempts')
      .values({ user_id: attempt.userId, address: attempt.address, attempted_at: now, outcome: 'PENDING' })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { reserved: true, id: row.id, attempt }
  })
}

async function recentAttempts(
  trx: Transaction<Tables>,
  attempt: SignInAttempt,
  since: Date,
): Promise<{ forUser: RecentAttempts; fromAddress: RecentAttempts }> {
  const row = await trx
    .selectFrom('sign_in_attempts')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('user_id', '=', attempt.userId).as('userCount'),
      eb.fn.max('attempted_at').filterWhere('user_id', '=', attempt.userId).as('userLatest'),
      eb.fn.countAll<number>().filterWhere('address', '=', attempt.address).as('addressCount'),
      eb.fn.max('attempted_at').filterWhere('address', '=', attempt.address).as('addressLatest'),
    ])
    .where('attempted_at', '>', since)
    .where((eb) => eb.or([eb('user_id', '=', attempt.userId), eb('address', '=', attempt.address)]))
    .executeTakeFirstOrThrow()
  return {
    forUser: { count: Number(row.userCount), latest: row.userLatest ?? undefined },
    fromAddress: { count: Number(row.addressCount), latest: row.addressLatest ?? undefined },
  }
}

/** The password was wrong: the reservation stays, as a failure. */
export async function recordSignInFailure(
  db: Kysely<Tables>,
  reserved: ReservedAttempt,
  limits: SignInThrottleLimits,
  now: Date,
): Promise<void> {
  const updated = await db
    .updateTable('sign_in_attempts')
    .set({ outcome: 'FAILED' })
    .where('id', '=', reserved.id)
    .executeTakeFirst()
  // A right password for the ID while this one was being checked cleared the
  // reservation with the rest; the failure still counts.
  if (updated.numUpdatedRows === 0n) {
    await db
      .insertInto('sign_in_attempts')
      .values({
        user_id: reserved.attempt.userId,
        address: reserved.attempt.address,
        attempted_at: now,
        outcome: 'FAILED',
      })
      .execute()
  }
  // Attempts that can no longer count are of no use: the table stays the size of one window.
  await db.deleteFrom('sign_in_attempts').where('attempted_at', '<=', windowStart(limits, now)).execute()
}

/**
 * The password was right: the ID's attempts are forgotten (the user got in),
 * from wherever they came, even those left pending. What this takes off the
 * address's count is only this ID's own: a guesser with an account of their
 * own cannot clear the guesses they made at other IDs by signing into it.
 */
export async function clearSignInAttempts(db: Kysely<Tables>, reserved: ReservedAttempt): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('user_id', '=', reserved.attempt.userId).execute()
}
