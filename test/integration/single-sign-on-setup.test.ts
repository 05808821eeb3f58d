/**
 * How configuring a provider changes the service as a whole: a provider
 * that cannot be reached stops the start with a message; a provider and
 * local accounts can be offered together; the content security policy lets
 * the sign-out form go on to the provider; and with no provider, the
 * sign-in page is the local form alone, as it always was.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { SingleSignOnDiscoveryError } from '../../src/access/single-sign-on.ts'
import { isExpectedError } from '../../src/commands/errors.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type SingleSignOnSetup, sparePort, startWithIdentityProvider } from '../support/single-sign-on.ts'
import { addTestUser, csrfTokenIn, signedInClient, startTestApp, textOf, WebClient } from '../support/web.ts'

describe('setting up single sign-on', () => {
  let database: TestDatabase
  let setup: SingleSignOnSetup
  before(async () => {
    database = await openTestDatabase()
    setup = await startWithIdentityProvider(database, { env: { SIGN_IN_LOCAL_ACCOUNTS: '1' } })
  })
  after(async () => {
    await setup?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker' })
  })

  it('stops the start, naming the issuer, when the provider cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await sparePort()}`
    await assert.rejects(
      startTestApp(database, { env: { ...setup.provider.env, OIDC_ISSUER_URL: closed } }),
      (error: unknown) => {
        assert.ok(error instanceof SingleSignOnDiscoveryError)
        assert.ok(
          error.message.startsWith(`Could not read the OpenID provider's configuration from ${closed} (`),
        )
        assert.match(error.message, /check OIDC_ISSUER_URL/)
        assert.ok(isExpectedError(error), 'ipic prints it as one line, without a stack')
        return true
      },
    )
  })

  it('offers the provider and local accounts together when both are configured', async () => {
    const client = new WebClient(setup.web.app)
    const page = await client.get(paths.signIn())
    const text = textOf(page.body)
    assert.match(text, /Sign in with Test Identity/)
    assert.match(text, /Or sign in with a user ID and password/)
    assert.match(page.body, /name="password"/)
    assert.equal((await client.signIn('jo.caseworker')).statusCode, 303)
  })

  it('signs a local account out here only: it never signed in at the provider', async () => {
    const client = await signedInClient(setup.web.app, 'jo.caseworker')
    const home = await client.get(paths.home())
    const signedOut = await client.post(paths.signOut(), { _csrf: csrfTokenIn(home.body) })
    assert.equal(signedOut.headers.location, paths.signedOut())
  })

  it("lets the sign-out form's answer go on to the provider's sign-out page, and nowhere else", async () => {
    const policy = String(
      (await new WebClient(setup.web.app).get(paths.signIn())).headers['content-security-policy'],
    )
    assert.match(policy, new RegExp(`form-action 'self' ${setup.provider.issuer};`))
  })

  it('shows only the user ID and password form when no provider is configured', async () => {
    const plain = await startTestApp(database)
    try {
      const page = await new WebClient(plain.app).get(paths.signIn())
      assert.doesNotMatch(page.body, /govuk-button--start|Sign in with/)
      assert.match(page.body, /name="password"/)
      assert.match(String(page.headers['content-security-policy']), /form-action 'self';/)
      assert.equal(plain.app.hasRoute({ method: 'GET', url: paths.signInCallback() }), false)
    } finally {
      await plain.close()
    }
  })
})
