/**
 * The contract test: every example of the OpenAPI document, replayed
 * against the data the examples are written for (test/support/api.ts),
 * each on a fresh copy, by a client with every scope in LSE. Each answer
 * must have the example's status, match the schema the document gives for
 * that status and media type, and hold the example's body (less what
 * varies by request: a job's ID, a problem's instance and wording).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { OpenAPIV3_1 } from 'openapi-types'
import { API_SCOPES } from '../../src/access/api-scopes.ts'
import { apiHarness } from '../support/api.ts'
import { replaysOf } from '../support/api-document.ts'

/** What an answer may differ from its example in. */
const VARIES = new Set(['jobId', 'instance', 'detail', 'title'])

/** The example's members, recursively, are in the answer (arrays item by item), but for what varies. */
function assertHolds(actual: unknown, expected: unknown, where: string): void {
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: an object or array`)
    if (Array.isArray(expected)) {
      assert.ok(Array.isArray(actual), `${where}: an array`)
      assert.equal(actual.length, expected.length, `${where}: length`)
    }
    for (const [key, value] of Object.entries(expected)) {
      if (VARIES.has(key)) continue
      assertHolds((actual as Record<string, unknown>)[key], value, `${where}.${key}`)
    }
    return
  }
  assert.deepEqual(actual, expected, where)
}

describe('the API’s contract: every example of the OpenAPI document', () => {
  const api = apiHarness()

  it('answers each example as documented, on the data the examples are written for', async () => {
    const served = await api.call({ url: '/api/v1/openapi.json' })
    const document = served.json() as OpenAPIV3_1.Document
    const replays = replaysOf(document)
    assert.ok(replays.length >= 18, `${replays.length} examples`)
    const operations = new Set(replays.map((replay) => replay.operation))
    // Every operation of the API's resources (each has an operationId); the token endpoint is OAuth's, not ours to describe.
    const documented = Object.values(document.paths ?? {}).flatMap((item) =>
      ['get', 'post'].flatMap((m) => item?.[m as 'get']?.operationId ?? []),
    )
    assert.ok(documented.length >= 8)
    assert.deepEqual([...operations].sort(), documented.sort(), 'every operation has an example')
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats.default(ajv)
    let first = true
    for (const replay of replays) {
      // A fresh copy of the data for each but the first, which the harness has just made.
      if (!first) await api.reset()
      first = false
      const { authorization } = await api.client(API_SCOPES, ['LSE'])
      const response = await api.call({
        method: replay.method as 'GET' | 'POST',
        url: replay.url,
        query: replay.query,
        body: replay.body,
        authorization,
      })
      const what = `${replay.operation} ${replay.example}`
      assert.equal(response.statusCode, replay.status, `${what}: ${response.body}`)
      assert.ok(
        (response.headers['content-type'] as string).startsWith(replay.mediaType.split(';')[0] ?? ''),
        `${what}: ${response.headers['content-type']} is ${replay.mediaType}`,
      )
      const answer =
        replay.mediaType.includes('json') && !replay.mediaType.includes('jsonl')
          ? response.json()
          : response.body
      const validate = ajv.compile(replay.schema)
      assert.ok(validate(answer), `${what}: ${JSON.stringify(validate.errors)}`)
      assertHolds(answer, replay.expected, what)
    }
  })
})
