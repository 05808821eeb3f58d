/**
 * Each API client has its own rate limit (IPIC_API_RATE_LIMIT requests per
 * IPIC_API_RATE_WINDOW_SECONDS): over it, a rate-limited problem with
 * Retry-After, while other clients go on being answered.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { apiHarness } from '../support/api.ts'

describe('the API’s rate limit per client', () => {
  const api = apiHarness({ env: { IPIC_API_RATE_LIMIT: '3', IPIC_API_RATE_WINDOW_SECONDS: '60' } })

  it('answers the request over the limit with 429 and Retry-After, and counts each client apart', async () => {
    const busy = await api.client(['tasks:read'])
    const quiet = await api.client(['tasks:read'])
    const ask = (authorization: string) => api.call({ url: '/api/v1/tasks/1', authorization })
    for (let n = 0; n < 3; n += 1) assert.equal((await ask(busy.authorization)).statusCode, 200)
    const over = await ask(busy.authorization)
    assert.equal(over.statusCode, 429)
    assert.match(over.headers['content-type'] as string, /^application\/problem\+json/)
    assert.equal(over.json().type, '/api/v1/reference/problems#rate-limited')
    const retryAfter = Number(over.headers['retry-after'])
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${over.headers['retry-after']}`)
    assert.equal((await ask(quiet.authorization)).statusCode, 200)
    assert.equal((await api.auditEvents('case-viewed')).length, 4, 'the refused request read nothing')
  })
})
