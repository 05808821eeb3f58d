/**
 * importExtract with a full extract: persons it does not mention are marked
 * no longer present (never deleted) and come back when a later file names
 * them; a partial import marks nobody absent, and a full extract with no
 * valid record is refused. The limit on how many may go at once is tested
 * in import-full-absence.test.ts.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ImportFileError } from '../../src/cases/import.ts'
import { importTestHarness, record, SMALL_CASELOAD } from '../support/import-harness.ts'

describe('importExtract', () => {
  const harness = importTestHarness()
  const { extract, run, personIds, person, rowCount, imports } = harness

  describe('a full extract', () => {
    it('marks persons it does not mention as no longer present, never deleting them, and a later import brings them back', async () => {
      await run(await extract('monday.ndjson', [record('P0001'), record('P0002'), record('P0003')]), {
        full: true,
      })
      harness.time.moveTo('2026-03-03T09:00:00Z')
      // P0002's record is invalid but readable: the person is in the extract, so not gone.
      const tuesday = await extract('tuesday.ndjson', [
        record('P0001'),
        record('P0002', (r) => (r.gender = 'Q')),
      ])

      const full = await run(tuesday, { full: true, absenceLimit: SMALL_CASELOAD })

      assert.deepEqual([full.unchanged, full.rejected, full.markedAbsent], [1, 1, 1])
      assert.deepEqual(await personIds('absent'), ['P0003'])
      assert.deepEqual(await personIds(), ['P0001', 'P0002', 'P0003'], 'nobody is deleted')
      assert.equal((await imports())[1]?.marked_absent, 1)

      harness.time.moveTo('2026-03-04T09:00:00Z')
      const back = await run(await extract('wednesday.ndjson', [record('P0003')]))

      assert.deepEqual([back.updated, back.unchanged, back.markedAbsent], [1, 0, 0])
      assert.deepEqual(await personIds('absent'), [])
      const p3 = await person('P0003')
      assert.equal(
        new Date(p3.data_changed_at).toISOString(),
        '2026-03-02T09:00:00.000Z',
        'coming back is not a change of data',
      )
    })

    it('marks nobody absent in a partial import', async () => {
      await run(await extract('all.ndjson', [record('P0001'), record('P0002')]))
      const summary = await run(await extract('some.ndjson', [record('P0001')]))
      assert.equal(summary.markedAbsent, 0)
      assert.deepEqual(await personIds('present'), ['P0001', 'P0002'])
    })

    it('is refused when it holds no valid record, rather than marking everyone absent', async () => {
      await run(await extract('all.ndjson', [record('P0001'), record('P0002')]))
      const empty = await extract('broken.ndjson', ['garbage', 'more garbage'])

      await assert.rejects(run(empty, { full: true }), ImportFileError)

      assert.deepEqual(await personIds('present'), ['P0001', 'P0002'])
      const rows = await imports()
      assert.equal(rows[1]?.status, 'FAILED')
      assert.match(rows[1]?.failure ?? '', /holds no valid record/)
      assert.equal(await rowCount('import_seen'), 0)
    })
  })
})
