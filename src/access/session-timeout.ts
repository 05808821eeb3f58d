/**
 * When a signed-in session ends, and why: after a stretch without a request
 * (idle), or a fixed time after sign-in however busy it has been (absolute),
 * whichever comes first. The request path, the session's status for the
 * timeout warning and the "You have been signed out" page all decide it
 * here, so they never disagree.
 */
import { defaultTouchAfterMs, type StoredSession, type StoredSignIn } from './session-store.ts'

/** Why a signed-in session ended. */
export type SessionTimeout = 'idle' | 'absolute'

export const SESSION_TIMEOUTS: readonly SessionTimeout[] = ['idle', 'absolute']

export function isSessionTimeout(value: unknown): value is SessionTimeout {
  return typeof value === 'string' && (SESSION_TIMEOUTS as readonly string[]).includes(value)
}

export interface SessionLimits {
  readonly idleMs: number
  /** From sign-in. */
  readonly maxAgeMs: number
}

export function sessionLimits(idleMinutes: number, maxHours: number): SessionLimits {
  return { idleMs: idleMinutes * 60_000, maxAgeMs: maxHours * 3_600_000 }
}

/** A session without a sign-in time predates the limit: it is treated as too old. */
function absoluteEnd(signIn: StoredSignIn, limits: SessionLimits): number {
  return signIn.signedInAt === undefined ? Number.NEGATIVE_INFINITY : signIn.signedInAt + limits.maxAgeMs
}

/** Why the session has ended by `now`, or undefined while it lasts; whichever limit came first is the reason. */
export function timedOutBecause(
  signIn: StoredSignIn,
  limits: SessionLimits,
  now: number,
): SessionTimeout | undefined {
  if (absoluteEnd(signIn, limits) <= Math.min(now, signIn.expiresAt)) return 'absolute'
  if (signIn.expiresAt <= now) return 'idle'
  return undefined
}

/** What the timeout warning asks the server: how long is left, or why the session has gone. */
export type SessionStatus =
  | { readonly signedIn: true; readonly idleSecondsLeft: number; readonly absoluteSecondsLeft: number }
  /** `endedBecause` is null for a session that was signed out, or never signed in. */
  | { readonly signedIn: false; readonly endedBecause: SessionTimeout | null }

export function sessionStatus(
  stored: StoredSession | undefined,
  limits: SessionLimits,
  now: number,
): SessionStatus {
  if (!stored?.userId) return { signedIn: false, endedBecause: null }
  const ended = timedOutBecause(stored, limits, now)
  if (ended) return { signedIn: false, endedBecause: ended }
  if (!stored.userActive) return { signedIn: false, endedBecause: null }
  return {
    signedIn: true,
    idleSecondsLeft: secondsUntil(stored.expiresAt, now),
    absoluteSecondsLeft: secondsUntil(absoluteEnd(stored, limits), now),
  }
}

function secondsUntil(end: number, now: number): number {
  return Math.max(0, (end - now) / 1000)
}

/** When the signed-in pages' timeout warning appears and asks the server (seconds, from the page's load). */
export interface TimeoutWarningTimings {
  readonly idleSeconds: number
  /** How long before the idle timeout the warning appears. */
  readonly warningSeconds: number
  /**
   * When a page first asks the server how long is left. A save that would
   * only move the expiry on a little is skipped (session-store.ts), so the
   * session may end that much sooner than the idle time after the page's
   * request: the page asks that much earlier, and the server's answer says
   * exactly when to warn.
   */
  readonly firstCheckSeconds: number
}

/** Two minutes' warning, or half of an idle time shorter than four minutes. */
export function warningLeadMs(idleMs: number): number {
  return Math.min(2 * 60_000, idleMs / 2)
}

export function timeoutWarningTimings(limits: SessionLimits): TimeoutWarningTimings {
  const warningMs = warningLeadMs(limits.idleMs)
  return {
    idleSeconds: limits.idleMs / 1000,
    warningSeconds: warningMs / 1000,
    firstCheckSeconds: Math.max(0, limits.idleMs - defaultTouchAfterMs(limits.idleMs) - warningMs) / 1000,
  }
}
