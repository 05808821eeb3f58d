/**
 * The client's address (what the per-address sign-in limit counts) comes
 * from the connection unless TRUST_PROXY names the proxies in front. Real
 * HTTP requests with forged X-Forwarded-For headers, over a real socket.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { startTestApp, type TestApp } from '../support/web.ts'

/** A page that says which address and protocol the service believes the request came from. */
async function whoAmI(app: FastifyInstance): Promise<void> {
  app.get('/test/who-am-i', { config: { public: true } }, async (request) => ({
    ip: request.ip,
    protocol: request.protocol,
  }))
}

const FORGED = { 'x-forwarded-for': '203.0.113.7, 198.51.100.23', 'x-forwarded-proto': 'https' }

describe('the client address', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database.close()
  })

  /** Starts the service listening with this TRUST_PROXY and asks it who the client is. */
  async function askWith(
    trustProxy: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ ip: string; protocol: string }> {
    const web: TestApp = await startTestApp(database, {
      env: trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy },
      extraRoutes: [whoAmI],
    })
    try {
      await web.app.listen({ host: '127.0.0.1', port: 0 })
      const address = web.app.server.address()
      if (typeof address !== 'object' || !address) throw new Error('not listening')
      const response = await fetch(`http://127.0.0.1:${address.port}/test/who-am-i`, { headers })
      assert.equal(response.status, 200)
      return (await response.json()) as { ip: string; protocol: string }
    } finally {
      await web.close()
    }
  }

  it('is the connection’s address by default, whatever X-Forwarded-For says', async () => {
    assert.deepEqual(await askWith(undefined, FORGED), { ip: '127.0.0.1', protocol: 'http' })
    assert.deepEqual(await askWith('false', FORGED), { ip: '127.0.0.1', protocol: 'http' })
  })

  it('is the address the one trusted proxy saw, not what the client wrote before it', async () => {
    // The proxy appends the address it saw; anything left of it was written by the client.
    assert.deepEqual(await askWith('1', FORGED), { ip: '198.51.100.23', protocol: 'https' })
    assert.deepEqual(await askWith('1', { 'x-forwarded-for': '198.51.100.23' }), {
      ip: '198.51.100.23',
      protocol: 'http',
    })
  })

  it('believes X-Forwarded-For only from the proxy addresses named', async () => {
    assert.deepEqual(await askWith('127.0.0.1', FORGED), { ip: '198.51.100.23', protocol: 'https' })
    assert.deepEqual(await askWith('10.0.0.0/8', FORGED), { ip: '127.0.0.1', protocol: 'http' })
  })
})
