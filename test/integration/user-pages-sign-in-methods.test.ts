/**
 * The add user form asks for a password only where local accounts are on:
 * required when they are the only way in, optional beside an identity
 * provider (without one, the user signs in through the provider), and not
 * offered at all where local accounts are off, where a password posted
 * anyway is not kept.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { type SingleSignOnSetup, startWithIdentityProvider } from '../support/single-sign-on.ts'
import { addStaff } from '../support/user-admin.ts'
import {
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
} from '../support/web.ts'

describe('user pages: the password, by sign-in method', () => {
  let database: TestDatabase
  let both: SingleSignOnSetup
  let providerOnly: SingleSignOnSetup
  let localOnly: TestApp
  /** The root administrator's session cookie, from signing in where local accounts are on. */
  let cookie: string

  before(async () => {
    database = await openTestDatabase()
    await addStaff(database)
    both = await startWithIdentityProvider(database, { env: { SIGN_IN_LOCAL_ACCOUNTS: '1' } })
    providerOnly = await startWithIdentityProvider(database, { env: { SIGN_IN_LOCAL_ACCOUNTS: '0' } })
    localOnly = await startTestApp(database)
    const client = await signedInClient(both.web.app, 'root')
    // Sessions are in the database and signed with the same secret: the same session works on both apps.
    cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  })
  after(async () => {
    await both?.close()
    await providerOnly?.close()
    await localOnly?.close()
    await database?.close()
  })

  const passwordHashOf = async (id: string) =>
    (await database.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst())
      ?.password_hash

  async function addOn(app: FastifyInstance, fields: Record<string, string>) {
    const form = await app.inject({ method: 'GET', url: paths.userNew(), headers: { cookie } })
    assert.equal(form.statusCode, 200)
    const body = new URLSearchParams({
      _csrf: csrfTokenIn(form.body),
      roles: 'CASEWORKER',
      regions: 'LSE',
      ...fields,
    })
    const posted = await app.inject({
      method: 'POST',
      url: paths.userNew(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
    return { form: form.body, posted }
  }

  it('beside a provider, the password is optional: without one, the user signs in through the provider', async () => {
    const { form, posted } = await addOn(both.web.app, { id: 'cw.sso', name: 'Sam Single' })
    assert.match(textOf(form), /Password \(optional\)/)
    assert.match(textOf(form), /Leave it empty for someone who signs in with/)
    assert.equal(posted.statusCode, 303)
    assert.equal(await passwordHashOf('cw.sso'), null)
  })

  it('where local accounts are off, no password is asked for, and one posted is not kept', async () => {
    const { form, posted } = await addOn(providerOnly.web.app, {
      id: 'cw.provider',
      name: 'Pat Provider',
      password: 'a-long-enough-password',
    })
    assert.doesNotMatch(form, /name="password"/)
    assert.match(textOf(form), /They sign in with .+, using this user ID/)
    assert.equal(posted.statusCode, 303)
    assert.equal(await passwordHashOf('cw.provider'), null)
  })

  it('where local accounts are the only way in, the password is required', async () => {
    const { form, posted } = await addOn(localOnly.app, { id: 'cw.local', name: 'Lou Local' })
    assert.match(form, /name="password"/)
    assert.equal(posted.statusCode, 400)
    assert.deepEqual(errorSummaryOf(posted.body), [['Enter a password', '#password']])
  })
})
