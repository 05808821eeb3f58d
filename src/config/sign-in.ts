/** Sessions and signing in: the throttle on failed sign-ins, and which ways in the sign-in page offers. */
import { ConfigError } from './config-error.ts'
import type { Environment } from './environment.ts'
import { type SingleSignOnSettings, singleSignOnSettings } from './single-sign-on.ts'

/** How many failed sign-ins cost nothing, and the waits after them (docs/decisions/0012-sign-in-throttle.md). */
export interface SignInThrottleLimits {
  /** Failures for one user ID within the window before each further attempt must wait. */
  readonly maxFailuresPerUser: number
  /** The same for one client address (higher: an office shares one address). */
  readonly maxFailuresPerAddress: number
  /** How long an attempt is remembered. */
  readonly windowMinutes: number
  /** The longest wait between attempts; never more than the window (signInThrottleLimits checks). */
  readonly maxDelayMinutes: number
}

export function signInThrottleLimits(e: Environment): SignInThrottleLimits {
  // A delay longer than the window would never be served: the attempts it follows would be forgotten first.
  if (e.SIGN_IN_MAX_DELAY_MINUTES > e.SIGN_IN_FAILURE_WINDOW_MINUTES) {
    throw new ConfigError('SIGN_IN_MAX_DELAY_MINUTES must not be more than SIGN_IN_FAILURE_WINDOW_MINUTES')
  }
  return {
    maxFailuresPerUser: e.SIGN_IN_MAX_FAILURES,
    maxFailuresPerAddress: e.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    windowMinutes: e.SIGN_IN_FAILURE_WINDOW_MINUTES,
    maxDelayMinutes: e.SIGN_IN_MAX_DELAY_MINUTES,
  }
}

export interface SignInMethods {
  /** The OpenID Connect provider users sign in through, if one is configured. */
  readonly singleSignOn: SingleSignOnSettings | undefined
  /** Whether the sign-in page offers a user ID and password; always, when no provider is configured. */
  readonly localAccounts: boolean
}

export function signInMethods(e: Environment, production: boolean): SignInMethods {
  const singleSignOn = singleSignOnSettings(e, production)
  // With a provider, local accounts are offered only when asked for; without one, they are the only way in.
  if (e.SIGN_IN_LOCAL_ACCOUNTS === false && !singleSignOn) {
    throw new ConfigError('SIGN_IN_LOCAL_ACCOUNTS is off but no OIDC_ISSUER_URL is set: nobody could sign in')
  }
  return { singleSignOn, localAccounts: e.SIGN_IN_LOCAL_ACCOUNTS ?? !singleSignOn }
}
