/**
 * Signing in through an OpenID Connect provider (docs: the README's "Signing
 * in through your identity provider"): the OIDC_ variables, all or none.
 */
import { ConfigError } from './config-error.ts'
import type { Environment } from './environment.ts'

/** The provider answers at the redirect URL, whose path is always SINGLE_SIGN_ON_CALLBACK_PATH. */
export interface SingleSignOnSettings {
  /** The provider's issuer identifier; its discovery document is read from here at start. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  /** Where the provider sends the browser back to: this service's callback, as registered with the provider. */
  readonly redirectUrl: string
  /** The claim whose value is the user's ID in this service. */
  readonly userIdClaim: string
  /** Always includes `openid`. */
  readonly scopes: readonly string[]
  /** The provider's name as users know it, for "Sign in with …". */
  readonly providerName: string
}

/** The path of the redirect URL: where the service's sign-in route answers the provider. */
export const SINGLE_SIGN_ON_CALLBACK_PATH = '/sign-in/callback'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** An absolute http(s) URL; plain http only on this computer (a provider or service under test) and never in production. */
export function webUrl(variable: string, production: boolean, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`${variable} must be an absolute URL, such as https://login.example.org`)
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !(loopback && !production)) {
    throw new ConfigError(
      `${variable} must be an https:// URL${production ? '' : ' (http:// only for localhost)'}`,
    )
  }
  return url
}

const OIDC_VARIABLES = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const

/** The provider, when OIDC_ISSUER_URL is set; undefined when no OIDC_ variable is. */
export function singleSignOnSettings(e: Environment, production: boolean): SingleSignOnSettings | undefined {
  if (!e.OIDC_ISSUER_URL) {
    const stray = OIDC_VARIABLES.filter((name) => e[name] !== undefined)
    if (stray.length > 0) throw new ConfigError(`${stray.join(', ')} set without OIDC_ISSUER_URL`)
    return undefined
  }
  const missing = OIDC_VARIABLES.filter((name) => e[name] === undefined)
  if (missing.length > 0)
    throw new ConfigError(`OIDC_ISSUER_URL is set, so ${missing.join(', ')} must be too`)
  const redirect = webUrl('OIDC_REDIRECT_URL', production, e.OIDC_REDIRECT_URL ?? '')
  if (redirect.pathname !== SINGLE_SIGN_ON_CALLBACK_PATH || redirect.search !== '' || redirect.hash !== '') {
    throw new ConfigError(
      `OIDC_REDIRECT_URL must be this service's address followed by ${SINGLE_SIGN_ON_CALLBACK_PATH}, such as https://ipic.example.org${SINGLE_SIGN_ON_CALLBACK_PATH}`,
    )
  }
  const scopes = e.OIDC_SCOPES.split(/\s+/).filter((scope) => scope !== '')
  if (!scopes.includes('openid')) throw new ConfigError('OIDC_SCOPES must include openid')
  return {
    issuer: webUrl('OIDC_ISSUER_URL', production, e.OIDC_ISSUER_URL).href.replace(/\/$/, ''),
    clientId: e.OIDC_CLIENT_ID ?? '',
    clientSecret: e.OIDC_CLIENT_SECRET ?? '',
    redirectUrl: redirect.href,
    userIdClaim: e.OIDC_USER_ID_CLAIM,
    scopes,
    providerName: e.OIDC_PROVIDER_NAME,
  }
}
