/**
 * The API's persons and rule runs: a person's record within the client's
 * regions, audited; the runs with their counts narrowed to the client's
 * regions; and a run queued through the job queue, for a client whose
 * scope allows it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { JOB_SCHEMA } from '../../src/jobs/job-list.ts'
import { apiHarness } from '../support/api.ts'

const problemType = (code: string) => `/api/v1/reference/problems#${code}`

describe('the API’s persons and rule runs', () => {
  const api = apiHarness()

  it('gives a person’s record in the client’s regions, audited as a view by the client', async () => {
    const { authorization, clientId } = await api.client(['persons:read'])
    const response = await api.call({ url: '/api/v1/persons/P1', authorization })
    assert.equal(response.statusCode, 200, response.body)
    const record = response.json()
    assert.equal(record.person.givenNames, 'Grace')
    assert.equal(record.person.romRegion.code, 'LSE')
    const views = await api.auditEvents('case-viewed')
    assert.deepEqual(
      views.map((v) => [v.person_id, v.task_id, v.user_id, v.client_id]),
      [['P1', null, null, clientId]],
    )
  })

  it('answers a person of another region, or none, as not found, and a client without the scope as forbidden', async () => {
    const reader = await api.client(['persons:read'])
    for (const id of ['P2', 'P999']) {
      const response = await api.call({ url: `/api/v1/persons/${id}`, authorization: reader.authorization })
      assert.equal(response.statusCode, 404, id)
      assert.equal(response.json().type, problemType('not-found'))
    }
    const national = await api.client(['persons:read'], 'all')
    assert.equal(
      (await api.call({ url: '/api/v1/persons/P2', authorization: national.authorization })).statusCode,
      200,
    )
    const other = await api.client(['tasks:read'])
    const refused = await api.call({ url: '/api/v1/persons/P1', authorization: other.authorization })
    assert.equal(refused.statusCode, 403)
    assert.equal(refused.json().requiredScope, 'persons:read')
    assert.equal((await api.auditEvents('case-viewed')).length, 1)
  })

  it('lists the rule runs with counts in the client’s regions only', async () => {
    const lse = await api.client(['rules:read'])
    const list = await api.call({ url: '/api/v1/rule-runs', authorization: lse.authorization })
    assert.equal(list.statusCode, 200, list.body)
    const [run] = list.json().runs
    assert.equal(run.status, 'COMPLETED')
    assert.deepEqual(
      run.counts.map((c: { romRegion: string }) => c.romRegion),
      ['LSE'],
    )
    const national = await api.client(['rules:read'], 'all')
    const one = await api.call({ url: `/api/v1/rule-runs/${run.id}`, authorization: national.authorization })
    assert.deepEqual(
      one
        .json()
        .counts.map((c: { romRegion: string }) => c.romRegion)
        .toSorted(),
      ['LSE', 'MEE'],
    )
    const missing = await api.call({ url: '/api/v1/rule-runs/99', authorization: lse.authorization })
    assert.equal(missing.statusCode, 404)
  })

  it('queues a run for a client with rules:run, audited with the client, and refuses one without it', async () => {
    const reader = await api.client(['rules:read'])
    const refused = await api.call({
      method: 'POST',
      url: '/api/v1/rule-runs',
      body: { full: true },
      authorization: reader.authorization,
    })
    assert.equal(refused.statusCode, 403)
    assert.equal(refused.json().requiredScope, 'rules:run')
    const runner = await api.client(['rules:run'])
    const queued = await api.call({
      method: 'POST',
      url: '/api/v1/rule-runs',
      body: { full: true },
      authorization: runner.authorization,
    })
    assert.equal(queued.statusCode, 202, queued.body)
    const { jobId } = queued.json()
    const job = await api.web.services.jobs.find(jobId)
    assert.equal(job?.kind, 'rule-run')
    assert.equal(job?.state, 'queued')
    // The run it starts says an API client started it, on the Rules page and in the audit.
    const { rows } = await sql<{ data: unknown }>`
      select data from ${sql.table(`${JOB_SCHEMA}.job`)} where id = ${jobId}::uuid`.execute(api.database.db)
    assert.deepEqual(rows[0]?.data, { trigger: 'api', full: true })
    const audited = await api.auditEvents('rule-run-queued')
    assert.deepEqual(
      audited.map((event) => [event.user_id, event.client_id, event.details]),
      [[null, runner.clientId, { jobId, full: true }]],
    )
  })
})
