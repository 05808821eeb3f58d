/**
 * The API clients pages, through real HTTP on a real database: only an
 * administrator reaches them; the form refuses what it cannot register,
 * saying why on the field; a client added shows its secret once (never
 * logged, kept only as a hash) and gets tokens with it; revoking one asks
 * first, then its tokens and secret stop working at once. Each change is
 * audited as the administrator's.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { basicAuthorization, TOKEN_URL } from '../support/api-clients.ts'
import { startTokenProvider, type TestTokenProvider } from '../support/api-token-provider.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  titleOf,
  type WebClient,
} from '../support/web.ts'

describe('the API clients pages', () => {
  let database: TestDatabase
  let web: TestApp
  let admin: WebClient

  const addForm = async (client: WebClient, fields: Record<string, string | string[]>) => {
    const page = await client.get(paths.apiClientNew())
    return client.post(paths.apiClientNew(), { _csrf: csrfTokenIn(page.body), ...fields })
  }
  const storedClients = () => database.db.selectFrom('api_clients').selectAll().execute()
  const clientEvents = () =>
    database.db
      .selectFrom('audit_events')
      .select(['kind', 'user_id', 'client_id', 'details'])
      .where('kind', 'in', ['client-added', 'client-revoked'])
      .orderBy('id')
      .execute()
  const tokenFor = (clientId: string, secret: string) =>
    web.app.inject({
      method: 'POST',
      url: TOKEN_URL,
      headers: {
        authorization: basicAuthorization(clientId, secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    })

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'admin', roles: ['ADMIN'], regions: 'all' })
    await addTestUser(database, { id: 'manager', roles: ['MANAGER'], regions: ['LSE'] })
    admin = await signedInClient(web.app, 'admin')
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  it('is for administrators only, and linked from their navigation', async () => {
    const home = await admin.get(paths.home())
    assert.match(home.body, /href="\/clients"[^>]*>\s*API clients/)
    const empty = await admin.get(paths.apiClients())
    assert.equal(empty.statusCode, 200)
    assert.match(textOf(empty.body), /No systems are registered to call the API yet/)

    const manager = await signedInClient(web.app, 'manager')
    assert.doesNotMatch((await manager.get(paths.home())).body, /href="\/clients"/)
    assert.equal((await manager.get(paths.apiClients())).statusCode, 403)
    const csrf = csrfTokenIn((await manager.get(paths.home())).body)
    const posted = await manager.post(paths.apiClientNew(), {
      _csrf: csrf,
      name: 'Sneaky',
      scopes: 'tasks:decide',
      regions: 'all',
    })
    assert.equal(posted.statusCode, 403)
    assert.deepEqual(await storedClients(), [])
  })

  it('says what is wrong with the form on each field, and adds nothing', async () => {
    const empty = await addForm(admin, {})
    assert.equal(empty.statusCode, 400)
    assert.match(titleOf(empty.body), /^Error: Add an API client/)
    assert.deepEqual(errorSummaryOf(empty.body), [
      ['Enter the name of the system', '#name'],
      ['Select what the system may do', '#scopes'],
      ['Select at least one region, or all regions', '#regions'],
    ])
    const mixed = await addForm(admin, {
      name: 'Bad\u0007name',
      scopes: ['tasks:read', 'tasks:everything'],
      regions: ['all', 'LSE'],
    })
    assert.equal(mixed.statusCode, 400)
    assert.deepEqual(
      errorSummaryOf(mixed.body).map(([text]) => text),
      [
        'Select all regions or individual regions, not both',
        'The name must not include hidden characters',
        'Select what the system may do from the list',
      ],
    )
    assert.match(mixed.body, /value="tasks:read" checked/)
    const noCsrf = await admin.post(paths.apiClientNew(), { name: 'X', scopes: 'tasks:read', regions: 'LSE' })
    assert.equal(noCsrf.statusCode, 403)
    assert.deepEqual(await storedClients(), [])
    assert.deepEqual(await clientEvents(), [])
  })

  it('adds a client, showing its secret once, which gets a token; revoking it stops both at once', async () => {
    const added = await addForm(admin, {
      name: 'Case management',
      scopes: ['tasks:decide', 'tasks:read'],
      regions: ['LSE', 'NW'],
    })
    assert.equal(added.statusCode, 200, textOf(added.body))
    assert.equal(added.headers['cache-control'], 'no-store')
    const clientId = /id="client-id"[^>]*>([^<]+)</.exec(added.body)?.[1]
    const secret = /id="client-secret"[^>]*>([^<]+)</.exec(added.body)?.[1]
    assert.ok(clientId && secret, textOf(added.body))
    assert.match(textOf(added.body), /It will not be shown again/)
    assert.equal(web.logs.text().includes(secret), false, 'the secret is never logged')
    const [stored] = await storedClients()
    assert.ok(stored?.secret_hash?.startsWith('scrypt$'))
    assert.equal(JSON.stringify(stored).includes(secret), false)

    const list = textOf((await admin.get(paths.apiClients())).body)
    assert.match(
      list,
      /Case management ipic-\S+ Search tasks and read why each was recommended Accept, reject or hold tasks London and South East, North West .* by admin Never Active Revoke Case management/,
    )
    assert.equal(list.includes(secret), false)

    assert.equal((await tokenFor(clientId, secret)).statusCode, 200)
    const confirm = await admin.get(paths.apiClientRevoke(clientId))
    assert.equal(confirm.statusCode, 200)
    assert.match(titleOf(confirm.body), /^Are you sure you want to revoke Case management\?/)
    const revoked = await admin.post(paths.apiClientRevoke(clientId), { _csrf: csrfTokenIn(confirm.body) })
    assert.equal(revoked.statusCode, 303)
    assert.equal(revoked.headers.location, paths.apiClients())
    assert.match(textOf((await admin.get(paths.apiClients())).body), /Revoked \d/)
    assert.equal((await tokenFor(clientId, secret)).statusCode, 401)
    // Revoked already: the confirmation is not offered again.
    assert.equal((await admin.get(paths.apiClientRevoke(clientId))).statusCode, 303)
    assert.equal((await admin.get(paths.apiClientRevoke('ipic-nobody'))).statusCode, 404)

    // The audit pages say which client was changed, and name a refused client as the one who acted.
    const auditRows = async (kind: string) =>
      [
        ...(await admin.get(paths.audit({ kind }))).body.matchAll(
          /<tr class="govuk-table__row">[\s\S]*?<\/tr>/g,
        ),
      ].map((row) => textOf(row[0]))
    assert.match(
      (await auditRows('client-added')).join('\n'),
      new RegExp(
        `admin .*API client added ${clientId} \\(Case management\\): scopes tasks:read, tasks:decide; LSE, NW, on the API clients page`,
      ),
    )
    assert.match(
      (await auditRows('client-revoked')).join('\n'),
      new RegExp(`admin .*API client revoked ${clientId}, on the API clients page`),
    )
    const byClient = [
      ...(await admin.get(paths.audit({ user: clientId }))).body.matchAll(
        /<tr class="govuk-table__row">[\s\S]*?<\/tr>/g,
      ),
    ].map((row) => textOf(row[0]))
    assert.deepEqual(
      byClient.slice(1).map((row) => /API (client added|client revoked|request refused)/.exec(row)?.[1]),
      ['request refused', 'client revoked', 'client added'],
      'the client’s ID finds its events, newest first',
    )
    assert.match(
      (await auditRows('api-refused')).join('\n'),
      new RegExp(
        `API client ${clientId} API request refused 401 to POST /api/v1/oauth/token: The client has been revoked`,
      ),
    )

    assert.deepEqual(
      (await clientEvents()).map((event) => [
        event.kind,
        event.user_id,
        event.client_id,
        (event.details as { through: string }).through,
      ]),
      [
        ['client-added', 'admin', clientId, 'page'],
        ['client-revoked', 'admin', clientId, 'page'],
      ],
    )
  })
})

describe('the API clients pages, with tokens from the OpenID provider', () => {
  let database: TestDatabase
  let provider: TestTokenProvider
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    provider = await startTokenProvider()
    web = await startTestApp(database, { env: provider.env })
    await addTestUser(database, { id: 'admin', roles: ['ADMIN'], regions: 'all' })
  })
  after(async () => {
    await web?.close()
    await provider?.close()
    await database?.close()
  })

  it('registers a client of the provider under its client ID, with no secret of ours, once', async () => {
    const admin = await signedInClient(web.app, 'admin')
    const form = await admin.get(paths.apiClientNew())
    assert.match(textOf(form.body), /The OpenID provider’s client ID \(optional\)/)
    const fields = {
      name: 'Reporting',
      scopes: 'mi:export',
      regions: 'all',
      providerClientId: 'reporting-system',
    }
    const added = await admin.post(paths.apiClientNew(), { _csrf: csrfTokenIn(form.body), ...fields })
    assert.equal(added.statusCode, 200)
    assert.match(
      textOf(added.body),
      /Its tokens come from the OpenID provider: it has no secret from this service/,
    )
    assert.doesNotMatch(added.body, /id="client-secret"/)
    assert.match(added.body, /id="client-id"[^>]*>reporting-system</)

    const again = await admin.post(paths.apiClientNew(), { _csrf: csrfTokenIn(form.body), ...fields })
    assert.equal(again.statusCode, 400)
    assert.deepEqual(errorSummaryOf(again.body), [
      ['A client with this ID is already registered', '#providerClientId'],
    ])
    const bad = await admin.post(paths.apiClientNew(), {
      _csrf: csrfTokenIn(form.body),
      ...fields,
      providerClientId: 'no spaces',
    })
    assert.deepEqual(
      errorSummaryOf(bad.body).map(([, href]) => href),
      ['#providerClientId'],
    )
    assert.match(
      textOf((await admin.get(paths.apiClients())).body),
      /Reporting reporting-system .* From the OpenID provider Active/,
    )
  })
})
