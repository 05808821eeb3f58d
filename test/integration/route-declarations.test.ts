/**
 * Every route of the app says who may use it: `public: true` or a
 * permission, in its route options. Walks every route the real app
 * registers (with and without single sign-on, whose routes exist only when
 * a provider is configured) and names each that declares neither; and
 * checks that such a route, should one slip in, is refused to everyone.
 * Each API operation's declared scope is the one its guard enforces: a
 * client holding every other scope is refused it, naming that scope.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { API_SCOPES } from '../../src/access/api-scopes.ts'
import { declaredAccess } from '../../src/web/server/guards.ts'
import { addApiClient, requestToken } from '../support/api-clients.ts'
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
    assert.ok(
      routes.some((route) => route.url === '/api/v1/oauth/token'),
      'the API’s routes are there too',
    )
    assert.deepEqual(undeclared(routes), [])
  })

  it('each API operation’s guard enforces the scope it declares', async () => {
    const routes: RouteOptions[] = []
    const web = await startTestApp(database, { onRoute: (route) => routes.push(route) })
    try {
      const operations = routes.flatMap((route) => {
        const access = declaredAccess(route.config)
        return access && 'scope' in access && route.method !== 'HEAD'
          ? [{ method: [route.method].flat()[0] ?? 'GET', url: route.url, scope: access.scope }]
          : []
      })
      assert.ok(operations.length >= 8, `only ${operations.length} API operations seen`)
      for (const operation of operations) {
        const others = API_SCOPES.filter((scope) => scope !== operation.scope)
        const client = await addApiClient(web.services.machineClients, { scopes: others, regions: 'all' })
        const token = await requestToken(web.app, client)
        const response = await web.app.inject({
          method: operation.method as 'GET' | 'POST',
          url: operation.url.replaceAll(/:(\w+)/g, 'x'),
          headers: { authorization: `Bearer ${token}` },
        })
        const label = `${operation.method} ${operation.url}`
        assert.equal(response.statusCode, 403, `${label}: ${response.body}`)
        assert.match(
          String(response.headers['www-authenticate']),
          new RegExp(`scope="${operation.scope}"`),
          `${label} enforces ${operation.scope}`,
        )
      }
    } finally {
      await web.close()
    }
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
