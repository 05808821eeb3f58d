/**
 * `ipic clients add | list | revoke`, run as an operator runs them (the
 * real command, its own process, the embedded database in a scratch
 * folder): the secret printed once and only its hash kept, bad scopes and
 * regions refused before anything is written, a provider's client
 * registered without a secret, and each change in the audit trail as a
 * command's, naming the account that ran it.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { verifyPassword } from '../../src/access/passwords.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { runIpic } from '../support/ipic-command.ts'

describe('ipic clients: add, list, revoke', {
  skip: Boolean(process.env.DATABASE_URL) && 'covered on PGlite',
}, () => {
  let dataDir: string
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ipic-clients-command-'))
  })
  after(() => rm(dataDir, { recursive: true, force: true }))

  const ipic = (args: string[]) => runIpic(['clients', ...args], { IPIC_DATA_DIR: dataDir, DATABASE_URL: '' })

  async function inDatabase<T>(read: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>) {
    const database = await openDatabase({ kind: 'pglite', dataDir })
    try {
      return await read(database.db)
    } finally {
      await database.close()
    }
  }

  it('refuses unknown scopes and regions, naming them, and adds nothing', async () => {
    const refused = await ipic([
      'add',
      '--name',
      'CID',
      '--scopes',
      'tasks:read',
      'tasks:everything',
      '--regions',
      'XXX',
    ])
    assert.equal(refused.code, 1)
    assert.equal(
      refused.stderr.trim(),
      'ipic: --scopes: tasks:everything is not a scope; the scopes are tasks:read, tasks:decide, persons:read, rules:read, rules:run, mi:export, events:read; --regions: XXX is not a ROM region code',
    )
    const listed = await ipic(['list'])
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /^No API clients yet/)
  })

  it('adds a client with its secret shown once, lists it, revokes it, each audited', async () => {
    const added = await ipic([
      'add',
      '--name',
      'Case management',
      '--scopes',
      'tasks:decide',
      'tasks:read',
      '--regions',
      'lse',
      'NW',
    ])
    assert.equal(added.code, 0, added.stderr)
    const clientId = /^Client ID: (\S+)$/m.exec(added.stdout)?.[1]
    const secret = /^Client secret: (\S+)$/m.exec(added.stdout)?.[1]
    assert.ok(clientId && secret, added.stdout)
    assert.match(added.stdout, /^Added Case management: tasks:read tasks:decide; LSE, NW$/m)
    assert.match(added.stdout, /not shown again/)

    const provider = await ipic([
      'add',
      '--name',
      'Reporting',
      '--scopes',
      'mi:export',
      '--regions',
      'all',
      '--provider-client-id',
      'reporting-system',
    ])
    assert.equal(provider.code, 0, provider.stderr)
    assert.match(provider.stdout, /^Client ID: reporting-system$/m)
    assert.doesNotMatch(provider.stdout, /Client secret/)
    const again = await ipic([
      'add',
      '--name',
      'Again',
      '--scopes',
      'mi:export',
      '--regions',
      'all',
      '--provider-client-id',
      'reporting-system',
    ])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /already registered/)

    const listed = await ipic(['list'])
    assert.equal(listed.code, 0, listed.stderr)
    assert.doesNotMatch(listed.stdout, new RegExp(secret))
    assert.match(
      listed.stdout,
      new RegExp(
        `^${clientId}\\tCase management\\ttasks:read tasks:decide\\tLSE, NW\\tactive\\tno token yet$`,
        'm',
      ),
    )
    assert.match(
      listed.stdout,
      /^reporting-system\tReporting\tmi:export\tall regions\tactive\ttokens from the provider$/m,
    )

    const revoked = await ipic(['revoke', clientId])
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.match(revoked.stdout, /^Revoked /)
    assert.match((await ipic(['revoke', clientId])).stdout, /already revoked: nothing changed/)
    const unknown = await ipic(['revoke', 'ipic-nobody'])
    assert.equal(unknown.code, 1)
    assert.equal(unknown.stderr.trim(), 'ipic: No API client has the ID ipic-nobody')
    assert.match((await ipic(['list'])).stdout, new RegExp(`^${clientId}\\t.*\\trevoked `, 'm'))

    await inDatabase(async (db) => {
      const row = await db
        .selectFrom('api_clients')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirstOrThrow()
      assert.ok(
        row.secret_hash && (await verifyPassword(secret, row.secret_hash)),
        'the secret is kept only as its hash',
      )
      assert.notEqual(row.secret_hash, secret)
      const events = await db
        .selectFrom('audit_events')
        .select(['kind', 'user_id', 'client_id', 'details'])
        .where('kind', 'in', ['client-added', 'client-revoked'])
        .orderBy('id')
        .execute()
      assert.deepEqual(
        events.map((event) => [event.kind, event.user_id, event.client_id]),
        [
          ['client-added', null, clientId],
          ['client-added', null, 'reporting-system'],
          ['client-revoked', null, clientId],
        ],
      )
      const details = events[0]?.details as Record<string, unknown>
      assert.equal(details.through, 'command')
      assert.equal(typeof details.account, 'string')
      assert.deepEqual(details.scopes, ['tasks:read', 'tasks:decide'])
      assert.equal(JSON.stringify(events).includes(secret), false)
    })
  })
})
