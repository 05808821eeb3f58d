/**
 * The runbook's backup and restore (docs/operating.md), command by command:
 * - PostgreSQL: `pg_dump -Fc` while the service runs, `pg_restore` into a new
 *   database, `ipic serve` on it, and the same tabs, counts and persons as
 *   the original, with the signed-in user still signed in;
 * - the embedded data directory: stop the service, `cp -a` the directory,
 *   start on the copy, and the same again.
 * Each half runs in the suite's pass for its engine.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import type { Kysely } from 'kysely'
import { DEMO_PASSWORD } from '../../src/access/demo-users.ts'
import { openDatabase } from '../../src/db/connect.ts'
import type { Tables } from '../../src/db/tables.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { backUp, createEmptyDatabase, dropDatabase, restore } from '../support/database-copy.ts'
import { addMiTestUsers, buildMiFixture } from '../support/mi.ts'
import { tabsOf } from '../support/review-pages.ts'
import { HttpClient, type ServerProcess, startServerProcess } from '../support/server-process.ts'

const run = promisify(execFile)

/** What must survive a backup and restore, counted in the database. */
async function countsIn(db: Kysely<Tables>) {
  const count = async (table: 'persons' | 'tasks' | 'task_events' | 'users' | 'rule_runs') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    persons: await count('persons'),
    tasks: await count('tasks'),
    taskEvents: await count('task_events'),
    users: await count('users'),
    ruleRuns: await count('rule_runs'),
  }
}

/** The port a server process listens on, to start the restored service where the original was. */
function portOf(server: ServerProcess): string {
  return new URL(server.origin).port
}

/** The tabs of a region's review list, with their counts, as the signed-in client sees them. */
async function tabsFor(client: HttpClient, region: string): Promise<string[]> {
  const page = await client.get(paths.reviewSearch(region))
  assert.equal(page.status, 200, 'the client is signed in and sees the review list')
  return tabsOf(await page.text())
}

describe('backing up PostgreSQL with pg_dump and restoring it with pg_restore', {
  skip: testDatabaseUrl() ? false : 'needs PostgreSQL (DATABASE_URL)',
  timeout: 120_000,
}, () => {
  let original: TestDatabase
  let restoredUrl: string | undefined
  let directory: string
  let server: ServerProcess | undefined

  before(async () => {
    original = await openTestDatabase()
    await addMiTestUsers(original)
    await buildMiFixture(original.db)
    directory = await mkdtemp(join(tmpdir(), 'ipic-backup-test-'))
  })

  after(async () => {
    await server?.stop()
    if (restoredUrl) await dropDatabase(restoredUrl)
    await original?.close()
    await rm(directory, { recursive: true, force: true })
  })

  it('serves the same tabs, counts and persons from the restored database', async () => {
    const env = { IPIC_TODAY: '2026-07-06' }
    server = await startServerProcess(original.url ?? '', env)
    const caseworker = new HttpClient(server.origin)
    await caseworker.signIn('cw1')
    const tabsBefore = await tabsFor(caseworker, 'LSE')
    assert.deepEqual(tabsBefore, ['Recommended (0)', 'Accepted (1)', 'Rejected (1)', 'On hold (0)'])

    // Taken while the service runs, as the runbook's daily backup is.
    const dump = join(directory, 'ipic.dump')
    await backUp(original.url ?? '', dump)
    const countsBefore = await countsIn(original.db)
    const port = portOf(server)
    await server.stop()

    restoredUrl = await createEmptyDatabase(original.url ?? '', 'restored')
    await restore(dump, restoredUrl)
    // The service pointed at the restored database, where it was: the caseworker's browser is still signed in.
    server = await startServerProcess(restoredUrl, { ...env, PORT: port })
    assert.deepEqual(await tabsFor(caseworker, 'LSE'), tabsBefore)

    const restored = await openDatabase({ kind: 'postgres', url: restoredUrl })
    try {
      const countsAfter = await countsIn(restored.db)
      assert.deepEqual(countsAfter, countsBefore)
      assert.equal(countsAfter.persons, 4)
    } finally {
      await restored.close()
    }
  })

  it('refuses to restore into a database that is not empty, leaving it as it was', async () => {
    assert.ok(restoredUrl, 'the first test restored a database')
    await assert.rejects(
      restore(join(directory, 'ipic.dump'), restoredUrl),
      /pg_restore .* failed:\n[\s\S]*already exists/,
    )
    const restored = await openDatabase({ kind: 'postgres', url: restoredUrl })
    try {
      assert.equal((await countsIn(restored.db)).persons, 4, 'nothing was added by the refused restore')
    } finally {
      await restored.close()
    }
  })
})

describe('copying the embedded data directory while the service is stopped', {
  skip: testDatabaseUrl() ? 'runs in the embedded database pass of the suite' : false,
  timeout: 180_000,
}, () => {
  let directory: string
  let server: ServerProcess | undefined

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-data-copy-'))
  })

  after(async () => {
    await server?.stop()
    await rm(directory, { recursive: true, force: true })
  })

  it('starts on the copy with the same tabs, counts and persons', async () => {
    const original = join(directory, 'data')
    const copy = join(directory, 'ipic-data-copy')
    const env = {
      DATABASE_URL: '',
      IPIC_DEMO: '1',
      IPIC_DEMO_PERSONS: '60',
      IPIC_TODAY: '2026-03-16',
    }
    server = await startServerProcess('', { ...env, IPIC_DATA_DIR: original })
    const caseworker = new HttpClient(server.origin)
    await caseworker.signIn('caseworker.lse', DEMO_PASSWORD)
    const tabsBefore = await tabsFor(caseworker, 'LSE')
    assert.equal(tabsBefore.length, 4)
    const port = portOf(server)

    // The runbook: stop the service, then copy the directory.
    await server.stop()
    await run('cp', ['-a', original, copy])
    assert.equal(
      existsSync(join(copy, 'ipic.lock')),
      false,
      'a service stopped cleanly leaves no lock behind',
    )

    server = await startServerProcess('', { ...env, IPIC_DATA_DIR: copy, PORT: port })
    assert.deepEqual(await tabsFor(caseworker, 'LSE'), tabsBefore)
    await server.stop()

    const counts = []
    for (const dataDir of [original, copy]) {
      const database = await openDatabase({ kind: 'pglite', dataDir })
      try {
        counts.push(await countsIn(database.db))
      } finally {
        await database.close()
      }
    }
    assert.equal(counts[0]?.persons, 60)
    assert.ok((counts[0]?.tasks ?? 0) > 0, 'the demo ran the rules')
    assert.deepEqual(counts[1], counts[0])
  })
})
