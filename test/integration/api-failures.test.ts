/**
 * Whatever goes wrong inside an API operation is a problem-details answer:
 * a bug is 500 `internal-error` naming the request, with the error in the
 * log and never in the answer (no stack, no message, no HTML).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { addOperation } from '../../src/web/api/operations.ts'
import { apiHarness } from '../support/api.ts'

const SECRET = 'connection string postgres://secret@db'

describe('the API when an operation fails', () => {
  const api = apiHarness({
    extraApiResources: [
      async (resources) => {
        addOperation(
          resources,
          {
            method: 'GET',
            url: '/test/failing',
            operationId: 'failForTest',
            tag: 'Test',
            summary: 'Fails',
            description: 'Throws, as a bug would.',
            scope: 'tasks:read',
            responses: { 200: z.object({ ok: z.boolean() }) },
            problems: [],
            examples: [],
          },
          async () => {
            throw new Error(`a bug near ${SECRET}`)
          },
        )
      },
    ],
  })

  it('answers 500 internal-error with the request’s ID, the error only in the log', async () => {
    const { authorization } = await api.client(['tasks:read'])
    const response = await api.call({ url: '/api/v1/test/failing', authorization })
    assert.equal(response.statusCode, 500)
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/)
    const problem = response.json()
    assert.equal(problem.type, '/api/v1/reference/problems#internal-error')
    assert.equal(problem.instance, `urn:ipic:request:${response.headers['x-request-id']}`)
    assert.ok(!response.body.includes('secret'), response.body)
    assert.ok(!/\bat \S+:\d+/.test(response.body), 'no stack')
    const logged = api.web.logs.lines.find((line) => line.msg === 'unexpected error in the API')
    assert.ok(logged, 'the error is logged')
    assert.equal(logged.reqId, response.headers['x-request-id'])
  })
})
