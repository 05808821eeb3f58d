/**
 * Access tokens for the API from the configured OpenID provider (the
 * README's "API clients"): the IPIC_API_ variables. Without them, the API
 * accepts only the tokens the service issues itself.
 */
import { ConfigError } from './config-error.ts'
import type { Environment } from './environment.ts'
import { webUrl } from './single-sign-on.ts'

export interface ApiTokenIssuerSettings {
  /** The provider's issuer identifier: its keys are found from its discovery document. */
  readonly issuer: string
  /** The `aud` the provider puts in tokens meant for this API (its resource indicator). */
  readonly audience: string
  /** The claim naming the client, matched against the registered clients' IDs. */
  readonly clientIdClaim: string
}

/** The provider whose tokens the API accepts, when IPIC_API_TOKEN_ISSUER is set. */
export function apiTokenIssuerSettings(
  e: Environment,
  production: boolean,
): ApiTokenIssuerSettings | undefined {
  if (!e.IPIC_API_TOKEN_ISSUER) {
    if (e.IPIC_API_AUDIENCE !== undefined)
      throw new ConfigError('IPIC_API_AUDIENCE set without IPIC_API_TOKEN_ISSUER')
    return undefined
  }
  if (!e.IPIC_API_AUDIENCE) {
    throw new ConfigError(
      'IPIC_API_TOKEN_ISSUER is set, so IPIC_API_AUDIENCE must be too: the audience its tokens name for this API',
    )
  }
  return {
    issuer: webUrl('IPIC_API_TOKEN_ISSUER', production, e.IPIC_API_TOKEN_ISSUER).href.replace(/\/$/, ''),
    audience: e.IPIC_API_AUDIENCE,
    clientIdClaim: e.IPIC_API_CLIENT_ID_CLAIM,
  }
}
