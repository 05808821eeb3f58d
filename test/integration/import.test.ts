/**
 * importExtract writes what an extract holds: persons with every list, the
 * import recorded, a changed person updated with only their own data marked
 * changed, an unchanged file changing nothing, gzip read like plain text.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { LIST_TABLES } from '../../src/cases/person-rows.ts'
import { importTestHarness, record } from '../support/import-harness.ts'

describe('importExtract', () => {
  const harness = importTestHarness()
  const { extract, run, personIds, person, rowCount, imports, caseData, rowVersions } = harness

  it('imports persons with every list into their tables and records the import', async () => {
    const file = await extract('extract.ndjson', [record('P0001'), record('P0002'), record('P0003')])
    const progress: { read: number; rejected: number }[] = []

    const summary = await run(file, { batchSize: 2, onProgress: (p) => progress.push(p) })

    assert.deepEqual(
      { ...summary, seconds: undefined },
      {
        importId: 1,
        read: 3,
        inserted: 3,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        markedAbsent: 0,
        seconds: undefined,
        rejectsFile: undefined,
      },
    )
    assert.ok(summary.seconds >= 0)
    assert.deepEqual(progress, [
      { read: 2, rejected: 0 },
      { read: 3, rejected: 0 },
    ])
    assert.deepEqual(await personIds(), ['P0001', 'P0002', 'P0003'])
    const p = await person('P0002')
    assert.equal(p.family_name, 'Okafor')
    assert.equal(p.date_of_birth, '1990-05-17')
    assert.equal(p.travel_document_expiry, '2021-08-31')
    assert.equal(p.next_reporting_date_2, '2026-04-07')
    assert.equal(p.present, true)
    assert.equal(new Date(p.first_imported_at).toISOString(), '2026-03-02T09:00:00.000Z')
    assert.equal(new Date(p.data_changed_at).toISOString(), '2026-03-02T09:00:00.000Z')
    for (const { table } of Object.values(LIST_TABLES)) assert.equal(await rowCount(table), 3, table)
    const barrier = await harness.database.db
      .selectFrom('barriers')
      .selectAll()
      .where('person_id', '=', 'P0002')
      .executeTakeFirstOrThrow()
    assert.deepEqual(barrier, {
      person_id: 'P0002',
      position: 0,
      type: 'FURTHER_SUBMISSIONS',
      suspensive: true,
      raised_on: '2025-11-03',
      resolved_on: null,
      owning_team: 'Further Submissions Unit',
    })
    const [row] = await imports()
    assert.equal(row?.status, 'COMPLETED')
    assert.equal(row?.file, resolve(file))
    assert.deepEqual([row?.records_read, row?.inserted, row?.rejected], [3, 3, 0])
    assert.equal(await rowCount('import_seen'), 0, 'claims are cleared at the end')
    assert.equal(existsSync(`${file}.rejects.ndjson`), false)
  })

  it('changes nothing when the same file is imported twice', async () => {
    const file = await extract('extract.ndjson', [record('P0001'), record('P0002'), record('P0003')])
    await run(file)
    const before = await caseData()
    const versions = await rowVersions()
    harness.time.moveTo('2026-03-03T09:00:00Z')

    const summary = await run(file)

    assert.deepEqual([summary.inserted, summary.updated, summary.unchanged, summary.rejected], [0, 0, 3, 0])
    assert.deepEqual(await caseData(), before)
    assert.deepEqual(await rowVersions(), versions, 'no row was rewritten')
    const p = await person('P0001')
    assert.equal(new Date(p.data_changed_at).toISOString(), '2026-03-02T09:00:00.000Z')
    assert.deepEqual(
      (await imports()).map((row) => [row.status, row.unchanged]),
      [
        ['COMPLETED', 0],
        ['COMPLETED', 3],
      ],
    )
  })

  it('updates a changed person, replaces their lists and moves only their data_changed_at', async () => {
    await run(await extract('v1.ndjson', [record('P0001'), record('P0002'), record('P0003')]))
    harness.time.moveTo('2026-03-05T14:30:00Z')
    const changed = record('P0002', (r) => {
      r.familyName = 'Okafor-Smith'
      r.barriers = [
        { type: 'APPEAL', suspensive: true, raisedOn: '2026-01-05', resolvedOn: null, owningTeam: 'Appeals' },
        {
          type: 'JUDICIAL_REVIEW',
          suspensive: false,
          raisedOn: '2026-02-01',
          resolvedOn: null,
          owningTeam: 'JR',
        },
      ]
      r.referrals = []
    })

    const summary = await run(await extract('v2.ndjson', [record('P0001'), changed, record('P0003')]))

    assert.deepEqual([summary.inserted, summary.updated, summary.unchanged], [0, 1, 2])
    const p2 = await person('P0002')
    assert.equal(p2.family_name, 'Okafor-Smith')
    assert.equal(new Date(p2.data_changed_at).toISOString(), '2026-03-05T14:30:00.000Z')
    assert.equal(new Date(p2.first_imported_at).toISOString(), '2026-03-02T09:00:00.000Z')
    const barriers = await harness.database.db
      .selectFrom('barriers')
      .select(['position', 'type'])
      .where('person_id', '=', 'P0002')
      .orderBy('position')
      .execute()
    assert.deepEqual(barriers, [
      { position: 0, type: 'APPEAL' },
      { position: 1, type: 'JUDICIAL_REVIEW' },
    ])
    assert.equal(await rowCount('referrals'), 2, 'P0002 has no referral any more')
    assert.equal(await rowCount('offences'), 3, 'unchanged lists are kept')
    const p1 = await person('P0001')
    assert.equal(new Date(p1.data_changed_at).toISOString(), '2026-03-02T09:00:00.000Z')
  })

  it('imports a gzip extract like a plain one, Windows line endings included', async () => {
    const content = Buffer.from(
      [record('P0001'), record('P0002')].map((r) => `${JSON.stringify(r)}\r\n`).join(''),
      'utf8',
    )
    const file = join(harness.folder, 'extract.ndjson.gz')
    await writeFile(file, gzipSync(content))

    const summary = await run(file)

    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [2, 2, 0])
    assert.deepEqual(await personIds(), ['P0001', 'P0002'])
  })
})
