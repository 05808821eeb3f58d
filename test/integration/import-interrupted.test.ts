/**
 * importExtract when an import fails or is stopped part-way: committed
 * batches stay whole, a killed import is recorded as failed when the next
 * one starts, an import refuses to start while another holds the lock, and
 * a re-run finishes the job as a clean import would.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import pg from 'pg'
import { ImportBusyError } from '../../src/cases/import.ts'
import { LIST_TABLES } from '../../src/cases/person-rows.ts'
import { REFERENCE_DIR, testDatabaseUrl } from '../support/database.ts'
import { currentDatabaseUrl, importTestHarness, record } from '../support/import-harness.ts'

describe('importExtract', () => {
  const harness = importTestHarness()
  const { extract, run, personIds, rowCount, imports, caseData } = harness

  it('keeps every committed batch whole when one fails, and a re-run finishes the job as a clean import would', async () => {
    const lines = [record('P1'), record('P2'), record('P3'), record('P4'), record('P5')]
    const file = await extract('extract.ndjson', lines)
    // The database refuses P4 (as it might refuse a row for a reason the
    // checks in Node cannot see): half way through batch 2.
    await sql`
      create function refuse_p4() returns trigger language plpgsql as $$
      begin
        if new.person_id = 'P4' then raise exception 'simulated database failure'; end if;
        return new;
      end $$;
      create trigger refuse_p4 before insert on persons for each row execute function refuse_p4();
    `.execute(harness.database.db)
    try {
      await assert.rejects(run(file, { batchSize: 2 }), /simulated database failure/)
    } finally {
      await sql`drop trigger refuse_p4 on persons; drop function refuse_p4();`.execute(harness.database.db)
    }

    assert.deepEqual(await personIds(), ['P1', 'P2'], 'batch 1 committed, batch 2 rolled back whole')
    for (const { table } of Object.values(LIST_TABLES)) assert.equal(await rowCount(table), 2, table)
    const [failed] = await imports()
    assert.equal(failed?.status, 'FAILED')
    assert.match(failed?.failure ?? '', /simulated database failure/)
    assert.deepEqual([failed?.records_read, failed?.inserted], [2, 2])
    assert.equal(await rowCount('import_seen'), 0)

    const rerun = await run(file, { batchSize: 2 })
    assert.deepEqual([rerun.inserted, rerun.unchanged, rerun.rejected], [3, 2, 0])
    const resumed = await caseData()

    await harness.database.reset()
    await run(file, { batchSize: 2 })
    assert.deepEqual(resumed, await caseData())
  })

  it('records an import that was killed as FAILED when the next one starts, and clears its claims', async () => {
    const [stale] = await harness.database.db
      .insertInto('imports')
      .values({
        file: '/old.ndjson',
        full_extract: true,
        started_at: new Date('2026-03-01T09:00:00Z'),
        status: 'RUNNING',
      })
      .returning('id')
      .execute()
    await harness.database.db
      .insertInto('import_seen')
      .values({ import_id: stale!.id, person_id: 'P0001', line: 1 })
      .execute()

    await run(await extract('extract.ndjson', [record('P0001')]))

    const [old] = await imports()
    assert.equal(old?.status, 'FAILED')
    assert.match(old?.failure ?? '', /stopped before it finished/)
    assert.equal(await rowCount('import_seen'), 0)
  })

  it('refuses to start while another import holds the lock (PostgreSQL)', async (t) => {
    const url = testDatabaseUrl()
    if (!url) return t.skip('PGlite has one session, so a second import cannot run beside the first')
    const client = new pg.Client({ connectionString: await currentDatabaseUrl(harness.database, url) })
    await client.connect()
    try {
      await client.query(`select pg_advisory_lock(hashtext('ipic:import'))`)
      const file = await extract('extract.ndjson', [record('P0001')])
      await assert.rejects(run(file), ImportBusyError)
      assert.deepEqual(await imports(), [])
      assert.deepEqual(await personIds(), [])
    } finally {
      await client.end()
    }
  })

  it('finishes the job after the process was killed between batches (PostgreSQL)', async (t) => {
    const url = testDatabaseUrl()
    if (!url) return t.skip('an in-memory PGlite does not outlive its process')
    const file = await extract('extract.ndjson', [
      record('P1'),
      record('P2'),
      record('P3'),
      record('P4'),
      record('P5'),
    ])
    const script = join(harness.folder, 'killed-import.ts')
    const source = (path: string) => JSON.stringify(resolve(import.meta.dirname, path))
    await writeFile(
      script,
      `import { importExtract } from ${source('../../src/cases/import.ts')}
import { openDatabase } from ${source('../../src/db/connect.ts')}
import { readReferenceData } from ${source('../../src/db/reference-data.ts')}
const [url, file, referenceDir] = process.argv.slice(2)
const database = await openDatabase({ kind: 'postgres', url })
const reference = await readReferenceData(referenceDir)
const clock = { now: () => new Date('2026-03-02T09:00:00Z'), today: () => '2026-03-02' }
// Killed outright once the first batch has committed: no clean-up runs.
await importExtract(database, { file, full: false, clock, reference, batchSize: 2, onProgress: () => process.kill(process.pid, 'SIGKILL') })
`,
    )
    const databaseUrl = await currentDatabaseUrl(harness.database, url)
    const signal = await new Promise<NodeJS.Signals | null>((done) => {
      const child = spawn(process.execPath, [script, databaseUrl, file, REFERENCE_DIR], { stdio: 'inherit' })
      child.on('exit', (_code, killedBy) => done(killedBy))
    })
    assert.equal(signal, 'SIGKILL')
    assert.deepEqual(await personIds(), ['P1', 'P2'])
    assert.equal((await imports())[0]?.status, 'RUNNING')
    // The server ends the killed process's session (and its import lock) a
    // moment after the socket closes: wait for that, as an operator would.
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await sql<{ held: number }>`
        select count(*) as held from pg_locks
        where locktype = 'advisory'
          and database = (select oid from pg_database where datname = current_database())`.execute(
        harness.database.db,
      )
      if (rows[0]?.held === 0) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    const rerun = await run(file, { batchSize: 2 })

    assert.deepEqual([rerun.inserted, rerun.unchanged], [3, 2])
    assert.deepEqual(
      (await imports()).map((row) => row.status),
      ['FAILED', 'COMPLETED'],
    )
    const resumed = await caseData()
    await harness.database.reset()
    await run(file, { batchSize: 2 })
    assert.deepEqual(resumed, await caseData())
  })
})
