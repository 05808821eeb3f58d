/**
 * The API's foundation: its OpenAPI document is a valid OpenAPI 3.1
 * document, its reference pages are GOV.UK pages without a session, and
 * whatever goes wrong before or inside an operation is answered with
 * problem details, never HTML or a stack.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { startTestApp, type TestApp } from '../support/web.ts'

describe('the API’s foundation', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  it('publishes a valid OpenAPI 3.1 document', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    assert.equal(response.statusCode, 200)
    const document = response.json()
    assert.equal(document.openapi, '3.1.0')
    const validation = await new Validator().validate(document)
    assert.deepEqual(validation.errors, undefined, JSON.stringify(validation.errors, null, 2))
    assert.equal(validation.valid, true)
  })

  it('answers an unknown address with a not-found problem', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/api/v1/no-such-thing?x=<script>' })
    assert.equal(response.statusCode, 404)
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/)
    const problem = response.json()
    assert.equal(problem.type, '/api/v1/reference/problems#not-found')
    assert.equal(problem.status, 404)
    assert.ok(!response.body.includes('<script>'))
    assert.equal(response.headers['set-cookie'], undefined)
  })

  it('shows the reference and the problem types as GOV.UK pages, without a session', async () => {
    const reference = await web.app.inject({ method: 'GET', url: '/api/v1/reference' })
    assert.equal(reference.statusCode, 200)
    assert.match(reference.body, /<h1 class="govuk-heading-l">API reference<\/h1>/)
    assert.equal(reference.headers['set-cookie'], undefined)
    assert.match(reference.headers['content-security-policy'] as string, /default-src 'self'/)
    const problems = await web.app.inject({ method: 'GET', url: '/api/v1/reference/problems' })
    assert.equal(problems.statusCode, 200)
    for (const code of ['not-found', 'malformed-json', 'stale-version', 'rate-limited', 'invalid-cursor']) {
      assert.match(problems.body, new RegExp(`id="${code}"`), code)
    }
  })
})
