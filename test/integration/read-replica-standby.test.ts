/**
 * The MI on a real read replica: a PostgreSQL hot standby streaming from a
 * primary (test/support/standby.ts), where nothing may be written, not even
 * in a temporary table. The MI report in both formats (COPY for CSV, a
 * cursor and extra sheets for Excel), the dashboard and the data-quality
 * list must work there, their downloads recorded on the primary, and follow
 * the primary once the standby has replayed its changes.
 *
 * read-replica.test.ts shows the figures come from the replica and not the
 * primary; this shows a real replica is enough for them.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addUser } from '../../src/access/users.ts'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { prepareDatabase } from '../../src/db/prepare.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { REFERENCE_DIR, testDatabaseUrl } from '../support/database.ts'
import {
  buildMiFixture,
  finishedMiDownloads,
  insertMiUsers,
  JULY_FORM,
  type MiFixture,
  parseCsv,
} from '../support/mi.ts'
import { type OwnPostgres, postgresInstalled, startOwnPostgres } from '../support/own-postgres.ts'
import { HttpClient, type ServerProcess, startServerProcess } from '../support/server-process.ts'
import { type Standby, startStandby } from '../support/standby.ts'
import { TEST_PASSWORD, textOf } from '../support/web.ts'

const skip = !testDatabaseUrl()
  ? 'runs in the PostgreSQL pass of the suite (DATABASE_URL)'
  : !postgresInstalled()
    ? 'needs PostgreSQL 15’s programs in /usr/lib/postgresql/15/bin'
    : false

const JULY = { from: '2026-07-01', to: '2026-07-31' }

describe('the MI on a hot standby', { skip, timeout: 120_000 }, () => {
  let own: OwnPostgres
  let primary: Database
  let standby: Standby
  let fixture: MiFixture
  let server: ServerProcess

  before(async () => {
    own = await startOwnPostgres()
    primary = await openDatabase({ kind: 'postgres', url: own.url })
    await prepareDatabase(primary.db, REFERENCE_DIR)
    await insertMiUsers(primary.db)
    await addUser(primary.db, {
      id: 'analyst',
      name: 'Ann Analyst',
      roles: ['MI_ANALYST'],
      regions: 'all',
      password: TEST_PASSWORD,
    })
    fixture = await buildMiFixture(primary.db)
    standby = await startStandby(own)
    await standby.caughtUp()
    server = await startServerProcess(own.url, {
      DATABASE_REPLICA_URL: standby.url,
      IPIC_TODAY: '2026-07-21',
    })
  })

  after(async () => {
    await server?.stop()
    await standby?.remove()
    await primary?.close()
    await own?.remove()
  })

  /** P4's statuses in the report: one row per status update. */
  async function reportStatusesOfP4(analyst: HttpClient): Promise<(string | undefined)[]> {
    const response = await analyst.get(paths.miReportFile('csv', JULY))
    assert.equal(response.status, 200, server.output())
    const [header = [], ...rows] = parseCsv(await response.text())
    return rows.filter((row) => row[0] === 'P4').map((row) => row[header.indexOf('Current Status')])
  }

  it('downloads the report in both formats from the standby, recording each on the primary', async () => {
    const analyst = new HttpClient(server.origin)
    await analyst.signIn('analyst')
    assert.deepEqual(await reportStatusesOfP4(analyst), ['Recommended'])
    const workbook = await analyst.get(paths.miReportFile('xlsx', JULY))
    assert.equal(workbook.status, 200, server.output())
    assert.ok((await workbook.arrayBuffer()).byteLength > 0)
    const downloads = await finishedMiDownloads(primary.db)
    assert.deepEqual(
      downloads.map((row) => [row.user_id, row.format, row.outcome]),
      [
        ['analyst', 'csv', 'COMPLETED'],
        ['analyst', 'xlsx', 'COMPLETED'],
      ],
    )
  })

  it('shows the dashboard and the data-quality list from the standby', async () => {
    const analyst = new HttpClient(server.origin)
    await analyst.signIn('analyst')
    const dashboard = await analyst.get(paths.miDashboard({ ...JULY_FORM }))
    assert.equal(dashboard.status, 200, server.output())
    assert.ok(textOf(await dashboard.text()).includes('Withdrawn Failed-to-report follow-up 1 1 1 0 1'))
    const list = await analyst.get(paths.miDataQuality('csv', { ...JULY_FORM }))
    assert.equal(list.status, 200, server.output())
    assert.equal(parseCsv(await list.text()).length, 2, 'a header and P2’s rejection')
  })

  it('follows the primary once the standby has replayed its changes', async () => {
    fixture.clock.set(new Date('2026-07-20T10:00:00Z'))
    const decided = await decideTask(primary.db, {
      taskId: fixture.tasks.P4,
      expectedVersion: 1,
      decision: { status: 'ACCEPTED', checksConfirmed: true },
      user: { id: 'cw3', regions: { all: false, codes: ['MEE'] } },
      clock: fixture.clock,
    })
    assert.equal(decided.kind, 'decided')
    await standby.caughtUp()
    const analyst = new HttpClient(server.origin)
    await analyst.signIn('analyst')
    assert.deepEqual(await reportStatusesOfP4(analyst), ['Recommended', 'Accepted'])
  })
})
