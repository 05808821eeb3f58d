/**
 * The access tokens the service issues to its API clients itself: JWTs
 * (RFC 9068 `at+jwt`) signed with HMAC-SHA-256 under a key kept in the
 * database, so that any instance verifies what any other issued (see
 * docs/decisions/0023-machine-clients.md). A token names its key (`kid`);
 * a key, once made, is read once per process and kept.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { type ApiScope, isApiScope } from './api-scopes.ts'

/** Who issues the service's own tokens, and for what: the `iss` and `aud` every one carries. */
export const OWN_TOKEN_ISSUER = 'urn:ipic:token-endpoint'
export const OWN_TOKEN_AUDIENCE = 'urn:ipic:api:v1'
/** Short, so that a token copied somewhere stops working soon; a client asks for another. */
export const TOKEN_LIFETIME_SECONDS = 600
const ALGORITHM = 'HS256'
const TOKEN_TYPE = 'at+jwt'

export interface IssuedToken {
  readonly accessToken: string
  readonly expiresIn: number
  readonly scopes: readonly ApiScope[]
}

/** What a valid token says: which client, and which of its scopes it carries. */
export interface TokenClaims {
  readonly clientId: string
  readonly scopes: readonly ApiScope[]
}

/** Why a token was not accepted, in a few words for the client and the audit. */
export type TokenRefusal = { readonly ok: false; readonly reason: string; readonly clientId: string | null }

export type TokenCheck = ({ readonly ok: true } & TokenClaims) | TokenRefusal

export class ApiTokens {
  readonly #db: Kysely<Tables>
  readonly #clock: Clock
  readonly #keys = new Map<string, Uint8Array>()
  #signingKeyId: string | undefined

  constructor(options: { db: Kysely<Tables>; clock: Clock }) {
    this.#db = options.db
    this.#clock = options.clock
  }

  async issue(clientId: string, scopes: readonly ApiScope[]): Promise<IssuedToken> {
    const keyId = await this.#signingKey()
    const key = this.#keys.get(keyId) as Uint8Array
    const issuedAt = Math.floor(this.#clock.now().getTime() / 1000)
    const accessToken = await new SignJWT({ client_id: clientId, scope: scopes.join(' ') })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: keyId })
      .setIssuer(OWN_TOKEN_ISSUER)
      .setAudience(OWN_TOKEN_AUDIENCE)
      .setSubject(clientId)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
      .sign(key)
    return { accessToken, expiresIn: TOKEN_LIFETIME_SECONDS, scopes }
  }

  async verify(token: string): Promise<TokenCheck> {
    try {
      const { payload } = await jwtVerify(token, async (header) => this.#verificationKey(header.kid), {
        algorithms: [ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: OWN_TOKEN_ISSUER,
        audience: OWN_TOKEN_AUDIENCE,
        currentDate: this.#clock.now(),
        requiredClaims: ['exp', 'iat', 'sub'],
      })
      return claimsOf(payload, 'sub')
    } catch (error) {
      return refusalOf(error)
    }
  }

  /** The newest key, made if there is none yet (two instances making one at once each keep theirs: both verify). */
  async #signingKey(): Promise<string> {
    if (this.#signingKeyId !== undefined) return this.#signingKeyId
    let row = await this.#db
      .selectFrom('api_token_keys')
      .select(['key_id', 'secret'])
      .orderBy('created_at', 'desc')
      .orderBy('key_id')
      .executeTakeFirst()
    if (!row) {
      row = { key_id: randomUUID(), secret: randomBytes(32).toString('base64url') }
      await this.#db
        .insertInto('api_token_keys')
        .values({ ...row, created_at: this.#clock.now() })
        .execute()
    }
    this.#keys.set(row.key_id, Buffer.from(row.secret, 'base64url'))
    this.#signingKeyId = row.key_id
    return row.key_id
  }

  async #verificationKey(keyId: string | undefined): Promise<Uint8Array> {
    if (keyId === undefined) throw new TokenError('the token names no key')
    const known = this.#keys.get(keyId)
    if (known) return known
    const row = await this.#db
      .selectFrom('api_token_keys')
      .select('secret')
      .where('key_id', '=', keyId)
      .executeTakeFirst()
    if (!row) throw new TokenError('the token was not signed by this service')
    const key = Buffer.from(row.secret, 'base64url')
    this.#keys.set(keyId, key)
    return key
  }
}

/** A token whose signature checked but whose claims we cannot use. */
class TokenError extends Error {}

/** The client and scopes of a verified token: the client ID from `claim`, the scopes from `scope`. */
export function claimsOf(payload: JWTPayload, claim: string): TokenCheck {
  const clientId = payload[claim]
  if (typeof clientId !== 'string' || clientId === '') {
    return { ok: false, reason: `the token has no ${claim} claim`, clientId: null }
  }
  const scope = payload.scope
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(isApiScope) : []
  return { ok: true, clientId, scopes }
}

/** What a failed verification says, in words that never echo the token's own text. */
export function refusalOf(error: unknown): TokenRefusal {
  const refused = (reason: string): TokenRefusal => ({ ok: false, reason, clientId: null })
  if (error instanceof TokenError) return refused(error.message)
  // The issuer's keys could not be fetched: not the token's fault, so not a refusal.
  if (error instanceof errors.JWKSTimeout) throw error
  if (error instanceof errors.JWTExpired) return refused('the token has expired')
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim
    if (claim === 'iss') return refused('the token was issued by another issuer')
    if (claim === 'aud') return refused('the token is for another audience')
    if (claim === 'nbf' || claim === 'iat') return refused('the token is not valid yet')
    return refused(`the token's ${claim} claim is not valid`)
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return refused('the token is signed with an algorithm not accepted')
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return refused('the token signature is not valid')
  if (error instanceof errors.JWKSNoMatchingKey)
    return refused('the token was signed by a key the issuer does not publish')
  if (error instanceof errors.JOSEError) return refused('the token is not a valid signed JWT')
  throw error
}
