/**
 * The page a request gets when the database connection it was using is
 * lost: 503, GOV.UK's "problem with the service" page asking the user to
 * try again in a few minutes, with a reference that is on the log line too.
 * Any other failure is still a 500.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { DatabaseError } from 'pg'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  addTestUser,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  titleOf,
  type WebClient,
} from '../support/web.ts'

const TITLE =
  'Sorry, there is a problem with the service – Identify and prioritise immigration cases – GOV.UK'

function terminatedByAdministrator(): DatabaseError {
  const error = new DatabaseError('terminating connection due to administrator command', 116, 'error')
  error.code = '57P01'
  error.severity = 'FATAL'
  return error
}

const anySignedInUser = { config: { permission: 'rules:read' } } as const

async function failingPages(app: FastifyInstance): Promise<void> {
  app.get('/test/terminated', anySignedInUser, async () => {
    throw terminatedByAdministrator()
  })
  app.get('/test/socket-closed', anySignedInUser, async () => {
    throw new Error('Connection terminated unexpectedly')
  })
  app.get('/test/refused', anySignedInUser, async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  })
  app.get('/test/bug', anySignedInUser, async () => {
    throw new TypeError('cannot read properties of undefined')
  })
}

describe('the page for a lost database connection', () => {
  let database: TestDatabase
  let web: TestApp
  let client: WebClient
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { extraRoutes: [failingPages] })
    await addTestUser(database, { id: 'unlucky' })
    client = await signedInClient(web.app, 'unlucky')
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(() => {
    web.logs.lines.length = 0
  })

  for (const url of ['/test/terminated', '/test/socket-closed', '/test/refused']) {
    it(`answers 503 with the try-again page and a logged reference: ${url}`, async () => {
      const response = await client.get(url)
      assert.equal(response.statusCode, 503)
      assert.match(String(response.headers['content-type']), /^text\/html/)
      assert.equal(titleOf(response.body), TITLE)
      const text = textOf(response.body)
      assert.match(text, /Try again in a few minutes\./)
      assert.match(text, /check whether it was saved before you enter it again/)
      const reference = /data-testid="error-reference">([0-9A-Z-]+)</.exec(response.body)?.[1]
      assert.ok(reference, 'the page gives a reference')
      const logged = web.logs.lines.find((line) => line.reference === reference)
      assert.ok(logged, 'the reference is on a log line')
      assert.equal(logged.level, 50)
      assert.match(String(logged.msg), /database connection lost/)
      // Nothing from the database's own message reaches the user.
      assert.doesNotMatch(text, /administrator|terminated|ECONNREFUSED|5432/)
    })
  }

  it('keeps 500 and "try again later" for anything else', async () => {
    const response = await client.get('/test/bug')
    assert.equal(response.statusCode, 500)
    assert.equal(titleOf(response.body), TITLE)
    assert.match(textOf(response.body), /Try again later\./)
    assert.doesNotMatch(textOf(response.body), /a few minutes/)
    assert.ok(web.logs.lines.some((line) => /unexpected error/.test(String(line.msg))))
  })
})
