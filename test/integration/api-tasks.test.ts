/**
 * The task operations of the API: search paged by cursor, a task with its
 * explanation, and decisions, within the client's scopes and regions,
 * audited with the client; every refusal a problem with the right status
 * that changes nothing.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { apiHarness, MINUTE } from '../support/api.ts'
import { runStandInRules } from '../support/case-tasks.ts'
import { insertPersons } from '../support/tasks.ts'

const PROBLEM = /^application\/problem\+json/
const problemType = (code: string) => `/api/v1/reference/problems#${code}`

const REJECTION = {
  decision: 'reject',
  version: 1,
  decidedBy: 'cw1',
  checksConfirmed: true,
  reasons: ['MEDICAL'],
  details: 'In hospital until April.',
}

describe('the API’s tasks', () => {
  const api = apiHarness()

  describe('searching', () => {
    it('pages through a tab by cursor, each task once, and audits each lot as a search by the client', async () => {
      await insertPersons(
        api.database.db,
        ['P3', 'P4', 'P5'].map((id) => ({ person_id: id, missed_events_90_days: 1 })),
      )
      await runStandInRules(api.database.db, api.clock)
      const { authorization, clientId } = await api.client(['tasks:read'])
      const seen: number[] = []
      let cursor: string | null = null
      let lots = 0
      do {
        const response = await api.call({
          url: '/api/v1/tasks',
          query: { region: 'LSE', limit: '2', ...(cursor ? { cursor } : {}) },
          authorization,
        })
        assert.equal(response.statusCode, 200, response.body)
        const answer = response.json()
        seen.push(...answer.tasks.map((task: { id: number }) => task.id))
        cursor = answer.next
        lots += 1
      } while (cursor !== null && lots < 10)
      assert.equal(lots, 2)
      assert.deepEqual(seen.toSorted(), [1, 3, 4, 5])
      const searches = await api.auditEvents('search')
      assert.deepEqual(
        searches.map((event) => [event.client_id, event.user_id, (event.details as { page: number }).page]),
        [
          [clientId, null, 1],
          [clientId, null, 2],
        ],
      )
    })

    it('refuses a tampered cursor, or one carried over to another search, naming the cursor', async () => {
      await insertPersons(api.database.db, [{ person_id: 'P3', missed_events_90_days: 1 }])
      await runStandInRules(api.database.db, api.clock)
      const { authorization } = await api.client(['tasks:read'])
      const first = await api.call({
        url: '/api/v1/tasks',
        query: { region: 'LSE', limit: '1' },
        authorization,
      })
      const next: string = first.json().next
      assert.ok(next)
      const [payload = '', signature = ''] = next.split('.')
      const forged = Buffer.from(JSON.stringify(['-99', 'infinity', '1', 2, '[]'])).toString('base64url')
      for (const cursor of [
        `${forged}.${signature}`,
        `${payload}.${signature.slice(0, -2)}AA`,
        'garbled',
        `${payload}.`,
      ]) {
        const response = await api.call({
          url: '/api/v1/tasks',
          query: { region: 'LSE', limit: '1', cursor },
          authorization,
        })
        assert.equal(response.statusCode, 400, cursor)
        assert.match(response.headers['content-type'] as string, PROBLEM)
        assert.equal(response.json().type, problemType('invalid-cursor'))
        assert.equal(response.json().errors[0].field, 'cursor')
      }
      const otherSearch = await api.call({
        url: '/api/v1/tasks',
        query: { region: 'LSE', limit: '1', tab: 'accepted', cursor: next },
        authorization,
      })
      assert.equal(otherSearch.statusCode, 400)
      assert.equal(otherSearch.json().type, problemType('invalid-cursor'))
    })

    it('answers a region outside the client’s as not found, and an unacceptable search with each problem', async () => {
      const { authorization } = await api.client(['tasks:read'])
      const elsewhere = await api.call({ url: '/api/v1/tasks', query: { region: 'MEE' }, authorization })
      assert.equal(elsewhere.statusCode, 404)
      assert.equal(elsewhere.json().type, problemType('not-found'))
      const unacceptable = await api.call({
        url: '/api/v1/tasks',
        query: { region: 'LSE', taskTypes: 'NO_SUCH_TYPE', from: '2026-03-01', to: '2026-03-09' },
        authorization,
      })
      assert.equal(unacceptable.statusCode, 422)
      const problem = unacceptable.json()
      assert.equal(problem.type, problemType('invalid-search'))
      assert.deepEqual(
        problem.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
        [
          ['taskTypes', 'taskTypeUnknown'],
          ['from', 'fromPast'],
        ],
      )
      const badLimit = await api.call({
        url: '/api/v1/tasks',
        query: { region: 'LSE', limit: '500' },
        authorization,
      })
      assert.equal(badLimit.statusCode, 400)
      assert.equal(badLimit.json().type, problemType('invalid-request'))
      assert.equal(badLimit.json().errors[0].field, 'limit')
    })

    it('refuses a client without the scope, and audits the refusal', async () => {
      const { authorization, clientId } = await api.client(['persons:read'])
      const response = await api.call({ url: '/api/v1/tasks', query: { region: 'LSE' }, authorization })
      assert.equal(response.statusCode, 403)
      assert.equal(response.json().type, problemType('insufficient-scope'))
      assert.equal(response.json().requiredScope, 'tasks:read')
      const refused = await api.auditEvents('api-refused')
      assert.equal(refused.at(-1)?.client_id, clientId)
      assert.equal((await api.auditEvents('search')).length, 0)
    })
  })

  describe('reading a task', () => {
    it('gives the task in the client’s regions, audited as a view of the case by the client', async () => {
      const { authorization, clientId } = await api.client(['tasks:read'])
      const response = await api.call({ url: '/api/v1/tasks/1', authorization })
      assert.equal(response.statusCode, 200, response.body)
      const task = response.json()
      assert.equal(task.personName, 'Grace Okafor')
      assert.equal(task.status, 'RECOMMENDED')
      assert.equal(task.version, 1)
      assert.equal(response.headers['cache-control'], 'no-store')
      const views = await api.auditEvents('case-viewed')
      assert.deepEqual(
        views.map((v) => [v.task_id, v.user_id, v.client_id]),
        [[1, null, clientId]],
      )
    })

    it('answers another region’s task, a missing one and a bad ID as problems', async () => {
      const { authorization } = await api.client(['tasks:read'])
      for (const [url, status, code] of [
        ['/api/v1/tasks/2', 404, 'not-found'],
        ['/api/v1/tasks/999', 404, 'not-found'],
        ['/api/v1/tasks/abc', 400, 'invalid-request'],
      ] as const) {
        const response = await api.call({ url, authorization })
        assert.equal(response.statusCode, status, url)
        assert.equal(response.json().type, problemType(code), url)
      }
      assert.equal((await api.auditEvents('case-viewed')).length, 0)
    })
  })

  describe('deciding', () => {
    it('records the caseworker’s rejection, the event theirs and the audit naming them and the client', async () => {
      const { authorization, clientId } = await api.client(['tasks:decide'])
      const response = await api.call({
        method: 'POST',
        url: '/api/v1/tasks/1/decision',
        body: REJECTION,
        authorization,
      })
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), {
        id: 1,
        status: 'REJECTED',
        version: 2,
        statusChangedAt: '2026-03-02T09:01:00.000Z',
        statusChangedBy: 'cw1',
      })
      const events = await api.database.db
        .selectFrom('task_events')
        .selectAll()
        .where('task_id', '=', 1)
        .execute()
      assert.deepEqual(
        events.map((e) => [e.status, e.user_id]),
        [
          ['RECOMMENDED', null],
          ['REJECTED', 'cw1'],
        ],
      )
      const decisions = await api.auditEvents('decision')
      assert.deepEqual(
        decisions.map((d) => [d.user_id, d.client_id, d.task_id]),
        [['cw1', clientId, 1]],
      )
    })

    it('places a task on hold with the caseworker’s note, then accepts it on the version the hold made', async () => {
      const { authorization } = await api.client(['tasks:decide'])
      const hold = await api.call({
        method: 'POST',
        url: '/api/v1/tasks/1/decision',
        body: { decision: 'hold', version: 1, decidedBy: 'cw1', note: 'Waiting for a medical report.' },
        authorization,
      })
      assert.equal(hold.statusCode, 200, hold.body)
      assert.equal(hold.json().status, 'ON_HOLD')
      const accept = await api.call({
        method: 'POST',
        url: '/api/v1/tasks/1/decision',
        body: {
          decision: 'accept',
          version: 2,
          decidedBy: 'cw1',
          checksConfirmed: true,
          note: 'Report read.',
        },
        authorization,
      })
      assert.equal(accept.statusCode, 200, accept.body)
      const events = await api.database.db
        .selectFrom('task_events')
        .select(['status', 'note', 'checks_confirmed'])
        .where('task_id', '=', 1)
        .orderBy('id')
        .execute()
      assert.deepEqual(events.slice(1), [
        { status: 'ON_HOLD', note: 'Waiting for a medical report.', checks_confirmed: null },
        { status: 'ACCEPTED', note: 'Report read.', checks_confirmed: true },
      ])
    })

    it('answers a stale version with 409 and the task’s current state, changing nothing', async () => {
      const { authorization } = await api.client(['tasks:decide'])
      await api.call({ method: 'POST', url: '/api/v1/tasks/1/decision', body: REJECTION, authorization })
      api.clock.advance(MINUTE)
      const stale = await api.call({
        method: 'POST',
        url: '/api/v1/tasks/1/decision',
        body: { decision: 'accept', version: 1, decidedBy: 'cw1', checksConfirmed: true },
        authorization,
      })
      assert.equal(stale.statusCode, 409)
      const problem = stale.json()
      assert.equal(problem.type, problemType('stale-version'))
      assert.deepEqual(problem.task, {
        status: 'REJECTED',
        version: 2,
        changedBy: 'cw1',
        changedByName: 'Casey Worker',
        changedAt: '2026-03-02T09:01:00.000Z',
      })
      const task = await api.task(1)
      assert.equal(task.status, 'REJECTED')
      assert.equal(task.version, 2)
      assert.equal((await api.auditEvents('decision')).length, 1)
    })

    it('refuses each bad decision with its problem, and changes nothing', async () => {
      const { authorization } = await api.client(['tasks:decide'])
      const cases: readonly [string, unknown, number, string, string?][] = [
        [
          'unknown reason code',
          { ...REJECTION, reasons: ['NO_SUCH_REASON'] },
          422,
          'invalid-decision',
          'NO_SUCH_REASON',
        ],
        [
          'review not confirmed',
          { ...REJECTION, checksConfirmed: false },
          422,
          'invalid-decision',
          'checksConfirmed',
        ],
        ['unknown decider', { ...REJECTION, decidedBy: 'nobody' }, 422, 'invalid-decision', 'nobody'],
        ['decider of another region', { ...REJECTION, decidedBy: 'cw-mee' }, 403, 'decider-not-allowed'],
        ['decider who may not decide', { ...REJECTION, decidedBy: 'mi1' }, 403, 'decider-not-allowed'],
        ['no decision', { version: 1, decidedBy: 'cw1' }, 400, 'invalid-request'],
        ['no reasons', { ...REJECTION, reasons: [] }, 400, 'invalid-request', 'reasons'],
      ]
      for (const [what, body, status, code, named] of cases) {
        const response = await api.call({
          method: 'POST',
          url: '/api/v1/tasks/1/decision',
          body,
          authorization,
        })
        assert.equal(response.statusCode, status, `${what}: ${response.body}`)
        assert.match(response.headers['content-type'] as string, PROBLEM, what)
        assert.equal(response.json().type, problemType(code), what)
        if (named) assert.ok(response.body.includes(named), `${what} names ${named}: ${response.body}`)
      }
      const elsewhere = await api.call({
        method: 'POST',
        url: '/api/v1/tasks/2/decision',
        body: REJECTION,
        authorization,
      })
      assert.equal(elsewhere.statusCode, 404)
      assert.equal((await api.task(1)).version, 1)
      assert.equal((await api.task(2)).version, 1)
      assert.equal((await api.auditEvents('decision')).length, 0)
    })

    it('answers malformed JSON, a 10 MB body and a body that is not JSON with problems, changing nothing', async () => {
      const { authorization } = await api.client(['tasks:decide'])
      const send = (payload: string, contentType: string) =>
        api.web.app.inject({
          method: 'POST',
          url: '/api/v1/tasks/1/decision',
          headers: { authorization, 'content-type': contentType },
          payload,
        })
      const malformed = await send('{"decision": "reject", ', 'application/json')
      assert.equal(malformed.statusCode, 400)
      assert.equal(malformed.json().type, problemType('malformed-json'))
      const huge = await send(
        JSON.stringify({ ...REJECTION, details: 'x'.repeat(10 * 1024 * 1024) }),
        'application/json',
      )
      assert.equal(huge.statusCode, 413)
      assert.equal(huge.json().type, problemType('payload-too-large'))
      const form = await send('decision=reject', 'application/x-www-form-urlencoded')
      assert.equal(form.statusCode, 415)
      assert.equal(form.json().type, problemType('unsupported-media-type'))
      for (const response of [malformed, huge, form]) {
        assert.match(response.headers['content-type'] as string, PROBLEM)
        assert.ok(!response.body.includes('at '), 'no stack')
      }
      assert.equal((await api.task(1)).version, 1)
    })

    it('refuses a client that may read but not decide, and audits it', async () => {
      const { authorization, clientId } = await api.client(['tasks:read'])
      const response = await api.call({
        method: 'POST',
        url: '/api/v1/tasks/1/decision',
        body: REJECTION,
        authorization,
      })
      assert.equal(response.statusCode, 403)
      assert.equal(response.json().requiredScope, 'tasks:decide')
      assert.equal((await api.auditEvents('api-refused')).at(-1)?.client_id, clientId)
      assert.equal((await api.task(1)).version, 1)
    })
  })
})
