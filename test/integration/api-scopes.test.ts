/**
 * Every operation of the API, for each scope: sent (as its first example)
 * by a client holding every scope but the one it needs, it is refused 403
 * naming that scope, audited, and changes nothing; by a client holding only
 * that scope, it is not refused for want of one. No token at all is 401.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { OpenAPIV3_1 } from 'openapi-types'
import { API_SCOPES, type ApiScope } from '../../src/access/api-scopes.ts'
import { apiHarness } from '../support/api.ts'
import { type Replay, replaysOf } from '../support/api-document.ts'

describe('the API’s scopes: every operation', () => {
  const api = apiHarness()

  it('is refused without its scope, audited, and answered with it', async () => {
    const document = (await api.call({ url: '/api/v1/openapi.json' })).json() as OpenAPIV3_1.Document
    const firsts = new Map<string, Replay>()
    for (const replay of replaysOf(document))
      if (!firsts.has(replay.operation)) firsts.set(replay.operation, replay)
    assert.ok(firsts.size >= 8, `${firsts.size} operations`)
    for (const replay of firsts.values()) {
      const scope = replay.scope as ApiScope
      assert.ok(API_SCOPES.includes(scope), `${replay.operation} needs a scope (${scope})`)
      const send = (authorization?: string) =>
        api.call({
          method: replay.method as 'GET' | 'POST',
          url: replay.url,
          query: replay.query,
          body: replay.body,
          ...(authorization ? { authorization } : {}),
        })
      const others = await api.client(API_SCOPES.filter((s) => s !== scope))
      const versionsBefore = await api.database.db
        .selectFrom('tasks')
        .select(['id', 'version'])
        .orderBy('id')
        .execute()
      const refused = await send(others.authorization)
      assert.equal(refused.statusCode, 403, `${replay.operation} without ${scope}: ${refused.body}`)
      assert.equal(refused.json().type, '/api/v1/reference/problems#insufficient-scope')
      assert.equal(refused.json().requiredScope, scope)
      const audited = await api.auditEvents('api-refused')
      assert.equal(audited.at(-1)?.client_id, others.clientId, `${replay.operation}: the refusal is audited`)
      assert.deepEqual(
        await api.database.db.selectFrom('tasks').select(['id', 'version']).orderBy('id').execute(),
        versionsBefore,
        `${replay.operation}: nothing changed`,
      )
      assert.equal((await send()).statusCode, 401, `${replay.operation} without a token`)
      const only = await api.client([scope])
      const allowed = await send(only.authorization)
      assert.ok(
        ![401, 403].includes(allowed.statusCode),
        `${replay.operation} with ${scope}: ${allowed.body}`,
      )
    }
  })
})
