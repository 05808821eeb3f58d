/**
 * How long a user ID or a client address must wait before its next sign-in
 * attempt (docs/decisions/0012-sign-in-throttle.md). The first few failures
 * within the window cost nothing: people mistype. After that each attempt
 * must wait after the one before, 1 minute, then 2, 4, 8 and so on, up to a
 * cap. A delay rather than a lockout: someone else's handful of guesses
 * costs the real user a minute, not a quarter of an hour, while a guesser
 * is held to a few tries an hour (the figures: the decision record).
 */
import type { SignInThrottleLimits } from '../config.ts'

/** The attempts made within the window against one ID, or from one address. */
export interface RecentAttempts {
  readonly count: number
  /** When the latest was made; undefined when there were none. */
  readonly latest: Date | undefined
}

const MINUTE = 60_000

/** The wait after `count` attempts, `allowed` of which cost nothing: 0, or 1, 2, 4 … minutes up to the cap. */
function delayMinutesAfter(count: number, allowed: number, maxDelayMinutes: number): number {
  if (count < allowed) return 0
  return Math.min(2 ** (count - allowed), maxDelayMinutes)
}

/** The earliest time (milliseconds since the epoch) of the next attempt: 0 when there is no wait. */
function earliestNextAttempt(recent: RecentAttempts, allowed: number, maxDelayMinutes: number): number {
  const minutes = delayMinutesAfter(recent.count, allowed, maxDelayMinutes)
  return minutes === 0 || recent.latest === undefined ? 0 : recent.latest.getTime() + minutes * MINUTE
}

/**
 * When the next attempt for this ID from this address may be made: the
 * later of the two waits, or undefined when it may be made now.
 */
export function nextSignInAt(
  forUser: RecentAttempts,
  fromAddress: RecentAttempts,
  limits: SignInThrottleLimits,
  now: Date,
): Date | undefined {
  const at = Math.max(
    earliestNextAttempt(forUser, limits.maxFailuresPerUser, limits.maxDelayMinutes),
    earliestNextAttempt(fromAddress, limits.maxFailuresPerAddress, limits.maxDelayMinutes),
  )
  return at > now.getTime() ? new Date(at) : undefined
}
