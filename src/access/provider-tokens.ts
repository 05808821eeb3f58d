/**
 * Access tokens for the API issued by the configured OpenID provider (the
 * IPIC_API_ settings): JWTs signed with one of the provider's published
 * keys, found from its discovery document when the service starts, and
 * fetched again when it rotates them (jose's remote key set). Only
 * asymmetric algorithms are accepted: a token signed with a shared secret,
 * or with none, is refused whatever it says.
 *
 * Token time is real time: the provider issued the token by its clock, not
 * by a date the service has been pinned to.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { type Clock, systemClock } from '../clock.ts'
import type { ApiTokenIssuerSettings } from '../config.ts'
import { claimsOf, refusalOf, type TokenCheck } from './api-tokens.ts'
import { SingleSignOnDiscoveryError } from './single-sign-on.ts'

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]
const DISCOVERY_TIMEOUT_MS = 10_000

export class ProviderTokens {
  readonly #settings: ApiTokenIssuerSettings
  readonly #keys: JWTVerifyGetKey
  readonly #clock: Clock

  private constructor(settings: ApiTokenIssuerSettings, keys: JWTVerifyGetKey, clock: Clock) {
    this.#settings = settings
    this.#keys = keys
    this.#clock = clock
  }

  /** Reads the provider's discovery document; throws SingleSignOnDiscoveryError, saying why, if it cannot. */
  static async discover(
    settings: ApiTokenIssuerSettings,
    clock: Clock = systemClock(),
  ): Promise<ProviderTokens> {
    const address = `${settings.issuer}/.well-known/openid-configuration`
    let metadata: { issuer?: unknown; jwks_uri?: unknown }
    try {
      const response = await fetch(address, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) })
      if (!response.ok) throw new Error(`it answered ${response.status}`)
      metadata = (await response.json()) as typeof metadata
    } catch (error) {
      throw new SingleSignOnDiscoveryError(
        `Could not read the API token issuer's configuration from ${address} (${error instanceof Error ? error.message : String(error)}): check IPIC_API_TOKEN_ISSUER, and that the provider can be reached from here`,
      )
    }
    if (metadata.issuer !== settings.issuer || typeof metadata.jwks_uri !== 'string') {
      throw new SingleSignOnDiscoveryError(
        `The API token issuer's configuration at ${address} does not name ${settings.issuer} as its issuer with a jwks_uri: check IPIC_API_TOKEN_ISSUER`,
      )
    }
    return new ProviderTokens(settings, createRemoteJWKSet(new URL(metadata.jwks_uri)), clock)
  }

  get issuer(): string {
    return this.#settings.issuer
  }

  async verify(token: string): Promise<TokenCheck> {
    try {
      const { payload } = await jwtVerify(token, this.#keys, {
        algorithms: ASYMMETRIC_ALGORITHMS,
        issuer: this.#settings.issuer,
        audience: this.#settings.audience,
        currentDate: this.#clock.now(),
        requiredClaims: ['exp'],
      })
      return claimsOf(payload, this.#settings.clientIdClaim)
    } catch (error) {
      return refusalOf(error)
    }
  }
}
