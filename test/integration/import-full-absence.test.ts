/**
 * A full extract cut short must not empty the caseload: marking more than
 * the allowed share of the present persons absent is refused unless the
 * operator confirms it.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { type ImportOptions, importExtract, MassAbsenceError } from '../../src/cases/import.ts'
import { clockFixedTo } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'

const clock = clockFixedTo(RECORD_TODAY as IsoDate)
const ids = (n: number) => Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(4, '0')}`)

describe('a full import that would mark many persons absent', () => {
  let database: TestDatabase
  let reference: ReferenceData
  let folder: string

  before(async () => {
    database = await openTestDatabase()
    reference = await readReferenceData(REFERENCE_DIR)
  })
  after(() => database.close())
  beforeEach(async () => {
    await database.reset()
    folder = await mkdtemp(join(tmpdir(), 'ipic-import-absence-'))
    await run(await extract('whole.ndjson', ids(30)), { full: true })
  })
  afterEach(() => rm(folder, { recursive: true, force: true }))

  async function extract(name: string, personIds: readonly string[]): Promise<string> {
    const file = join(folder, name)
    await writeFile(file, personIds.map((id) => `${JSON.stringify(validCaseRecord(id))}\n`).join(''))
    return file
  }

  function run(file: string, options: Partial<ImportOptions> = {}) {
    return importExtract(database, { file, full: false, clock, reference, ...options })
  }

  async function absentCount(): Promise<number> {
    const rows = await database.db
      .selectFrom('persons')
      .select('person_id')
      .where('present', '=', false)
      .execute()
    return rows.length
  }

  async function lastImport() {
    return database.db
      .selectFrom('imports')
      .select(['status', 'failure', 'marked_absent'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  }

  it('is refused by default when the file is cut short, saying how many and what share, and marks no one absent', async () => {
    const cut = await extract('cut.ndjson', ids(2))

    await assert.rejects(run(cut, { full: true }), (error: Error) => {
      assert.ok(error instanceof MassAbsenceError, String(error))
      assert.equal(error.absent, 28)
      assert.equal(error.present, 30)
      assert.equal(
        error.message,
        `${cut}: as a full extract it would mark 28 of the 30 persons present (93.33%) as no longer present, ` +
          'more than the 10% allowed (IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT), so no one was marked absent. ' +
          'The 2 valid records it holds were imported. A file cut short looks like this: check that it is whole, ' +
          'and if so many persons really have gone, import it again with --full --allow-mass-absence',
      )
      return true
    })

    assert.equal(await absentCount(), 0)
    const row = await lastImport()
    assert.equal(row.status, 'FAILED')
    assert.equal(row.marked_absent, 0)
    assert.match(row.failure ?? '', /would mark 28 of the 30 persons present \(93\.33%\)/)
    const seen = await database.db.selectFrom('import_seen').select('person_id').execute()
    assert.deepEqual(seen, [], 'the refused import left no claims behind')
  })

  it('goes ahead when the operator confirms the absences', async () => {
    const summary = await run(await extract('few.ndjson', ids(2)), {
      full: true,
      absenceLimit: { maxPercent: 10, allowMore: true },
    })
    assert.equal(summary.markedAbsent, 28)
    assert.equal(await absentCount(), 28)
    assert.equal((await lastImport()).status, 'COMPLETED')
  })

  it('goes ahead up to the limit, which is configurable', async () => {
    const summary = await run(await extract('most.ndjson', ids(27)), { full: true })
    assert.equal(summary.markedAbsent, 3, 'exactly 10% is within the default limit')

    await assert.rejects(
      run(await extract('fewer.ndjson', ids(26)), {
        full: true,
        absenceLimit: { maxPercent: 0, allowMore: false },
      }),
      /would mark 1 of the 27 persons present \(3\.7%\)/,
    )
    assert.equal(await absentCount(), 3)
  })

  it('a partial import is never refused, whatever it leaves out', async () => {
    const summary = await run(await extract('one.ndjson', ids(1)))
    assert.equal(summary.markedAbsent, 0)
  })
})
