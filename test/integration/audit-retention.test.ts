/**
 * Keeping audit events for IPIC_AUDIT_RETENTION_DAYS: the purge deletes
 * older events only, records that it did with the cut-off and the count,
 * and leaves the table refusing every other delete. `ipic audit purge`
 * does it from the command line with the configured period.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { recordAuditEvent } from '../../src/audit/events.ts'
import { purgeAuditEvents } from '../../src/audit/retention.ts'
import { loadConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'

const NOW = new Date('2026-03-02T09:00:00Z')
const DAY = 86_400_000

describe('audit retention', () => {
  let database: TestDatabase

  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    for (const daysAgo of [800, 731, 729, 1]) {
      await recordAuditEvent(database.db, {
        kind: 'sign-out',
        at: new Date(NOW.getTime() - daysAgo * DAY),
        userId: `u${daysAgo}`,
      })
    }
  })

  const kept = () =>
    database.db.selectFrom('audit_events').select(['kind', 'user_id', 'details']).orderBy('id').execute()

  it('deletes the events older than the retention period and records the purge', async () => {
    const result = await purgeAuditEvents(database.db, { now: NOW, retentionDays: 730, userId: null })
    assert.deepEqual(result, { before: new Date(NOW.getTime() - 730 * DAY), deleted: 2 })
    assert.deepEqual(await kept(), [
      { kind: 'sign-out', user_id: 'u729', details: {} },
      { kind: 'sign-out', user_id: 'u1', details: {} },
      { kind: 'audit-purged', user_id: null, details: { before: '2024-03-02T09:00:00.000Z', deleted: 2 } },
    ])
    // The purge's leave to delete ended with it.
    await assert.rejects(database.db.deleteFrom('audit_events').execute(), /append-only/)
    const again = await purgeAuditEvents(database.db, { now: NOW, retentionDays: 730, userId: null })
    assert.equal(again.deleted, 0)
  })

  it('takes the period from IPIC_AUDIT_RETENTION_DAYS: 730 by default, and refuses less than 30 days', () => {
    assert.equal(loadConfig({}).audit.retentionDays, 730)
    assert.equal(loadConfig({ IPIC_AUDIT_RETENTION_DAYS: '365' }).audit.retentionDays, 365)
    assert.throws(() => loadConfig({ IPIC_AUDIT_RETENTION_DAYS: '7' }), /IPIC_AUDIT_RETENTION_DAYS/)
    assert.throws(() => loadConfig({ IPIC_AUDIT_RETENTION_DAYS: 'two years' }), /IPIC_AUDIT_RETENTION_DAYS/)
  })

  it('runs as `ipic audit purge`, saying what it deleted', async (t) => {
    if (testDatabaseUrl()) return t.skip('the command is the same on both engines; run on PGlite')
    const dataDir = await mkdtemp(join(tmpdir(), 'ipic-audit-purge-'))
    try {
      const run = () =>
        new Promise<{ code: number | null; out: string }>((done) => {
          const child = spawn(
            process.execPath,
            [resolve(import.meta.dirname, '../../bin/ipic.js'), 'audit', 'purge'],
            {
              env: {
                ...process.env,
                DATABASE_URL: '',
                IPIC_DATA_DIR: dataDir,
                IPIC_DEMO: '0',
                LOG_LEVEL: 'silent',
                IPIC_AUDIT_RETENTION_DAYS: '30',
              },
            },
          )
          let out = ''
          child.stdout.on('data', (chunk) => {
            out += chunk
          })
          child.on('close', (code) => done({ code, out }))
        })
      const first = await run()
      assert.equal(first.code, 0)
      assert.match(first.out, /^Deleted 0 audit events from before .* \(kept 30 days\)\.\n$/)
      const opened = await openDatabase({ kind: 'pglite', dataDir })
      try {
        await recordAuditEvent(opened.db, {
          kind: 'sign-out',
          at: new Date(Date.now() - 40 * DAY),
          userId: 'old',
        })
      } finally {
        await opened.close()
      }
      const second = await run()
      assert.match(second.out, /^Deleted 1 audit event from before/)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
