/**
 * Every route of the app says who may use it: `public: true` or a
 * permission, in its route options. Walks every route the real app
 * registers (with and without single sign-on, whose routes exist only when
 * a provider is configured) and names each that declares neither; and
 * checks that such a route, should one slip in, is refused to everyone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { declaredAccess } from '../../src/web/server/guards.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { startWithIdentityProvider } from '../support/single-sign-on.ts'
import { addTestUser, signedInClient, startTestApp } from '../support/web.ts'

/** "GET /tasks/:taskId" for each route the app registered that declares neither public nor a permission. */
function undeclared(routes: readonly RouteOptions[]): string[] {
  return routes
    .filter((route) => declaredAccess(route.config) === undefined)
    .map((route) => `${[route.method].flat().join(',')} ${route.url}`)
}

function methodsOf(routes: readonly RouteOptions[]): Set<string> {
  return new Set(routes.flatMap((route) => [route.method].flat()))
}

describe('route declarations', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database.close()
  })

  it('every route of the app declares public or a permission', async () => {
    const routes: RouteOptions[] = []
    const web = await startTestApp(database, { onRoute: (route) => routes.push(route) })
    await web.close()
    // The walk saw the whole app: pages, forms, downloads, assets, health, and the HEAD of every GET.
    assert.ok(routes.length > 30, `only ${routes.length} routes seen`)
    assert.deepEqual([...methodsOf(routes)].sort(), ['GET', 'HEAD', 'POST'])
    assert.deepEqual(undeclared(routes), [])
  })

  it('so do the single sign-on routes, when a provider is configured', async () => {
    const routes: RouteOptions[] = []
    const setup = await startWithIdentityProvider(database, { onRoute: (route) => routes.push(route) })
    await setup.close()
    assert.ok(
      routes.some((route) => route.url === '/sign-in/provider'),
      'the provider’s routes are there',
    )
    assert.deepEqual(undeclared(routes), [])
  })

  it('refuses every signed-in user a route that declares nothing', async () => {
    const web = await startTestApp(database, {
      extraRoutes: [
        async (app: FastifyInstance) => {
          app.get('/test/undeclared', async () => 'should never be seen')
        },
      ],
    })
    try {
      await addTestUser(database, { id: 'admin', roles: ['ADMIN'], regions: 'all' })
      const response = await (await signedInClient(web.app, 'admin')).get('/test/undeclared')
      assert.equal(response.statusCode, 403)
      assert.match(response.body, /You do not have permission to see this page/)
      assert.doesNotMatch(response.body, /should never be seen/)
    } finally {
      await web.close()
    }
  })
})
