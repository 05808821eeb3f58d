/**
 * What the timeout warning (on every signed-in page) and the "You have been
 * signed out" page say. The warning's countdown is updated in the browser
 * (public/session-timeout.js); the words it starts with come from here.
 */
import {
  isSessionTimeout,
  type SessionLimits,
  type TimeoutWarningTimings,
  timeoutWarningTimings,
} from '../../access/session-timeout.ts'
import { paths } from '../paths.ts'

/** "30 minutes", "10 hours", "1 hour and 30 minutes", "15 seconds". */
export function durationInWords(seconds: number): string {
  const whole = Math.round(seconds)
  const parts: [number, string][] = [
    [Math.floor(whole / 3600), 'hour'],
    [Math.floor((whole % 3600) / 60), 'minute'],
    [whole % 60, 'second'],
  ]
  const words = parts
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`)
  return words.length === 0 ? '0 seconds' : words.join(' and ')
}

export interface TimeoutWarning extends TimeoutWarningTimings {
  /** How long the warning gives: "2 minutes". */
  readonly warningInWords: string
  /** How long without a request signs someone out: "30 minutes". */
  readonly idleInWords: string
}

export function timeoutWarning(limits: SessionLimits): TimeoutWarning {
  const timings = timeoutWarningTimings(limits)
  return {
    ...timings,
    warningInWords: durationInWords(timings.warningSeconds),
    idleInWords: durationInWords(timings.idleSeconds),
  }
}

export interface TimedOutPage {
  /** Why, when the link that brought the user here said: a timeout they can understand. */
  readonly reason: string | undefined
  readonly signInHref: string
}

/**
 * The reason arrives in the query (the guard's redirect, or the warning's
 * script) and only chooses between fixed sentences; anything else is no
 * reason at all.
 */
export function timedOutPage(
  reason: unknown,
  returnTo: string | undefined,
  limits: SessionLimits,
): TimedOutPage {
  return {
    reason: isSessionTimeout(reason) ? reasonInWords[reason](limits) : undefined,
    signInHref: paths.signIn(returnTo),
  }
}

const reasonInWords = {
  idle: (limits: SessionLimits) =>
    `We signed you out because you had not done anything for ${durationInWords(limits.idleMs / 1000)}.`,
  absolute: (limits: SessionLimits) =>
    `We signed you out because you signed in more than ${durationInWords(limits.maxAgeMs / 1000)} ago.`,
} as const
