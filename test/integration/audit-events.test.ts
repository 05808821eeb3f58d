/**
 * The audit_events table and recordAuditEvent: each kind is stored with
 * its filter columns and details, a failed sign-in keeps only a cut of the
 * ID tried, rows cannot be updated or deleted except by the purge's own
 * setting, and the case sections seen before the table existed move into it.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { addUser } from '../../src/access/users.ts'
import { type AuditEvent, MAX_ATTEMPTED_ID_LENGTH, recordAuditEvent } from '../../src/audit/events.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { migrations } from '../../src/db/migrate.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'

const AT = new Date('2026-03-02T09:00:00Z')
const USER = { name: 'Casey Worker', email: null, roles: ['CASEWORKER'], regions: ['LSE'], active: true }

describe('audit events', () => {
  let database: TestDatabase

  before(async () => {
    database = await openTestDatabase()
  })
  after(async () => {
    await database?.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addUser(database.db, {
      id: 'cw1',
      name: 'Casey Worker',
      roles: ['CASEWORKER'],
      regions: ['LSE'],
      password: null,
    })
  })

  const rows = () =>
    database.db
      .selectFrom('audit_events')
      .select(['kind', 'user_id', 'person_id', 'task_id', 'subject_user_id', 'details'])
      .orderBy('id')
      .execute()

  it('stores each kind with the columns its filters use and the rest as details', async () => {
    const events: AuditEvent[] = [
      { kind: 'sign-in', at: AT, userId: 'cw1', method: 'password' },
      { kind: 'case-viewed', at: AT, userId: 'cw1', personId: 'P1', taskId: 7, section: 'barriers' },
      {
        kind: 'search',
        at: AT,
        userId: 'cw1',
        region: 'LSE',
        tab: 'recommended',
        criteria: { taskType: ['FAILED_TO_REPORT'] },
        page: 1,
        results: 3,
      },
      {
        kind: 'user-changed',
        at: AT,
        userId: 'admin',
        subjectUserId: 'cw1',
        before: USER,
        after: { ...USER, regions: 'all' },
      },
      { kind: 'audit-purged', at: AT, userId: null, before: new Date('2024-03-02T00:00:00Z'), deleted: 12 },
    ]
    for (const event of events) await recordAuditEvent(database.db, event)
    assert.deepEqual(await rows(), [
      {
        kind: 'sign-in',
        user_id: 'cw1',
        person_id: null,
        task_id: null,
        subject_user_id: null,
        details: { method: 'password' },
      },
      {
        kind: 'case-viewed',
        user_id: 'cw1',
        person_id: 'P1',
        task_id: 7,
        subject_user_id: null,
        details: { section: 'barriers' },
      },
      {
        kind: 'search',
        user_id: 'cw1',
        person_id: null,
        task_id: null,
        subject_user_id: null,
        details: {
          region: 'LSE',
          tab: 'recommended',
          criteria: { taskType: ['FAILED_TO_REPORT'] },
          page: 1,
          results: 3,
        },
      },
      {
        kind: 'user-changed',
        user_id: 'admin',
        person_id: null,
        task_id: null,
        subject_user_id: 'cw1',
        details: { before: USER, after: { ...USER, regions: 'all' } },
      },
      {
        kind: 'audit-purged',
        user_id: null,
        person_id: null,
        task_id: null,
        subject_user_id: null,
        details: { before: '2024-03-02T00:00:00.000Z', deleted: 12 },
      },
    ])
  })

  it('keeps a cut of the ID a failed sign-in tried, naming the user only when the ID is one', async () => {
    const long = `<script>alert(1)</script>'; drop table users; --${'x'.repeat(10_000)}`
    await recordAuditEvent(database.db, {
      kind: 'sign-in-failed',
      at: AT,
      attemptedId: long,
      method: 'password',
      reason: 'incorrect',
    })
    await recordAuditEvent(database.db, {
      kind: 'sign-in-failed',
      at: AT,
      attemptedId: 'cw1',
      method: 'password',
      reason: 'incorrect',
    })
    const [unknown, known] = await rows()
    assert.equal(unknown?.user_id, null)
    assert.deepEqual(unknown?.details, {
      method: 'password',
      reason: 'incorrect',
      attemptedId: long.slice(0, MAX_ATTEMPTED_ID_LENGTH),
    })
    assert.equal(known?.user_id, 'cw1')
  })

  it('refuses to update or delete an event, except a delete inside the purge’s setting', async () => {
    await recordAuditEvent(database.db, { kind: 'sign-out', at: AT, userId: 'cw1' })
    await assert.rejects(
      database.db.updateTable('audit_events').set({ user_id: 'someone-else' }).execute(),
      /append-only: UPDATE is not allowed/,
    )
    await assert.rejects(
      database.db.deleteFrom('audit_events').execute(),
      /append-only: DELETE is not allowed/,
    )
    assert.equal((await rows()).length, 1)

    await database.db.transaction().execute(async (trx) => {
      await sql`select set_config('ipic.audit_purge', 'on', true)`.execute(trx)
      await trx.deleteFrom('audit_events').execute()
    })
    assert.equal((await rows()).length, 0)
    // The setting ended with its transaction.
    await recordAuditEvent(database.db, { kind: 'sign-out', at: AT, userId: 'cw1' })
    await assert.rejects(database.db.deleteFrom('audit_events').execute(), /append-only/)
  })

  it('moves the case sections seen before the audit table into it, and drops case_views', async (t) => {
    if (testDatabaseUrl()) return t.skip('the migration is the same SQL on both engines; run on PGlite')
    const fresh = await openDatabase({ kind: 'pglite', dataDir: '' }, { inMemory: true })
    try {
      const migrator = new Migrator({ db: fresh.db, provider: { getMigrations: async () => migrations } })
      assert.equal((await migrator.migrateTo('0012-sign-in-attempts')).error, undefined)
      await sql`
        insert into users (id, name, roles) values ('cw1', 'Casey Worker', '{CASEWORKER}');
        insert into case_views (user_id, task_id, person_id, section, viewed_at) values
          ('cw1', 4, 'P9', 'person-details', '2025-01-02T10:00:00Z'),
          ('cw1', 4, 'P9', 'barriers', '2025-01-02T10:01:00Z')`.execute(fresh.db)
      assert.equal((await migrator.migrateToLatest()).error, undefined)
      const moved = await fresh.db
        .selectFrom('audit_events')
        .select(['kind', 'user_id', 'person_id', 'task_id', 'details', 'at'])
        .orderBy('id')
        .execute()
      assert.deepEqual(
        moved.map((row) => ({ ...row, at: new Date(row.at).toISOString() })),
        [
          {
            kind: 'case-viewed',
            user_id: 'cw1',
            person_id: 'P9',
            task_id: 4,
            details: { section: 'person-details' },
            at: '2025-01-02T10:00:00.000Z',
          },
          {
            kind: 'case-viewed',
            user_id: 'cw1',
            person_id: 'P9',
            task_id: 4,
            details: { section: 'barriers' },
            at: '2025-01-02T10:01:00.000Z',
          },
        ],
      )
      const left = await sql<{ n: number }>`
        select count(*)::int as n from pg_tables where tablename = 'case_views'`.execute(fresh.db)
      assert.equal(left.rows[0]?.n, 0)
    } finally {
      await fresh.close()
    }
  })
})
