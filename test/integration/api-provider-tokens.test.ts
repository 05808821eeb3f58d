/**
 * Access tokens from the configured OpenID provider: a real oidc-provider
 * issues JWT access tokens by the client credentials grant, and the API
 * accepts them for a client registered here under the provider's client ID,
 * with the scopes registered here narrowed to those the token carries.
 * A token for another audience, from another issuer, expired, with a
 * broken signature or none, or of a revoked or unregistered client is
 * refused with a 401 problem and audited.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { UnsecuredJWT } from 'jose'
import type { ApiScope } from '../../src/access/api-scopes.ts'
import { checkClientDetails } from '../../src/access/machine-client-fields.ts'
import { MachineClients } from '../../src/access/machine-clients.ts'
import { ProviderTokens } from '../../src/access/provider-tokens.ts'
import { SingleSignOnDiscoveryError } from '../../src/access/single-sign-on.ts'
import { systemClock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import { probeApp, probePath } from '../support/api-clients.ts'
import {
  OTHER_AUDIENCE,
  type ProviderClient,
  SHORT_LIVED_RESOURCE,
  startTokenProvider,
  type TestTokenProvider,
} from '../support/api-token-provider.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'

const BY_COMMAND = { userId: null, through: 'command', account: 'test' } as const

describe('API tokens from the OpenID provider', () => {
  let database: TestDatabase
  let provider: TestTokenProvider
  let clients: MachineClients
  let app: FastifyInstance
  let system: ProviderClient

  const probe = (scope: ApiScope, token: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1/probe/${probePath(scope)}`,
      headers: { authorization: `Bearer ${token}` },
    })

  const refusals = () =>
    database.db
      .selectFrom('audit_events')
      .select(['client_id', 'details'])
      .where('kind', '=', 'api-refused')
      .orderBy('id')
      .execute() as Promise<{ client_id: string | null; details: Record<string, unknown> }[]>

  /** Registers the provider's client here, as an administrator would, with these scopes. */
  async function register(clientId: string, scopes: readonly string[]): Promise<void> {
    const checked = checkClientDetails(
      { name: 'Case management system', scopes, regions: ['LSE'], providerClientId: clientId },
      ['LSE'],
    )
    assert.ok(checked.ok)
    const added = await clients.add(checked.details, BY_COMMAND)
    assert.ok(added.ok)
    assert.equal(added.added.secret, null, 'no secret of ours for a client of the provider')
  }

  before(async () => {
    database = await openTestDatabase()
    provider = await startTokenProvider()
    const config = loadConfig({ IPIC_DEMO: '0', ...provider.env })
    assert.ok(config.apiTokenIssuer)
    clients = new MachineClients({
      db: database.db,
      clock: systemClock(),
      provider: await ProviderTokens.discover(config.apiTokenIssuer),
    })
    app = await probeApp(clients, ['tasks:read', 'tasks:decide', 'persons:read'])
  })
  beforeEach(async () => {
    await database.reset()
    system = provider.client(['tasks:read', 'tasks:decide'])
  })
  after(async () => {
    await app?.close()
    await provider?.close()
    await database?.close()
  })

  it('accepts the provider’s token for a registered client, within the scopes both allow', async () => {
    await register(system.clientId, ['tasks:read', 'persons:read'])
    const token = await provider.token(system, { scope: 'tasks:read tasks:decide' })
    const read = await probe('tasks:read', token)
    assert.equal(read.statusCode, 200, read.body)
    assert.deepEqual(read.json(), {
      clientId: system.clientId,
      scopes: ['tasks:read'],
      permissions: ['tasks:review', 'cases:read'],
    })
    // The provider allowed tasks:decide, but it was not registered here; persons:read is registered, not in the token.
    assert.equal((await probe('tasks:decide', token)).statusCode, 403)
    assert.equal((await probe('persons:read', token)).statusCode, 403)
    assert.deepEqual(
      (await refusals()).map((event) => [event.client_id, event.details.reason, event.details.status]),
      [
        [system.clientId, 'insufficient_scope', 403],
        [system.clientId, 'insufficient_scope', 403],
      ],
    )
  })

  it('refuses tokens for another audience, from another issuer, with a broken signature or none', async () => {
    await register(system.clientId, ['tasks:read'])
    const good = await provider.token(system, { scope: 'tasks:read' })

    const otherAudience = await provider.token(system, { scope: 'tasks:read', resource: OTHER_AUDIENCE })
    const audience = await probe('tasks:read', otherAudience)
    assert.equal(audience.statusCode, 401)
    assert.match(audience.json().detail, /another audience/)
    assert.match(audience.headers['www-authenticate'] as string, /error="invalid_token"/)

    const elsewhere = await startTokenProvider()
    try {
      const stranger = elsewhere.client(['tasks:read'])
      const foreign = await probe('tasks:read', await elsewhere.token(stranger, { scope: 'tasks:read' }))
      assert.equal(foreign.statusCode, 401)
    } finally {
      await elsewhere.close()
    }

    const [header, payload, signature] = good.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'))
    const widened = Buffer.from(JSON.stringify({ ...claims, scope: 'tasks:read tasks:decide' })).toString(
      'base64url',
    )
    const broken = await probe('tasks:read', `${header}.${widened}.${signature}`)
    assert.equal(broken.statusCode, 401)
    assert.match(broken.json().detail, /signature is not valid/)

    const unsigned = new UnsecuredJWT(claims).encode()
    const none = await probe('tasks:read', unsigned)
    assert.equal(none.statusCode, 401)
    assert.match(none.json().detail, /algorithm not accepted|not a valid signed JWT/)

    assert.equal((await probe('tasks:read', good)).statusCode, 200)
    const audited = await refusals()
    assert.equal(audited.length, 4)
    assert.ok(
      audited.every((event) => event.details.reason === 'invalid_token' && event.details.status === 401),
    )
  })

  it('refuses an expired token, and the tokens of a revoked or unregistered client', async () => {
    await register(system.clientId, ['tasks:read'])
    const shortLived = await provider.token(system, { scope: 'tasks:read', resource: SHORT_LIVED_RESOURCE })
    assert.equal((await probe('tasks:read', shortLived)).statusCode, 200)
    await sleep(2100)
    const expired = await probe('tasks:read', shortLived)
    assert.equal(expired.statusCode, 401)
    assert.match(expired.json().detail, /expired/)

    const token = await provider.token(system, { scope: 'tasks:read' })
    assert.equal(await clients.revoke(system.clientId, BY_COMMAND), 'revoked')
    const revoked = await probe('tasks:read', token)
    assert.equal(revoked.statusCode, 401)
    assert.match(revoked.json().detail, /revoked/)

    const unregistered = provider.client(['tasks:read'])
    const unknown = await probe('tasks:read', await provider.token(unregistered, { scope: 'tasks:read' }))
    assert.equal(unknown.statusCode, 401)
    assert.match(unknown.json().detail, /no registered client/)

    assert.deepEqual(
      (await refusals()).map((event) => event.client_id),
      [null, system.clientId, null],
    )
  })

  it('will not start against an issuer that cannot be discovered', async () => {
    await assert.rejects(
      ProviderTokens.discover({ issuer: 'http://127.0.0.1:1', audience: 'x', clientIdClaim: 'client_id' }),
      (error) => error instanceof SingleSignOnDiscoveryError && /IPIC_API_TOKEN_ISSUER/.test(error.message),
    )
    assert.throws(
      () => loadConfig({ IPIC_API_TOKEN_ISSUER: provider.issuer }),
      /IPIC_API_AUDIENCE must be too/,
    )
    assert.throws(() => loadConfig({ IPIC_API_AUDIENCE: 'x' }), /without IPIC_API_TOKEN_ISSUER/)
  })
})
