/**
 * Signing in through an OpenID Connect provider: the authorization code
 * flow with PKCE, a state and a nonce, all checked by openid-client (a
 * certified relying-party library), never by hand.
 *
 * The provider's metadata is discovered once, when the service starts: a
 * wrong issuer URL or an unreachable provider stops the start with a
 * message saying so, rather than surfacing as an error page to the first
 * person who tries to sign in. Its signing keys are fetched when first
 * needed and again when it rotates them.
 *
 * The provider says who someone is; this service alone says whether they
 * may use it: the identity must name a user here who is active. Every
 * refusal comes back as a reason, for the page to explain and the log to
 * record; none is an exception.
 */
import type { Kysely } from 'kysely'
import * as oidc from 'openid-client'
import { recordAuditEvent } from '../audit/events.ts'
import type { SingleSignOnSettings } from '../config.ts'
import type { Tables } from '../db/tables.ts'
import { hasHiddenCharacters } from '../hidden-characters.ts'
import { findUser, type User } from './users.ts'

/** What the browser's session keeps between sending the user to the provider and their return. */
export interface PendingSignIn {
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
  /** When the user was sent to the provider (ms since the epoch). */
  readonly startedAt: number
}

/** How long a user may take at the provider before the sign-in must start again. */
export const PENDING_SIGN_IN_MINUTES = 15

/** The longest user ID a provider's claim may carry; longer names no user here. */
const MAX_USER_ID_LENGTH = 200
/** The most of a provider's error code and description that is logged. */
const MAX_DESCRIPTION_LENGTH = 200

export type SingleSignOnRefusal =
  /** The provider answered with an error instead of a code: access_denied when the user cancelled or was refused. */
  | { readonly reason: 'provider-error'; readonly error: string; readonly description: string | undefined }
  /** No sign-in was started in this browser session, or it has already been completed: a replayed or stale answer. */
  | { readonly reason: 'not-started' }
  /** The user took longer than PENDING_SIGN_IN_MINUTES at the provider. */
  | { readonly reason: 'expired' }
  /** The answer or the tokens failed a check: state, code, PKCE, the ID token's signature, audience, expiry or nonce. */
  | { readonly reason: 'invalid-response'; readonly check: string }
  /** The identity carries no usable value in the configured claim. */
  | { readonly reason: 'no-user-id'; readonly claim: string }
  | { readonly reason: 'unknown-user'; readonly providerUserId: string }
  | { readonly reason: 'inactive-user'; readonly providerUserId: string }
  /** The provider could not be reached, or failed, while the sign-in was being completed. */
  | { readonly reason: 'provider-unavailable'; readonly problem: string }

export type SingleSignOnResult =
  /** `idToken` is kept for signing out at the provider (id_token_hint); it is never logged. */
  | { readonly outcome: 'signed-in'; readonly user: User; readonly idToken: string }
  | { readonly outcome: 'refused'; readonly refusal: SingleSignOnRefusal }

/** The provider could not be discovered when the service started. */
export class SingleSignOnDiscoveryError extends Error {}

const DISCOVERY_TIMEOUT_SECONDS = 10

export class SingleSignOn {
  readonly #db: Kysely<Tables>
  readonly #settings: SingleSignOnSettings
  readonly #provider: oidc.Configuration

  private constructor(db: Kysely<Tables>, settings: SingleSignOnSettings, provider: oidc.Configuration) {
    this.#db = db
    this.#settings = settings
    this.#provider = provider
  }

  /** Reads the provider's discovery document; throws SingleSignOnDiscoveryError, saying why, if it cannot. */
  static async discover(db: Kysely<Tables>, settings: SingleSignOnSettings): Promise<SingleSignOn> {
    // Configuration allows plain http only for a provider on this computer, outside production.
    const insecure = new URL(settings.issuer).protocol === 'http:'
    try {
      const provider = await oidc.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        clientSecretAsTheProviderTakesIt(settings.clientSecret),
        {
          timeout: DISCOVERY_TIMEOUT_SECONDS,
          ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      )
      return new SingleSignOn(db, settings, provider)
    } catch (error) {
      throw new SingleSignOnDiscoveryError(
        `Could not read the OpenID provider's configuration from ${settings.issuer} (${describe(error)}): check OIDC_ISSUER_URL, and that the provider can be reached from here`,
      )
    }
  }

  get providerName(): string {
    return this.#settings.providerName
  }

  /** The origin of the provider's sign-out page, if it has one: signing out here sends the browser on to it. */
  get signOutOrigin(): string | undefined {
    const endpoint = this.#provider.serverMetadata().end_session_endpoint
    return endpoint ? new URL(endpoint).origin : undefined
  }

  /** Where to send the browser to sign in, and what its session must keep until it comes back. */
  async startSignIn(now: Date): Promise<{ readonly authorizationUrl: URL; readonly pending: PendingSignIn }> {
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      startedAt: now.getTime(),
    }
    const authorizationUrl = oidc.buildAuthorizationUrl(this.#provider, {
      redirect_uri: this.#settings.redirectUrl,
      scope: this.#settings.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    })
    return { authorizationUrl, pending }
  }

  /**
   * Completes a sign-in from the provider's answer (the callback's query
   * string) and the pending sign-in this browser's session kept, if any.
   * The caller must forget the pending sign-in whatever the result: each
   * may be completed once.
   */
  async completeSignIn(
    answer: URLSearchParams,
    pending: PendingSignIn | undefined,
    now: Date,
  ): Promise<SingleSignOnResult> {
    const result = await this.#complete(answer, pending, now)
    // Audited before the caller starts a session: one the audit cannot record does not start.
    await recordAuditEvent(
      this.#db,
      result.outcome === 'signed-in'
        ? { kind: 'sign-in', at: now, userId: result.user.id, method: 'single-sign-on' }
        : {
            kind: 'sign-in-failed',
            at: now,
            attemptedId: 'providerUserId' in result.refusal ? result.refusal.providerUserId : null,
            method: 'single-sign-on',
            reason: result.refusal.reason,
          },
    )
    return result
  }

  async #complete(
    answer: URLSearchParams,
    pending: PendingSignIn | undefined,
    now: Date,
  ): Promise<SingleSignOnResult> {
    if (!pending) return refused({ reason: 'not-started' })
    if (now.getTime() - pending.startedAt > PENDING_SIGN_IN_MINUTES * 60_000)
      return refused({ reason: 'expired' })
    // The answer as the provider addressed it: the configured URL, not whatever Host header arrived.
    const callbackUrl = new URL(this.#settings.redirectUrl)
    callbackUrl.search = answer.toString()
    let providerUserId: unknown
    let idToken: string
    try {
      const tokens = await oidc.authorizationCodeGrant(this.#provider, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims || !tokens.id_token) return refused({ reason: 'invalid-response', check: 'no ID token' })
      idToken = tokens.id_token
      providerUserId = claims[this.#settings.userIdClaim]
      // Many providers put profile claims only in UserInfo; it must be about the same subject.
      if (providerUserId === undefined) {
        const userInfo = await oidc.fetchUserInfo(this.#provider, tokens.access_token, claims.sub)
        providerUserId = userInfo[this.#settings.userIdClaim]
      }
    } catch (error) {
      const refusal = refusalFor(error)
      if (refusal) return refused(refusal)
      throw error
    }
    return this.#signInAs(providerUserId, idToken)
  }

  /**
   * The provider's sign-out page for someone who signed in through it (their
   * ID token), coming back to `signedOutPath` here; none if the provider has
   * no such page or the user signed in with a local account.
   */
  signOutUrl(idToken: string | undefined, signedOutPath: string): URL | undefined {
    if (!idToken || !this.#provider.serverMetadata().end_session_endpoint) return undefined
    return oidc.buildEndSessionUrl(this.#provider, {
      id_token_hint: idToken,
      post_logout_redirect_uri: new URL(signedOutPath, this.#settings.redirectUrl).href,
    })
  }

  async #signInAs(providerUserId: unknown, idToken: string): Promise<SingleSignOnResult> {
    if (
      typeof providerUserId !== 'string' ||
      providerUserId.trim() === '' ||
      providerUserId.length > MAX_USER_ID_LENGTH ||
      hasHiddenCharacters(providerUserId, 'one-line')
    ) {
      return refused({ reason: 'no-user-id', claim: this.#settings.userIdClaim })
    }
    const found = await findUser(this.#db, providerUserId)
    if (!found) return refused({ reason: 'unknown-user', providerUserId })
    if (!found.active) return refused({ reason: 'inactive-user', providerUserId })
    const { passwordHash: _hash, ...user } = found
    return { outcome: 'signed-in', user, idToken }
  }
}

function refused(refusal: SingleSignOnRefusal): SingleSignOnResult {
  return { outcome: 'refused', refusal }
}

/**
 * Client secret basic, the default of OpenID Connect's client registration,
 * unless the provider says it takes only the secret in the form body.
 */
function clientSecretAsTheProviderTakesIt(secret: string): oidc.ClientAuth {
  const basic = oidc.ClientSecretBasic(secret)
  const post = oidc.ClientSecretPost(secret)
  return (server, client, body, headers) => {
    const supported = server.token_endpoint_auth_methods_supported
    const usePost = supported?.includes('client_secret_post') && !supported.includes('client_secret_basic')
    return (usePost ? post : basic)(server, client, body, headers)
  }
}

/** The openid-client errors that are checks failing, as opposed to the provider being unreachable. */
const FAILED_CHECKS = new Set([
  'OAUTH_INVALID_RESPONSE',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
  'OAUTH_PARSE_ERROR',
  'OAUTH_UNSUPPORTED_OPERATION',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_NOT_SUPPORTED',
])

/** Why a completion failed, as a refusal; undefined for an error that is a fault of ours. */
function refusalFor(error: unknown): SingleSignOnRefusal | undefined {
  if (error instanceof oidc.AuthorizationResponseError) {
    // The provider's own words, for whoever reads the log; cut short, since anyone can put them in a URL.
    const description = error.error_description?.slice(0, MAX_DESCRIPTION_LENGTH)
    return { reason: 'provider-error', error: error.error.slice(0, MAX_DESCRIPTION_LENGTH), description }
  }
  // The token endpoint refused the code (used before, expired, or not this client's) or the PKCE verifier.
  if (error instanceof oidc.ResponseBodyError) {
    return error.status >= 500
      ? { reason: 'provider-unavailable', problem: `${error.status} ${error.error}` }
      : { reason: 'invalid-response', check: `token endpoint: ${error.error}` }
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    return { reason: 'invalid-response', check: `${error.status} challenge` }
  }
  if (error instanceof oidc.ClientError) {
    if (error.code && FAILED_CHECKS.has(error.code))
      return { reason: 'invalid-response', check: describe(error) }
    return { reason: 'provider-unavailable', problem: describe(error) }
  }
  // fetch's own failure (connection refused, DNS), or the request timing out.
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return { reason: 'provider-unavailable', problem: describe(error) }
  }
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { reason: 'provider-unavailable', problem: error.name }
  }
  return undefined
}

/** An error's message and its cause's, for a log line or a start-up message; never a token. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}
