/**
 * The MI report through the API: streamed as CSV or JSON lines for the
 * client's regions, audited as an MI download by the client and kept in
 * the record of MI downloads with how it ended; a range that
 * cannot be used, or a client without the scope, refused with a problem.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { apiHarness } from '../support/api.ts'

const RANGE = { from: '2026-03-01', to: '2026-03-07' }

describe('the API’s MI export', () => {
  const api = apiHarness()

  it('streams the client’s regions as JSON lines and as CSV, each export audited with the client', async () => {
    const { authorization, clientId } = await api.client(['mi:export'])
    const lines = await api.call({
      url: '/api/v1/mi/report',
      query: { ...RANGE, format: 'jsonl' },
      authorization,
    })
    assert.equal(lines.statusCode, 200, lines.body)
    assert.match(lines.headers['content-type'] as string, /^application\/jsonl/)
    const rows = lines.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    assert.equal(rows.length, 1, 'one recommendation in LSE')
    const text = JSON.stringify(rows)
    assert.ok(text.includes('Okafor'), 'Grace Okafor’s recommendation is in it')
    assert.ok(!text.includes('"P2"'), 'the MEE person is not')
    const csv = await api.call({ url: '/api/v1/mi/report', query: RANGE, authorization })
    assert.equal(csv.statusCode, 200)
    assert.match(csv.headers['content-type'] as string, /^text\/csv/)
    assert.equal(csv.body.trim().split('\r\n').length, rows.length + 1)
    const downloads = await api.auditEvents('mi-download')
    assert.deepEqual(
      downloads.map((d) => [d.user_id, d.client_id, (d.details as { format: string }).format]),
      [
        [null, clientId, 'jsonl'],
        [null, clientId, 'csv'],
      ],
    )
    // How each ended is recorded once its stream has closed: wait for both ends to be written.
    const recorded = () =>
      api.database.db
        .selectFrom('mi_downloads')
        .selectAll()
        .where('finished_at', 'is not', null)
        .orderBy('id')
        .execute()
    let kept = await recorded()
    while (kept.length < 2) {
      await new Promise((resolve) => setImmediate(resolve))
      kept = await recorded()
    }
    assert.deepEqual(
      kept.map((row) => [row.user_id, row.client_id, row.format, row.outcome, row.rows]),
      [
        [null, clientId, 'jsonl', 'COMPLETED', 1],
        [null, clientId, 'csv', 'COMPLETED', 1],
      ],
    )
    assert.deepEqual(
      downloads.map((d) => (d.details as { downloadId: number }).downloadId),
      kept.map((row) => row.id),
      'each audit event names its record',
    )
  })

  it('refuses a range that cannot be used, a region not the client’s, and a client without the scope', async () => {
    const { authorization } = await api.client(['mi:export'])
    for (const query of [
      { from: '2026-03-07', to: '2026-03-01' },
      { ...RANGE, region: 'MEE' },
    ]) {
      const response = await api.call({ url: '/api/v1/mi/report', query, authorization })
      assert.equal(response.statusCode, 422, JSON.stringify(query))
      assert.equal(response.json().type, '/api/v1/reference/problems#invalid-report-range')
    }
    const other = await api.client(['tasks:read'])
    const refused = await api.call({
      url: '/api/v1/mi/report',
      query: RANGE,
      authorization: other.authorization,
    })
    assert.equal(refused.statusCode, 403)
    assert.equal((await api.auditEvents('mi-download')).length, 0)
    assert.equal((await api.database.db.selectFrom('mi_downloads').selectAll().execute()).length, 0)
  })
})
