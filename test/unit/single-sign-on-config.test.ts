import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.ts'

const PROVIDER = {
  OIDC_ISSUER_URL: 'https://login.example.org/realms/staff/',
  OIDC_CLIENT_ID: 'ipic',
  OIDC_CLIENT_SECRET: 'a-client-secret',
  OIDC_REDIRECT_URL: 'https://ipic.example.org/sign-in/callback',
}

describe('single sign-on configuration', () => {
  it('has no provider and offers local accounts when nothing is set', () => {
    const config = loadConfig({})
    assert.equal(config.singleSignOn, undefined)
    assert.equal(config.localAccounts, true)
  })

  it('takes a provider from the environment, with the defaults for the claim, scopes and name', () => {
    const config = loadConfig(PROVIDER)
    assert.deepEqual(config.singleSignOn, {
      issuer: 'https://login.example.org/realms/staff',
      clientId: 'ipic',
      clientSecret: 'a-client-secret',
      redirectUrl: 'https://ipic.example.org/sign-in/callback',
      userIdClaim: 'preferred_username',
      scopes: ['openid', 'profile'],
      providerName: 'your work account',
    })
    assert.equal(config.localAccounts, false, 'with a provider, local accounts only when asked for')
  })

  it('takes the claim, scopes, name and local accounts when given', () => {
    const config = loadConfig({
      ...PROVIDER,
      OIDC_USER_ID_CLAIM: 'email',
      OIDC_SCOPES: 'openid  profile email',
      OIDC_PROVIDER_NAME: 'Home Office account',
      SIGN_IN_LOCAL_ACCOUNTS: '1',
    })
    assert.equal(config.singleSignOn?.userIdClaim, 'email')
    assert.deepEqual(config.singleSignOn?.scopes, ['openid', 'profile', 'email'])
    assert.equal(config.singleSignOn?.providerName, 'Home Office account')
    assert.equal(config.localAccounts, true)
  })

  it('allows plain http only for a provider and service on this computer, outside production', () => {
    const local = {
      ...PROVIDER,
      OIDC_ISSUER_URL: 'http://127.0.0.1:8080',
      OIDC_REDIRECT_URL: 'http://localhost:3000/sign-in/callback',
    }
    assert.equal(loadConfig(local).singleSignOn?.issuer, 'http://127.0.0.1:8080')
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(32),
      DATABASE_URL: 'postgres://db/ipic',
      TRUST_PROXY: '1',
    }
    assert.throws(() => loadConfig({ ...production, ...local }), /must be an https:\/\/ URL$/)
    assert.doesNotThrow(() => loadConfig({ ...production, ...PROVIDER }))
  })

  for (const [what, env, message] of [
    ['a client without an issuer', { OIDC_CLIENT_ID: 'ipic' }, /OIDC_CLIENT_ID set without OIDC_ISSUER_URL/],
    [
      'an issuer without a secret',
      { ...PROVIDER, OIDC_CLIENT_SECRET: '' },
      /so OIDC_CLIENT_SECRET must be too/,
    ],
    [
      'an issuer that is not a URL',
      { ...PROVIDER, OIDC_ISSUER_URL: 'login.example.org' },
      /must be an absolute URL/,
    ],
    ['a remote issuer over http', { ...PROVIDER, OIDC_ISSUER_URL: 'http://login.example.org' }, /https:\/\//],
    [
      'a redirect URL elsewhere',
      { ...PROVIDER, OIDC_REDIRECT_URL: 'https://ipic.example.org/cb' },
      /followed by/,
    ],
    [
      'a redirect URL with a query',
      { ...PROVIDER, OIDC_REDIRECT_URL: `${PROVIDER.OIDC_REDIRECT_URL}?x=1` },
      /followed by/,
    ],
    [
      'scopes without openid',
      { ...PROVIDER, OIDC_SCOPES: 'profile email' },
      /OIDC_SCOPES must include openid/,
    ],
    [
      'a claim name with a space',
      { ...PROVIDER, OIDC_USER_ID_CLAIM: 'user id' },
      /must be the name of a claim/,
    ],
    ['local accounts off with no provider', { SIGN_IN_LOCAL_ACCOUNTS: '0' }, /nobody could sign in/],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      )
    })
  }
})
