/**
 * Signing in and out through a real OpenID provider (oidc-provider on a
 * loopback port), over real HTTP: the happy path end to end, and the
 * identities this service refuses (unknown, deactivated, cancelled at the
 * provider) with a page that says so, a log line, and no session.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { NO_ACCESS_TITLE } from '../../src/web/view-models/single-sign-on.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  answerFromProvider,
  type SingleSignOnSetup,
  startWithIdentityProvider,
  Visitor,
} from '../support/single-sign-on.ts'
import { addTestUser, csrfTokenIn, textOf, titleOf } from '../support/web.ts'

describe('single sign-on through an OpenID provider', () => {
  let database: TestDatabase
  let setup: SingleSignOnSetup
  let origin: string
  before(async () => {
    database = await openTestDatabase()
    setup = await startWithIdentityProvider(database)
    origin = setup.origin
  })
  after(async () => {
    await setup?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    setup.web.logs.lines.length = 0
    // Signs in through the provider only: no password.
    await addTestUser(database, { id: 'jo.caseworker', name: 'Jo Caseworker', password: null })
  })

  async function signedInUsers(): Promise<string[]> {
    const rows = await database.db.selectFrom('sessions').select('data').execute()
    return rows.flatMap((row) => (row.data as { userId?: string }).userId ?? [])
  }

  function warnings(): Record<string, unknown>[] {
    return setup.web.logs.lines.filter((line) => line.msg === 'single sign-on refused')
  }

  /** Whether the visitor's session is signed in: a page that needs it answers rather than redirecting. */
  async function isSignedIn(visitor: Visitor): Promise<boolean> {
    const response = await visitor.get(`${origin}${paths.miReport()}`)
    await response.body?.cancel()
    return response.status === 200
  }

  it('offers "Sign in with" the provider, and no password form unless local accounts are kept on', async () => {
    const page = await (await new Visitor().get(`${origin}${paths.signIn('/rules')}`)).text()
    assert.match(page, /class="govuk-button govuk-button--start"/)
    assert.match(textOf(page), /Sign in with Test Identity/)
    assert.match(page, new RegExp(`href="${paths.signInWithProvider('/rules').replace('?', '\\?')}"`))
    assert.doesNotMatch(page, /name="password"/)
    assert.equal(
      setup.web.app.hasRoute({ method: 'POST', url: paths.signIn() }),
      false,
      'no password is checked where local accounts are off',
    )
  })

  it('signs a known, active user in end to end, in a new session, and back where they were going', async () => {
    const visitor = new Visitor()
    const callback = await answerFromProvider(visitor, origin, 'jo.caseworker', { returnTo: paths.rules() })
    const pendingSession = await database.db.selectFrom('sessions').select(['id', 'data']).execute()
    assert.equal(pendingSession.length, 1, 'the sign-in in progress is kept in a server-side session')

    const done = await visitor.get(callback)
    assert.equal(done.status, 303)
    assert.equal(done.headers.get('location'), paths.rules())
    const sessions = await database.db.selectFrom('sessions').select(['id', 'data']).execute()
    assert.equal(sessions.length, 1)
    assert.notEqual(sessions[0]?.id, pendingSession[0]?.id, 'the session ID changes on sign-in')
    assert.deepEqual(await signedInUsers(), ['jo.caseworker'])

    const home = await visitor.follow(`${origin}${paths.home()}`)
    assert.match(textOf(home.body), /Welcome, Jo Caseworker/)
    const signedIn = setup.web.logs.lines.find((line) => line.msg === 'signed in')
    assert.equal(signedIn?.userId, 'jo.caseworker')

    // Neither the code, the state nor the ID token reaches the logs.
    const answer = new URL(callback).searchParams
    const idToken = (sessions[0]?.data as { idToken?: string } | undefined)?.idToken
    assert.ok(idToken, 'the ID token is kept for signing out at the provider')
    const logs = setup.web.logs.text()
    for (const secret of [answer.get('code'), answer.get('state'), idToken]) {
      assert.ok(secret && !logs.includes(secret), 'a credential was logged')
    }
    assert.match(logs, /sign-in\/callback\?code=%5BRedacted%5D&state=%5BRedacted%5D/)
  })

  it('signs out here and at the provider, which sends the browser back to "You have signed out"', async () => {
    const visitor = new Visitor()
    await visitor.get(await answerFromProvider(visitor, origin, 'jo.caseworker'))
    const idToken = (await database.db.selectFrom('sessions').select('data').executeTakeFirstOrThrow())
      .data as {
      idToken: string
    }
    const home = await visitor.follow(`${origin}${paths.home()}`)
    const signedOut = await visitor.post(`${origin}${paths.signOut()}`, { _csrf: csrfTokenIn(home.body) })
    assert.equal(signedOut.status, 303)
    const endSession = new URL(signedOut.headers.get('location') ?? '')
    assert.equal(`${endSession.origin}${endSession.pathname}`, `${setup.provider.issuer}/session/end`)
    assert.equal(endSession.searchParams.get('id_token_hint'), idToken.idToken)
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${origin}${paths.signedOut()}`)
    assert.deepEqual(await signedInUsers(), [], 'the local session ended at once')
    assert.equal(await isSignedIn(visitor), false)

    // The provider asks "sign out?"; yes sends the browser back here.
    const confirm = await visitor.follow(endSession.href)
    const form = /<form[^>]*action="([^"]+)"[\s\S]*?name="xsrf" value="([^"]+)"/.exec(confirm.body)
    assert.ok(form?.[1] && form[2], 'the provider shows its sign-out form')
    const answered = await visitor.post(new URL(form[1], endSession).href, { xsrf: form[2], logout: 'yes' })
    const back = await visitor.follow(new URL(answered.headers.get('location') ?? '', endSession).href)
    assert.equal(back.url, `${origin}${paths.signedOut()}`)
    assert.equal(
      titleOf(back.body),
      'You have signed out – Identify and prioritise immigration cases – GOV.UK',
    )
  })

  describe('an identity that is not a known, active user here', () => {
    for (const { who, prepare } of [
      { who: 'an unknown user', prepare: async () => {} },
      {
        who: 'a deactivated user',
        prepare: async () => {
          await database.db
            .updateTable('users')
            .set({ active: false })
            .where('id', '=', 'jo.caseworker')
            .execute()
        },
      },
    ]) {
      it(`gets "You do not have access" for ${who}, with the ID the provider gave, and no session`, async () => {
        await prepare()
        const username = who === 'an unknown user' ? 'sam.stranger' : 'jo.caseworker'
        const visitor = new Visitor()
        const page = await visitor.get(await answerFromProvider(visitor, origin, username))
        assert.equal(page.status, 403)
        const html = await page.text()
        assert.equal(titleOf(html), `${NO_ACCESS_TITLE} – Identify and prioritise immigration cases – GOV.UK`)
        assert.match(textOf(html), new RegExp(`Your user ID from Test Identity: ${username}`))
        assert.match(textOf(html), /Ask an administrator of this service to give you access/)
        assert.deepEqual(await signedInUsers(), [])
        assert.equal(await isSignedIn(visitor), false)
        assert.deepEqual(
          warnings().map(({ reason, providerUserId }) => ({ reason, providerUserId })),
          [
            {
              reason: who === 'an unknown user' ? 'unknown-user' : 'inactive-user',
              providerUserId: username,
            },
          ],
        )
      })
    }

    it('shows an ID carrying HTML as text, and refuses one 10,000 characters long', async () => {
      const visitor = new Visitor()
      const html = await (await visitor.get(await answerFromProvider(visitor, origin, '<b>x</b>'))).text()
      assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/)
      assert.doesNotMatch(html, /<b>x<\/b>/)

      const another = new Visitor()
      const long = await another.get(await answerFromProvider(another, origin, 'a'.repeat(10_000)))
      assert.equal(long.status, 403)
      assert.match(textOf(await long.text()), /Test Identity did not tell this service your user ID/)
      assert.deepEqual(
        warnings().map(({ reason, claim }) => ({ reason, claim })),
        [
          { reason: 'unknown-user', claim: undefined },
          { reason: 'no-user-id', claim: 'preferred_username' },
        ],
      )
      assert.deepEqual(await signedInUsers(), [])
    })
  })

  it('explains a sign-in cancelled at the provider (error=access_denied), and creates no session', async () => {
    const visitor = new Visitor()
    const callback = await answerFromProvider(visitor, origin, '', { cancel: true })
    assert.equal(new URL(callback).searchParams.get('error'), 'access_denied')
    const page = await visitor.get(callback)
    assert.equal(page.status, 403)
    const text = textOf(await page.text())
    assert.match(text, /You have not signed in/)
    assert.match(text, /Try signing in again/)
    assert.deepEqual(
      warnings().map(({ reason, error, description }) => ({ reason, error, description })),
      [{ reason: 'provider-error', error: 'access_denied', description: 'The user cancelled the sign-in' }],
    )
    assert.deepEqual(await signedInUsers(), [])
    assert.equal(await isSignedIn(visitor), false)
  })
})
