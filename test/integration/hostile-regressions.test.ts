/**
 * Cases the hostile-input properties found, kept as plain tests: each was a
 * server error or a non-GOV.UK answer before it was fixed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { auditEventRow } from '../../src/audit/events.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { assertAnswerIsSound } from '../support/hostile-requests.ts'
import {
  addTestUser,
  csrfTokenIn,
  signedInClient,
  startTestApp,
  type TestApp,
  titleOf,
  type WebClient,
} from '../support/web.ts'

describe('hostile input found by the properties', () => {
  let database: TestDatabase
  let web: TestApp
  let admin: WebClient
  let token: string

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
    await addTestUser(database, { id: 'admin', roles: ['ADMIN'], regions: 'all' })
    await addTestUser(database, { id: 'cw1' })
    admin = await signedInClient(web.app, 'admin')
    token = csrfTokenIn((await admin.get('/users')).body)
  })

  after(async () => {
    await web.close()
    await database.close()
  })

  it('a roles-and-regions form posted without its version is refused, not a server error', async () => {
    for (const userId of ['cw1', '31%2F02%2F2024']) {
      const response = await admin.post(`/users/${userId}/roles-and-regions`, { _csrf: token })
      assert.equal(response.statusCode, 400, userId)
      assertAnswerIsSound(response, `roles and regions of ${userId} without a version`)
    }
    const user = await database.db
      .selectFrom('users')
      .select('roles')
      .where('id', '=', 'cw1')
      .executeTakeFirstOrThrow()
    assert.deepEqual(user.roles, ['CASEWORKER'], 'nothing changed')
  })

  it('a path part too long for the router is "page not found", without the path echoed as JSON', async () => {
    const response = await admin.get(`/users/${'%3Cscript%3Ealert(1)%3C%2Fscript%3E'.repeat(8)}`)
    assert.equal(response.statusCode, 404)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.match(titleOf(response.body), /^Page not found/)
    assertAnswerIsSound(response, 'a long user ID')
  })

  it('a path with broken percent-encoding is "page not found" too, signed in or not', async () => {
    for (const path of ['/tasks/%E0%A4%A', '/tasks/<script>%ZZ', '/users/%']) {
      const response = await admin.get(path)
      assert.equal(response.statusCode, 404, path)
      assert.match(titleOf(response.body), /^Page not found/, path)
      assertAnswerIsSound(response, path)
      assert.match(response.body, /Sign out/, `${path}: still signed in`)
    }
    // A form posted to such a path meets the CSRF check first, as any form would: a GOV.UK page all the same.
    const anonymous = await web.app.inject({ method: 'POST', url: '/review-tasks/%FF%/hold', payload: 'a=1' })
    assert.ok([403, 404].includes(anonymous.statusCode), String(anonymous.statusCode))
    assertAnswerIsSound(anonymous, 'a form posted to an unreadable path')
  })
})

describe('a NUL character in a URL', () => {
  let database: TestDatabase
  let web: TestApp
  let admin: WebClient

  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database)
    await addTestUser(database, { id: 'admin', roles: ['ADMIN'], regions: 'all' })
    admin = await signedInClient(web.app, 'admin')
  })

  after(async () => {
    await web.close()
    await database.close()
  })

  it('in the path is "page not found", never a database error', async () => {
    for (const path of ['/users/%00', '/users/a%00b/roles-and-regions', '/audit/people/%00']) {
      const response = await admin.get(path)
      assert.equal(response.statusCode, 404, path)
      assertAnswerIsSound(response, path)
    }
  })

  it('in the query is "the service could not understand that request"', async () => {
    for (const path of [
      '/users?text=%00',
      '/audit?person=P1%00',
      '/mi/report.csv?from=%00&to=x',
      '/users?%00=1',
    ]) {
      const response = await admin.get(path)
      assert.equal(response.statusCode, 400, path)
      assert.match(titleOf(response.body), /^Sorry, the service could not understand that request/, path)
      assertAnswerIsSound(response, path)
    }
  })
})

describe('a failed sign-in with an ID that cannot be stored as typed', () => {
  let database: TestDatabase

  before(async () => {
    database = await openTestDatabase()
  })

  after(async () => {
    await database.close()
  })

  it('is recorded, cut without splitting a character, with NUL and lone surrogates replaced', async () => {
    const at = new Date('2026-07-03T12:00:00Z')
    // 120 UTF-16 units of characters outside the BMP: a cut at 100 once left half of the 50th behind.
    const tried = ['=\u{10000}'.repeat(40), `a${String.fromCharCode(0)}b`, 'c\ud800d']
    for (const attemptedId of tried) {
      await database.db
        .insertInto('audit_events')
        .values(
          auditEventRow({ kind: 'sign-in-failed', at, attemptedId, method: 'password', reason: 'incorrect' }),
        )
        .execute()
    }
    const stored = await database.db
      .selectFrom('audit_events')
      .select('details')
      .where('kind', '=', 'sign-in-failed')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      stored.map((row) => (row.details as { attemptedId: string }).attemptedId),
      [`=${'\u{10000}='.repeat(33)}`, 'a\uFFFDb', 'c\uFFFDd'],
    )
  })
})
