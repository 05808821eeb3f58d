/**
 * The token endpoint and bearer authentication: a registered client gets a
 * token by either client authentication method, any instance accepts it,
 * and every refusal (bad credentials, a grant or scope not allowed, a token
 * expired, forged, for another audience, or of a revoked client) is answered
 * as OAuth and RFC 9457 say and written to the audit trail.
 *
 * The endpoint and a probe operation are served as the API plugin serves
 * them, under /api/v1, on a real database.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { SignJWT, UnsecuredJWT } from 'jose'
import type { ApiScope } from '../../src/access/api-scopes.ts'
import { OWN_TOKEN_AUDIENCE, OWN_TOKEN_ISSUER } from '../../src/access/api-tokens.ts'
import { MachineClients } from '../../src/access/machine-clients.ts'
import type { Clock } from '../../src/clock.ts'
import { TOKEN_REQUESTS_PER_MINUTE } from '../../src/web/api/token-endpoint.ts'
import {
  addApiClient,
  basicAuthorization,
  probeApp,
  probePath,
  requestToken,
  type TestApiClient,
  TOKEN_URL,
} from '../support/api-clients.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { startTestApp } from '../support/web.ts'

/** A clock the test moves on. */
function movableClock(start: Date): Clock & { advance(seconds: number): void } {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    today: () => new Date(now).toISOString().slice(0, 10) as never,
    advance: (seconds) => {
      now += seconds * 1000
    },
  }
}

describe('API tokens', () => {
  let database: TestDatabase
  let clock: ReturnType<typeof movableClock>
  let clients: MachineClients
  let app: FastifyInstance
  let client: TestApiClient

  const refusals = () =>
    database.db
      .selectFrom('audit_events')
      .select(['client_id', 'user_id', 'details'])
      .where('kind', '=', 'api-refused')
      .orderBy('id')
      .execute() as Promise<{ client_id: string | null; user_id: null; details: Record<string, unknown> }[]>

  const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: TOKEN_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    })

  const probe = (scope: ApiScope, authorization?: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1/probe/${probePath(scope)}`,
      headers: authorization === undefined ? {} : { authorization },
    })

  before(async () => {
    database = await openTestDatabase()
    clock = movableClock(new Date('2026-03-02T09:00:00Z'))
    clients = new MachineClients({ db: database.db, clock })
    app = await probeApp(clients)
  })
  beforeEach(async () => {
    await database.reset()
    client = await addApiClient(clients, { scopes: ['tasks:read', 'persons:read'] })
  })
  after(async () => {
    await app?.close()
    await database?.close()
  })

  it('is served by the service’s own app, with no session cookie', async () => {
    const web = await startTestApp(database, { clock })
    try {
      const response = await web.app.inject({
        method: 'POST',
        url: TOKEN_URL,
        headers: {
          authorization: basicAuthorization(client.clientId, client.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      })
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.headers['set-cookie'], undefined)
      const check = await clients.tokens.verify(response.json().access_token)
      assert.deepEqual(check, { ok: true, clientId: client.clientId, scopes: ['tasks:read', 'persons:read'] })
    } finally {
      await web.close()
    }
  })

  it('answers an address that asks too often with 429 and Retry-After, as the API does', async () => {
    const web = await startTestApp(database, { clock })
    try {
      const ask = () =>
        web.app.inject({
          method: 'POST',
          url: TOKEN_URL,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'grant_type=client_credentials',
        })
      for (let i = 0; i < TOKEN_REQUESTS_PER_MINUTE; i++) assert.equal((await ask()).statusCode, 401)
      const limited = await ask()
      assert.equal(limited.statusCode, 429)
      assert.match(limited.headers['retry-after'] as string, /^\d+$/)
      assert.equal(limited.json().type, '/api/v1/reference/problems#rate-limited')
      // Another address is still answered.
      const other = await web.app.inject({
        method: 'POST',
        url: TOKEN_URL,
        remoteAddress: '192.0.2.7',
        headers: {
          authorization: basicAuthorization(client.clientId, client.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      })
      assert.equal(other.statusCode, 200)
    } finally {
      await web.close()
    }
  })

  it('issues a token by Basic authentication that any instance accepts, for the client’s scopes', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basicAuthorization(client.clientId, client.secret) },
    )
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.headers['cache-control'], 'no-store')
    const body = response.json()
    assert.equal(body.token_type, 'Bearer')
    assert.equal(body.expires_in, 600)
    assert.equal(body.scope, 'tasks:read persons:read')

    // Another instance: its own service objects, the same database.
    const otherInstance = await probeApp(new MachineClients({ db: database.db, clock }))
    try {
      const answer = await otherInstance.inject({
        method: 'GET',
        url: '/api/v1/probe/tasks-read',
        headers: { authorization: `Bearer ${body.access_token}` },
      })
      assert.equal(answer.statusCode, 200, answer.body)
      assert.deepEqual(answer.json(), {
        clientId: client.clientId,
        scopes: ['tasks:read', 'persons:read'],
        permissions: ['tasks:review', 'cases:read'],
      })
    } finally {
      await otherInstance.close()
    }
    const stored = await clients.find(client.clientId)
    assert.deepEqual(stored?.lastTokenAt, clock.now())
  })

  it('issues a token for credentials in the form, narrowed to the scopes asked for', async () => {
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
      scope: 'persons:read',
    })
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.json().scope, 'persons:read')
    const answer = await probe('tasks:read', `Bearer ${response.json().access_token}`)
    assert.equal(answer.statusCode, 403)
    assert.match(answer.headers['content-type'] as string, /^application\/problem\+json/)
    assert.equal(answer.json().requiredScope, 'tasks:read')
    assert.match(
      answer.headers['www-authenticate'] as string,
      /error="insufficient_scope", scope="tasks:read"/,
    )
    const [refusal] = await refusals()
    assert.equal(refusal?.client_id, client.clientId)
    assert.equal(refusal?.details.reason, 'insufficient_scope')
    assert.equal(refusal?.details.status, 403)
  })

  it('refuses a scope the client was not granted, a wrong secret and an unknown client, auditing each', async () => {
    const basic = { authorization: basicAuthorization(client.clientId, client.secret) }
    const notGranted = await tokenRequest({ grant_type: 'client_credentials', scope: 'tasks:decide' }, basic)
    assert.equal(notGranted.statusCode, 400)
    assert.equal(notGranted.json().error, 'invalid_scope')
    const unknownScope = await tokenRequest({ grant_type: 'client_credentials', scope: 'everything' }, basic)
    assert.equal(unknownScope.json().error, 'invalid_scope')

    const wrongSecret = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basicAuthorization(client.clientId, `${client.secret}x`) },
    )
    assert.equal(wrongSecret.statusCode, 401)
    assert.equal(wrongSecret.json().error, 'invalid_client')
    assert.match(wrongSecret.headers['www-authenticate'] as string, /^Basic realm=/)
    assert.equal(wrongSecret.json().status, 401)
    assert.equal(wrongSecret.json().type, '/api/v1/reference/problems#oauth-invalid-client')
    assert.equal(wrongSecret.json().title, 'The client could not be authenticated')

    const unknown = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'ipic-nobody',
      client_secret: 'whatever',
    })
    assert.equal(unknown.statusCode, 401)
    assert.equal(unknown.json().error, 'invalid_client')
    assert.equal(unknown.headers['www-authenticate'], undefined, 'no Basic challenge to a form client')

    const audited = await refusals()
    assert.deepEqual(
      audited.map((event) => [event.client_id, event.details.reason, event.details.attemptedClientId]),
      [
        [client.clientId, 'invalid_scope', undefined],
        [client.clientId, 'invalid_scope', undefined],
        [client.clientId, 'invalid_client', undefined],
        [null, 'invalid_client', 'ipic-nobody'],
      ],
    )
  })

  it('refuses malformed token requests: two authentications, wrong grants, repeated fields, JSON', async () => {
    const basic = { authorization: basicAuthorization(client.clientId, client.secret) }
    const twice = await tokenRequest(
      { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret },
      basic,
    )
    assert.equal(twice.statusCode, 400)
    assert.equal(twice.json().error, 'invalid_request')

    const password = await tokenRequest({ grant_type: 'password' }, basic)
    assert.equal(password.json().error, 'unsupported_grant_type')
    const noGrant = await tokenRequest({}, basic)
    assert.equal(noGrant.json().error, 'invalid_request')

    const repeated = await app.inject({
      method: 'POST',
      url: TOKEN_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
      payload: 'grant_type=client_credentials&grant_type=client_credentials',
    })
    assert.equal(repeated.json().error, 'invalid_request')

    const json = await app.inject({
      method: 'POST',
      url: TOKEN_URL,
      headers: { 'content-type': 'application/json', ...basic },
      payload: JSON.stringify({ grant_type: 'client_credentials' }),
    })
    assert.equal(json.statusCode, 400)
    assert.equal(json.json().error, 'invalid_request')

    const tooLong = await tokenRequest({ grant_type: 'client_credentials', scope: 'x'.repeat(5000) }, basic)
    assert.equal(tooLong.statusCode, 400)
    assert.equal(tooLong.json().error, 'invalid_request')
    assert.equal((await refusals()).length, 6)
  })

  it('refuses a request without a bearer token, and one with a token that is not ours', async () => {
    const none = await probe('tasks:read')
    assert.equal(none.statusCode, 401)
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="ipic-api"')
    assert.match(none.headers['content-type'] as string, /^application\/problem\+json/)
    assert.match(none.json().type, /#unauthorised$/)

    const basic = await probe('tasks:read', basicAuthorization(client.clientId, client.secret))
    assert.equal(basic.statusCode, 401)
    assert.match(basic.headers['www-authenticate'] as string, /error="invalid_request"/)

    const unsigned = new UnsecuredJWT({ client_id: client.clientId, scope: 'tasks:read' })
      .setIssuer(OWN_TOKEN_ISSUER)
      .setAudience(OWN_TOKEN_AUDIENCE)
      .setSubject(client.clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode()
    const algNone = await probe('tasks:read', `Bearer ${unsigned}`)
    assert.equal(algNone.statusCode, 401)
    assert.match(algNone.headers['www-authenticate'] as string, /error="invalid_token"/)

    const forged = await ownStyleToken({ key: new Uint8Array(32).fill(7), keyId: await signingKeyId() })
    const badSignature = await probe('tasks:read', `Bearer ${forged}`)
    assert.equal(badSignature.statusCode, 401)
    assert.match(badSignature.json().detail, /signature is not valid/)

    const otherAudience = await ownStyleToken({ audience: 'urn:somewhere-else' })
    const audience = await probe('tasks:read', `Bearer ${otherAudience}`)
    assert.equal(audience.statusCode, 401)
    assert.match(audience.json().detail, /another audience/)

    const otherIssuer = await ownStyleToken({ issuer: 'https://issuer.example' })
    const issuer = await probe('tasks:read', `Bearer ${otherIssuer}`)
    assert.match(issuer.json().detail, /another issuer/)

    const audited = await refusals()
    assert.equal(audited.length, 6)
    assert.ok(audited.every((event) => event.details.status === 401 && event.client_id === null))
  })

  it('refuses an expired token, and at once the token of a revoked client', async () => {
    const token = await requestToken(app, client)
    assert.equal((await probe('tasks:read', `Bearer ${token}`)).statusCode, 200)
    clock.advance(601)
    const expired = await probe('tasks:read', `Bearer ${token}`)
    assert.equal(expired.statusCode, 401)
    assert.match(expired.json().detail, /expired/)

    const fresh = await requestToken(app, client)
    assert.equal(
      await clients.revoke(client.clientId, { userId: null, through: 'command', account: 'test' }),
      'revoked',
    )
    const revoked = await probe('tasks:read', `Bearer ${fresh}`)
    assert.equal(revoked.statusCode, 401)
    assert.match(revoked.json().detail, /revoked/)
    const afterRevoke = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basicAuthorization(client.clientId, client.secret) },
    )
    assert.equal(afterRevoke.statusCode, 401)
    assert.equal(afterRevoke.json().error_description, 'The client has been revoked.')
    const audited = await refusals()
    assert.deepEqual(
      audited.map((event) => [event.client_id, event.details.reason]),
      [
        [null, 'invalid_token'],
        [client.clientId, 'invalid_token'],
        [client.clientId, 'invalid_client'],
      ],
    )
  })

  async function signingKeyId(): Promise<string> {
    await requestToken(app, client)
    const row = await database.db.selectFrom('api_token_keys').select('key_id').executeTakeFirstOrThrow()
    return row.key_id
  }

  /** A token shaped as ours, signed with our key unless told otherwise, with one thing changed. */
  async function ownStyleToken(change: {
    key?: Uint8Array
    keyId?: string
    audience?: string
    issuer?: string
  }): Promise<string> {
    const keyId = change.keyId ?? (await signingKeyId())
    const row = await database.db
      .selectFrom('api_token_keys')
      .select('secret')
      .where('key_id', '=', keyId)
      .executeTakeFirstOrThrow()
    const issuedAt = Math.floor(clock.now().getTime() / 1000)
    return new SignJWT({ client_id: client.clientId, scope: 'tasks:read' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keyId })
      .setIssuer(change.issuer ?? OWN_TOKEN_ISSUER)
      .setAudience(change.audience ?? OWN_TOKEN_AUDIENCE)
      .setSubject(client.clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 300)
      .sign(change.key ?? Buffer.from(row.secret, 'base64url'))
  }
})
