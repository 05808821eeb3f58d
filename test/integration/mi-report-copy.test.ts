/**
 * The MI report's CSV on PostgreSQL comes from COPY, elsewhere from the
 * cursor through miCsv: the two must be the same file, byte for byte, even
 * for values that are awkward in CSV (commas, quotes, line breaks inside a
 * field, empty and missing values, formulas, names beyond ASCII).
 */
import assert from 'node:assert/strict'
import type { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { RegionScope } from '../../src/access/region-scope.ts'
import type { IsoDate } from '../../src/dates.ts'
import { miColumns } from '../../src/mi/report-columns.ts'
import { miCsvByCopy, miCsvCopyStatement } from '../../src/mi/report-copy.ts'
import { type MiFile, miCsv, miCsvHeader } from '../../src/mi/report-files.ts'
import { miRejectionReasons, streamMiReport } from '../../src/mi/report-query.ts'
import { openTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/database.ts'
import { buildMiFixture, insertMiUsers } from '../support/mi.ts'
import { insertPersons } from '../support/tasks.ts'

/** Rejection explanations a caseworker might type, or paste. */
const DETAILS: readonly (string | null)[] = [
  'line one\nline two',
  'a carriage\rreturn',
  'Windows\r\nline ends\r\n',
  '"Quoted" at the start, and a comma',
  'ends with a quote"',
  '""',
  '',
  null,
  '=HYPERLINK("http://example.com")',
  '+44 7700 900123',
  '-minus',
  '@mention',
  '\ttab first',
  '\rCR first',
  'back\\slash \\N and \\.',
  'Ünïcödé, 日本語 and 🚀',
  '\n',
  ',',
]

async function bytesOf(file: MiFile): Promise<{ text: string; rows: number; outcome: string }> {
  const chunks: Buffer[] = []
  for await (const chunk of file.body as Readable) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  }
  const end = await file.finished
  return { text: Buffer.concat(chunks).toString('utf8'), rows: end.rows, outcome: end.outcome }
}

describe('MI report CSV through COPY', { skip: testDatabaseUrl() ? false : 'COPY needs PostgreSQL' }, () => {
  let database: TestDatabase

  before(async () => {
    database = await openTestDatabase()
    await insertMiUsers(database.db)
    await buildMiFixture(database.db)
    await insertPersons(database.db, [
      {
        person_id: 'Q1',
        given_names: 'Zoë "Zed"',
        family_name: "O'Brien, Jr",
        home_office_reference: '@HO/Q1',
        next_reporting_date: null,
      },
      { person_id: 'Q2', given_names: '=cmd', family_name: 'Łukasz', rom_region: 'MEE', ice_region: 'MEE' },
      { person_id: 'Q3', given_names: '-1', family_name: 'Nguyễn\nNewline', date_of_birth: '0999-01-02' },
    ])
    const codes = (await miRejectionReasons(database.db)).map((reason) => reason.code)
    for (const [index, details] of DETAILS.entries()) {
      const person = ['Q1', 'Q2', 'Q3'][index % 3] as string
      const region = person === 'Q2' ? 'MEE' : 'LSE'
      const reasons = index % 4 === 3 ? null : codes.filter((_, position) => (position + index) % 3 === 0)
      await sql`
        with made as (
          insert into tasks (person_id, task_type, rom_region, priority, status, version, rule_code,
            rule_set_version, explanation, created_at, status_changed_at, status_changed_by)
          values (${person}, 'FAILED_TO_REPORT', ${region}, 1, 'REJECTED', 2, 'FAILED_TO_REPORT', 'mi-v1',
            '{}'::jsonb, timestamptz '2026-07-06 08:00Z', timestamptz '2026-07-06 09:00Z', 'cw1')
          returning id
        )
        insert into task_events (task_id, task_version, status, occurred_at, user_id, run_id, rule_set_version,
          reasons, details)
        select id, 1, 'RECOMMENDED', timestamptz '2026-07-06 08:00Z', null, 1, 'mi-v1', null, null from made
        union all
        select id, 2, 'REJECTED', timestamptz '2026-07-06 09:00Z' + ${index} * interval '1 second', 'cw1',
          null, null, ${reasons}::text[], ${details} from made
      `.execute(database.db)
    }
  })
  after(async () => {
    await database?.close()
  })

  async function bothWays(scope: RegionScope) {
    const { db, pool } = database
    assert.ok(pool)
    const columns = miColumns(await miRejectionReasons(db))
    const criteria = { from: '2026-07-01' as IsoDate, to: '2026-07-31' as IsoDate, scope }
    // Small cursor chunks, so the chunk boundaries are exercised too.
    const cursor = await bytesOf(miCsv(streamMiReport(db, criteria, 3), columns))
    const copy = await bytesOf(
      miCsvByCopy(pool, miCsvCopyStatement(db, criteria, columns), miCsvHeader(columns)),
    )
    return { cursor, copy }
  }

  it('writes the same bytes as the cursor, every region', async () => {
    const { cursor, copy } = await bothWays({ all: true })
    assert.equal(cursor.outcome, 'COMPLETED')
    assert.equal(copy.outcome, 'COMPLETED')
    // The fixture's 8 updates, and two for each explanation.
    assert.equal(cursor.rows, 8 + 2 * DETAILS.length)
    assert.equal(copy.text, cursor.text)
    assert.equal(copy.rows, cursor.rows)
    // The awkward values did reach the file.
    assert.match(copy.text, /"Windows\r\nline ends\r\n"/)
    assert.match(copy.text, /"Zoë ""Zed"" O'Brien, Jr"/)
  })

  it('writes the same bytes as the cursor for some regions, and for none', async () => {
    for (const codes of [['LSE'], ['LSE', 'MEE'], ["MEE' or 'x' = 'x"], []]) {
      const { cursor, copy } = await bothWays({ all: false, codes })
      assert.equal(copy.text, cursor.text, `regions ${codes.join(', ')}`)
      assert.equal(copy.rows, cursor.rows)
    }
  })
})
