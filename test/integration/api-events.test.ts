/**
 * The pull feed of decision events, GET /api/v1/events: the client's
 * regions' events only, in order, paged with an opaque cursor that a
 * client cannot change (400 problem), and refused to a client without the
 * events:read scope. The same events, with the same IDs, as the webhooks,
 * a contest's among them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordContest } from '../../src/tasks/contests.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { apiHarness } from '../support/api.ts'
import { sequenceAll } from '../support/decision-events.ts'

const problemType = (code: string) => `/api/v1/reference/problems#${code}`

describe('the API’s decision event feed', () => {
  const api = apiHarness()

  async function readAll(authorization: string, limit: number) {
    const events: {
      id: string
      type: string
      data: {
        taskId: number
        region: string
        taskVersion: number
        status: string
        details: string | null
        contest: unknown
      }
    }[] = []
    let after: string | undefined
    for (let pages = 0; pages < 20; pages++) {
      const response = await api.call({
        url: '/api/v1/events',
        authorization,
        query: { limit: String(limit), ...(after ? { after } : {}) },
      })
      assert.equal(response.statusCode, 200, response.body)
      const page = response.json()
      events.push(...page.events)
      if (page.events.length < limit) return { events, next: page.next as string }
      after = page.next
    }
    throw new Error('the feed did not end')
  }

  it('gives the client’s regions’ events in order, page by page, and what follows from its last cursor', async () => {
    const { authorization, clientId } = await api.client(['events:read'])
    await sequenceAll(api.database.db)
    const first = await readAll(authorization, 1)
    assert.deepEqual(
      first.events.map((event) => [event.type, event.data.region, event.data.taskId]),
      [['task.recommended', 'LSE', 1]],
    )
    assert.match(first.events[0]?.id ?? '', /^evt_\d+$/)

    const task = await api.task(1)
    const decided = await decideTask(api.database.db, {
      taskId: 1,
      expectedVersion: task.version,
      decision: { status: 'REJECTED', reasons: ['MEDICAL'], details: 'In hospital.', checksConfirmed: true },
      user: { id: 'cw1', regions: { all: false, codes: ['LSE'] } },
      clock: api.clock,
    })
    assert.equal(decided.kind, 'decided')
    await sequenceAll(api.database.db)
    const more = await api.call({ url: '/api/v1/events', authorization, query: { after: first.next } })
    const [rejected, ...rest] = more.json().events
    assert.deepEqual(rest, [])
    assert.equal(rejected.type, 'task.rejected')
    assert.deepEqual(rejected.data.reasons, ['MEDICAL'])
    assert.equal(rejected.data.taskVersion, 2)
    assert.deepEqual(rejected.data.madeBy, { kind: 'user', userId: 'cw1' })

    const national = await api.client(['events:read'], 'all')
    const all = await readAll(national.authorization, 10)
    assert.deepEqual(all.events.map((event) => event.data.region).sort(), ['LSE', 'LSE', 'MEE'])

    // Each page that held events is audited as the client's read; a poll that found none is not.
    const reads = await api.auditEvents('events-read')
    assert.deepEqual(
      reads.map((read) => [read.client_id, (read.details as { events: number }).events]),
      [
        [clientId, 1],
        [clientId, 1],
        [national.clientId, 3],
      ],
    )
  })

  it('gives a contest recorded against a decision as its own event, after the decision', async () => {
    const { authorization } = await api.client(['events:read'], 'all')
    const caseworker = { id: 'cw1', regions: { all: false as const, codes: ['LSE'] } }
    const task = await api.task(1)
    const decided = await decideTask(api.database.db, {
      taskId: 1,
      expectedVersion: task.version,
      decision: { status: 'ACCEPTED', checksConfirmed: true },
      user: caseworker,
      clock: api.clock,
    })
    assert.equal(decided.kind, 'decided')
    const [year = '', month, day] = api.clock.today().split('-')
    const contest = await recordContest(api.database.db, {
      taskId: 1,
      contest: {
        receivedOn: { day: String(Number(day)), month: String(Number(month)), year },
        channel: 'EMAIL',
        madeBy: 'PERSON',
        summary: 'I was in hospital that week.',
        assignTo: '',
      },
      user: caseworker,
      clock: api.clock,
    })
    assert.equal(contest.kind, 'recorded')
    await sequenceAll(api.database.db)
    const { events } = await readAll(authorization, 10)
    const ofTask = events.filter((event) => event.data.taskId === 1)
    assert.deepEqual(
      ofTask.map((event) => [event.type, event.data.taskVersion]),
      [
        ['task.recommended', 1],
        ['task.accepted', 2],
        ['task.contested', 2],
      ],
    )
    const contested = ofTask[2]?.data
    assert.equal(contested?.status, 'ACCEPTED')
    assert.equal(contested?.details, 'I was in hospital that week.')
    assert.deepEqual(contested?.contest, {
      id: contest.kind === 'recorded' ? contest.contestId : 0,
      receivedOn: api.clock.today(),
      channel: 'EMAIL',
      from: 'PERSON',
      outcome: null,
    })
    assert.equal(ofTask[1]?.data.contest, null)
  })

  it('refuses a changed cursor as a problem, and a client without the scope', async () => {
    const { authorization } = await api.client(['events:read'])
    await sequenceAll(api.database.db)
    const { next } = (await api.call({ url: '/api/v1/events', authorization })).json()
    for (const after of [next.replace(/^\d+/, '9'), `${next}x`, 'garbage', next.slice(0, -3)]) {
      const refused = await api.call({ url: '/api/v1/events', authorization, query: { after } })
      assert.equal(refused.statusCode, 400, after)
      assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.equal(refused.json().type, problemType('invalid-cursor'))
    }
    const tooMany = await api.call({ url: '/api/v1/events', authorization, query: { limit: '501' } })
    assert.equal(tooMany.statusCode, 400)
    const other = await api.client(['tasks:read'])
    const forbidden = await api.call({ url: '/api/v1/events', authorization: other.authorization })
    assert.equal(forbidden.statusCode, 403)
    assert.equal(forbidden.json().requiredScope, 'events:read')
  })
})
