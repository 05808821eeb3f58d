/**
 * Issue 17 item 9: a read replica for the MI (DATABASE_REPLICA_URL). The
 * replica here is a second database on the test server, made from the
 * primary as the runbook's backup and restore make one (pg_dump -Fc |
 * pg_restore); then the primary alone changes, so the replica lags as a
 * real one may. `ipic serve`, as production runs it, given the replica as a
 * user that can only read (pg_read_all_data), must show the MI report,
 * dashboard and data-quality list from the replica, record the download on
 * the primary, and never write to the replica. A replica that does not
 * answer takes out the MI pages (the 503 problem page) and nothing else.
 *
 * The configuration checks run on either engine; the rest needs PostgreSQL.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { copyDatabase, createEmptyDatabase, dropDatabase } from '../support/database-copy.ts'
import { freePort } from '../support/instances.ts'
import {
  addMiTestUsers,
  buildMiFixture,
  finishedMiDownloads,
  JULY_FORM,
  type MiFixture,
  parseCsv,
} from '../support/mi.ts'
import { HttpClient, type ServerProcess, startServerProcess } from '../support/server-process.ts'
import { textOf, titleOf } from '../support/web.ts'

const JULY = { from: '2026-07-01', to: '2026-07-31' }

describe('DATABASE_REPLICA_URL in the configuration', () => {
  const PRIMARY = 'postgres://ipic@db-primary.internal:5432/ipic'
  const REPLICA = 'postgres://ipic@db-replica.internal:5432/ipic'

  it('is the MI reader beside a PostgreSQL primary', () => {
    const config = loadConfig({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: REPLICA })
    assert.deepEqual(config.databaseReplica, { kind: 'postgres', url: REPLICA })
    assert.equal(loadConfig({ DATABASE_URL: PRIMARY }).databaseReplica, undefined)
  })

  it('is refused on the embedded database, which has no replica', () => {
    assert.throws(
      () => loadConfig({ DATABASE_REPLICA_URL: REPLICA }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /DATABASE_REPLICA_URL is set but DATABASE_URL is not: the embedded database has no read replica/.test(
          error.message,
        ),
    )
  })

  it('is refused when it is the primary itself', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: PRIMARY }),
      /DATABASE_REPLICA_URL is the same as DATABASE_URL/,
    )
  })

  it('is refused when it is not a URL', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: 'db-replica.internal' }),
      /DATABASE_REPLICA_URL: /,
    )
  })
})

const skip = testDatabaseUrl()
  ? false
  : 'needs PostgreSQL (DATABASE_URL): the embedded database has no replica'

describe('the MI reading from a read replica', { skip, timeout: 120_000 }, () => {
  let primary: TestDatabase
  let replicaUrl: string
  /** The replica as the service is given it: as a user that can only read, as the runbook suggests. */
  let readerUrl: string
  let readerRole: string | undefined
  let replica: Database
  let fixture: MiFixture
  let server: ServerProcess

  before(async () => {
    primary = await openTestDatabase()
    await addMiTestUsers(primary)
    fixture = await buildMiFixture(primary.db)
    // The replica as the runbook restores a backup: pg_dump -Fc of the primary, pg_restore into an empty database.
    replicaUrl = await createEmptyDatabase(primary.url ?? '', 'replica')
    await copyDatabase(primary.url ?? '', replicaUrl)
    replica = await openDatabase({ kind: 'postgres', url: replicaUrl })
    readerRole = `ipic_mi_${process.pid}`
    await sql`create role ${sql.id(readerRole)} login in role pg_read_all_data`.execute(primary.db)
    const reader = new URL(replicaUrl)
    reader.username = readerRole
    readerUrl = reader.toString()
    // Then the primary moves on alone, as it does while a replica lags: P4's task is rejected, its data wrong.
    fixture.clock.set(new Date('2026-07-20T10:00:00Z'))
    const decided = await decideTask(primary.db, {
      taskId: fixture.tasks.P4,
      expectedVersion: 1,
      decision: {
        status: 'REJECTED',
        reasons: ['SOURCE_DATA_INCORRECT'],
        details: 'Reports at another centre now',
        checksConfirmed: true,
      },
      user: { id: 'cw3', regions: { all: false, codes: ['MEE'] } },
      clock: fixture.clock,
    })
    assert.equal(decided.kind, 'decided')
    server = await startServerProcess(primary.url ?? '', {
      DATABASE_REPLICA_URL: readerUrl,
      IPIC_TODAY: '2026-07-21',
    })
  })

  after(async () => {
    await server?.stop()
    await replica?.close()
    if (replicaUrl) await dropDatabase(replicaUrl)
    if (readerRole) await sql`drop role if exists ${sql.id(readerRole)}`.execute(primary.db)
    await primary?.close()
  })

  async function statusOfP4(db: Database['db']): Promise<string> {
    const row = await db
      .selectFrom('tasks')
      .select('status')
      .where('id', '=', fixture.tasks.P4)
      .executeTakeFirstOrThrow()
    return row.status
  }

  it('starts from a replica that holds the primary as it was, less the change since', async () => {
    assert.equal(await statusOfP4(primary.db), 'REJECTED')
    assert.equal(await statusOfP4(replica.db), 'RECOMMENDED')
  })

  it("downloads the MI report's rows from the replica, and records the download on the primary", async () => {
    const lead = new HttpClient(server.origin)
    await lead.signIn('lead')
    const response = await lead.get(paths.miReportFile('csv', JULY))
    assert.equal(response.status, 200, server.output())
    const [header = [], ...rows] = parseCsv(await response.text())
    const status = header.indexOf('Current Status')
    // One row per status update: the replica has P4's recommendation only, the primary its rejection too.
    const p4 = rows.filter((row) => row[0] === 'P4').map((row) => row[status])
    assert.deepEqual(p4, ['Recommended'], "the replica's rows, not the primary's")

    const downloads = await finishedMiDownloads(primary.db)
    assert.deepEqual(
      downloads.map((row) => [row.user_id, row.kind, row.format, row.outcome, row.rows]),
      [['lead', 'REPORT', 'csv', 'COMPLETED', rows.length]],
    )
    const onReplica = await replica.db.selectFrom('mi_downloads').select('id').execute()
    assert.deepEqual(onReplica, [], 'nothing is written to the replica')
    const audit = await primary.db
      .selectFrom('audit_events')
      .select('kind')
      .where('kind', '=', 'mi-download')
      .execute()
    assert.equal(audit.length, 1, 'the download is in the audit trail on the primary')
  })

  it("shows the dashboard's figures from the replica", async () => {
    const lead = new HttpClient(server.origin)
    await lead.signIn('lead')
    const response = await lead.get(paths.miDashboard({ ...JULY_FORM }))
    assert.equal(response.status, 200)
    const text = textOf(await response.text())
    // Of the four tasks, the replica has P4 still recommended; the primary has it rejected (0 2 1 0 1).
    assert.ok(
      text.includes('Withdrawn Failed-to-report follow-up 1 1 1 0 1'),
      `the replica's counts: ${text}`,
    )
    assert.ok(text.includes('Today, 1 of 1 open task is past'), 'P4 is open on the replica, overdue')
  })

  it('lists data quality from the replica, recording its download on the primary', async () => {
    const lead = new HttpClient(server.origin)
    await lead.signIn('lead')
    const page = await lead.get(paths.miDataQuality(undefined, { ...JULY_FORM }))
    assert.equal(page.status, 200)
    const text = textOf(await page.text())
    // The replica has P2's rejection only; P4's, on the primary since, is not there yet.
    assert.ok(text.includes('1 rejection'), text)
    assert.ok(text.includes('Ana Díaz (P2'), text)
    assert.ok(!text.includes('(P4'), text)

    const file = await lead.get(paths.miDataQuality('csv', { ...JULY_FORM }))
    assert.equal(file.status, 200)
    const [, ...rows] = parseCsv(await file.text())
    assert.equal(rows.length, 1)
    const downloads = await finishedMiDownloads(primary.db)
    assert.deepEqual(
      downloads
        .filter((row) => row.kind === 'DATA_QUALITY')
        .map((row) => [row.user_id, row.outcome, row.rows]),
      [['lead', 'COMPLETED', 1]],
    )
    assert.deepEqual(await replica.db.selectFrom('mi_downloads').select('id').execute(), [])
  })

  it('writes nothing through the replica: its sessions are read-only', async () => {
    const reader = await openDatabase({ kind: 'postgres', url: replicaUrl }, { readOnly: true })
    try {
      await assert.rejects(
        sql`insert into mi_downloads (kind, user_id, started_at, regions, all_regions, from_date, to_date, format)
            values ('REPORT', 'lead', now(), '{}', true, '2026-07-01', '2026-07-31', 'csv')`.execute(
          reader.db,
        ),
        (error: Error & { code?: string }) => error.code === '25006',
      )
    } finally {
      await reader.close()
    }
  })

  it('answers the MI pages with the problem page while the replica does not answer, and nothing else', async () => {
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/ipic_replica_gone`
    const cut = await startServerProcess(primary.url ?? '', {
      DATABASE_REPLICA_URL: nowhere,
      IPIC_TODAY: '2026-07-21',
    })
    try {
      const lead = new HttpClient(cut.origin)
      await lead.signIn('lead')
      for (const path of [
        paths.miDashboard({ ...JULY_FORM }),
        paths.miReportFile('csv', JULY),
        paths.miDataQuality(undefined, { ...JULY_FORM }),
        paths.miDataQuality('csv', { ...JULY_FORM }),
      ]) {
        const response = await lead.get(path)
        const html = await response.text()
        assert.equal(response.status, 503, `${path}: ${cut.output()}`)
        assert.match(titleOf(html), /^Sorry, there is a problem with the service/, path)
      }
      // A caseworker's pages and the balancer's readiness check do not depend on the replica.
      const caseworker = new HttpClient(cut.origin)
      await caseworker.signIn('cw1')
      const list = await caseworker.get(paths.home())
      assert.equal(list.status, 200)
      await list.body?.cancel()
      const ready = await fetch(`${cut.origin}${paths.healthReady()}`)
      assert.equal(ready.status, 200)
      await ready.body?.cancel()
    } finally {
      await cut.stop()
    }
  })
  it('answers the problem page, rather than wait, when the replica takes connections but never answers', async () => {
    // What a replica behind a firewall that drops packets, or a hung server, looks like to the service.
    const held: Socket[] = []
    const silent = createServer((socket) => {
      held.push(socket)
    })
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    const address = silent.address()
    assert.ok(address && typeof address === 'object')
    const hung = await startServerProcess(primary.url ?? '', {
      DATABASE_REPLICA_URL: `postgres://postgres@127.0.0.1:${address.port}/ipic_replica_hung`,
      IPIC_TODAY: '2026-07-21',
    })
    try {
      const lead = new HttpClient(hung.origin)
      await lead.signIn('lead')
      const response = await lead.get(paths.miDashboard({ ...JULY_FORM }))
      assert.equal(response.status, 503, hung.output())
      assert.match(titleOf(await response.text()), /^Sorry, there is a problem with the service/)
      assert.ok(held.length > 0, 'the service did try the replica')
    } finally {
      await hung.stop()
      for (const socket of held) socket.destroy()
      silent.close()
    }
  })
})
