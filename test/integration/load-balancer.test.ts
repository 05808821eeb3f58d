/**
 * Two instances of the service behind nginx, with the configuration shipped
 * in deploy/nginx as it is: a session lives across both, and when one
 * instance dies the other answers every page without an error.
 * PostgreSQL only: two processes cannot share the embedded database.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import {
  type Balancer,
  type Instance,
  nginxInstalled,
  startInstance,
  startNginx,
} from '../support/instances.ts'
import { addTestUser, TEST_PASSWORD } from '../support/web.ts'

const skip = !testDatabaseUrl()
  ? 'needs PostgreSQL (DATABASE_URL): two processes cannot share the embedded database'
  : !nginxInstalled()
    ? 'needs nginx at /usr/sbin/nginx (the Debian package)'
    : false

/** A browser's cookie jar, for one site. */
class Visitor {
  readonly #cookies = new Map<string, string>()
  readonly base: string
  constructor(base: string) {
    this.base = base
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    })
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';')
      const at = pair.indexOf('=')
      if (at > 0) this.#cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return response
  }

  async signIn(userId: string): Promise<void> {
    const form = await (await this.fetch(paths.signIn())).text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? ''
    const signedIn = await this.fetch(paths.signIn(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, userId, password: TEST_PASSWORD }).toString(),
    })
    assert.equal(signedIn.status, 303, 'signed in')
  }
}

/**
 * The instances (address:port) each logged request for `path` was sent to,
 * in order: more than one when the first failed and nginx passed it on.
 */
async function sentTo(balancer: Balancer, path: string): Promise<string[][]> {
  return (await balancer.accessLog())
    .filter((line) => line.includes(`"GET ${path} `))
    .map((line) => (/upstream=(.*) upstream_status=/.exec(line)?.[1] ?? '').split(', '))
}

describe('two instances behind nginx', { skip }, () => {
  let database: TestDatabase
  let directory: string
  let instances: Instance[] = []
  let balancer: Balancer | undefined
  before(async () => {
    database = await openTestDatabase()
    await addTestUser(database, { id: 'lse.worker', name: 'Lee Worker', regions: ['LSE'] })
    directory = await mkdtemp(join(tmpdir(), 'ipic-nginx-'))
    const url = database.url ?? ''
    instances = await Promise.all([startInstance(url), startInstance(url)])
    balancer = await startNginx(
      directory,
      instances.map((instance) => instance.address),
    )
  })
  after(async () => {
    await balancer?.stop()
    await Promise.all(instances.map((instance) => instance.stop()))
    await database?.close()
    if (directory) await rm(directory, { recursive: true, force: true })
  })

  it('keeps a session signed in through nginx on both instances, and answers every page when one is killed', async () => {
    const lb = balancer as Balancer
    const visitor = new Visitor(lb.url)
    await visitor.signIn('lse.worker')

    const home = paths.home()
    for (let n = 0; n < 12; n++) {
      const page = await visitor.fetch(home)
      assert.equal(page.status, 200)
      assert.ok((await page.text()).includes('Lee Worker'), 'signed in on whichever instance answered')
    }
    const both = new Set((await sentTo(lb, home)).flat())
    assert.deepEqual([...both].sort(), instances.map((instance) => instance.address).sort(), 'both answered')

    const [dead, alive] = instances as [Instance, Instance]
    await dead.kill()
    const before = (await sentTo(lb, home)).length
    for (let n = 0; n < 12; n++) {
      const page = await visitor.fetch(home)
      assert.equal(page.status, 200, 'no error while one instance is dead')
      assert.ok((await page.text()).includes('Lee Worker'))
    }
    const after = (await sentTo(lb, home)).slice(before)
    assert.equal(after.length, 12)
    // The live instance answered every one, including those first sent to the dead one and passed on.
    assert.ok(
      after.every((tried) => tried.at(-1) === alive.address),
      after.join(' | '),
    )
    assert.ok(
      after.some((tried) => tried.length === 2 && tried[0] === dead.address),
      'at least one was first sent to the dead instance and passed on',
    )
    assert.equal((await fetch(`${lb.url}${paths.healthReady()}`)).status, 200, 'ready through nginx')
  })
})
