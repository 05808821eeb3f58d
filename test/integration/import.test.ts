import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import pg from 'pg'
import type { CaseRecordInput } from '../../src/cases/extract.ts'
import {
  ImportBusyError,
  ImportFileError,
  type ImportOptions,
  type ImportSummary,
  importExtract,
} from '../../src/cases/import.ts'
import { LIST_TABLES, PERSON_COLUMNS } from '../../src/cases/person-rows.ts'
import type { Clock } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'
import { changedRecord, type EditableRecord, RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase, testDatabaseUrl } from '../support/database.ts'

type Line = CaseRecordInput | string | Uint8Array

/** A clock whose instant the test moves, so that each import's timestamps can be told apart. */
function movableClock(start: string) {
  let instant = new Date(start)
  const clock: Clock = { now: () => new Date(instant), today: () => RECORD_TODAY as IsoDate }
  return { clock, moveTo: (iso: string) => (instant = new Date(iso)) }
}

/** A valid record, or one with `change` applied to a copy. */
function record(personId: string, change?: (r: EditableRecord) => void): CaseRecordInput {
  return change ? changedRecord(personId, change) : validCaseRecord(personId)
}

/** The address of the test's own database on the server named by DATABASE_URL. */
async function currentDatabaseUrl(database: TestDatabase, serverUrl: string): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(database.db)
  const url = new URL(serverUrl)
  url.pathname = `/${rows[0]?.name}`
  return url.toString()
}

function ndjson(lines: readonly Line[]): Uint8Array {
  const parts = lines.map((line) =>
    line instanceof Uint8Array
      ? line
      : new TextEncoder().encode(typeof line === 'string' ? line : JSON.stringify(line)),
  )
  return Buffer.concat(parts.flatMap((part) => [part, Buffer.from('\n')]))
}

/** One person of three or four is a third or a quarter: beyond the default share a full import may mark absent. */
const SMALL_CASELOAD = { maxPercent: 50, allowMore: false }

describe('importExtract', () => {
  let database: TestDatabase
  let reference: ReferenceData
  let folder: string
  let time: ReturnType<typeof movableClock>

  before(async () => {
    database = await openTestDatabase()
    reference = await readReferenceData(REFERENCE_DIR)
  })
  after(() => database.close())
  beforeEach(async () => {
    await database.reset()
    folder = await mkdtemp(join(tmpdir(), 'ipic-import-'))
    time = movableClock('2026-03-02T09:00:00Z')
  })
  afterEach(() => rm(folder, { recursive: true, force: true }))

  async function extract(
    name: string,
    lines: readonly Line[],
    options: { gzip?: boolean } = {},
  ): Promise<string> {
    const path = join(folder, name)
    const content = ndjson(lines)
    await writeFile(path, options.gzip ? gzipSync(content) : content)
    return path
  }

  function run(file: string, options: Partial<ImportOptions> = {}): Promise<ImportSummary> {
    return importExtract(database, { file, full: false, clock: time.clock, reference, ...options })
  }

  async function personIds(where: 'all' | 'present' | 'absent' = 'all'): Promise<string[]> {
    let query = database.db.selectFrom('persons').select('person_id').orderBy('person_id')
    if (where !== 'all') query = query.where('present', '=', where === 'present')
    return (await query.execute()).map((row) => row.person_id)
  }

  async function person(personId: string) {
    return database.db
      .selectFrom('persons')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow()
  }

  async function rowCount(table: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
      database.db,
    )
    return rows[0]?.n ?? 0
  }

  async function imports() {
    return database.db.selectFrom('imports').selectAll().orderBy('id').execute()
  }

  async function rejectsOf(
    file: string,
  ): Promise<{ line: number; personId: string | null; problems: string[] }[]> {
    const text = await readFile(`${file}.rejects.ndjson`, 'utf8')
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
  }

  /** Everything an import writes about persons, without the timestamps that differ between runs. */
  async function caseData() {
    const persons = await database.db
      .selectFrom('persons')
      .select([...PERSON_COLUMNS, 'content_hash', 'present'])
      .orderBy('person_id')
      .execute()
    const lists: Record<string, unknown[]> = {}
    for (const { table } of Object.values(LIST_TABLES)) {
      const { rows } = await sql`select * from ${sql.table(table)} order by person_id, position`.execute(
        database.db,
      )
      lists[table] = rows
    }
    return { persons, lists }
  }

  async function rowVersions(): Promise<string[]> {
    const { rows } = await sql<{ v: string }>`
      select 'persons ' || person_id || ' ' || xmin::text as v from persons
      union all select 'barriers ' || person_id || ' ' || xmin::text from barriers
      union all select 'referrals ' || person_id || ' ' || xmin::text from referrals
      order by 1`.execute(database.db)
    return rows.map((row) => row.v)
  }

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
    const barrier = await database.db
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
    time.moveTo('2026-03-03T09:00:00Z')

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
    time.moveTo('2026-03-05T14:30:00Z')
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
    const barriers = await database.db
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

  it('sends every kind of bad line to the rejects file with its line and problems, and imports the rest', async () => {
    const hugeLine = JSON.stringify(record('P0008', (r) => (r.familyName = 'x'.repeat(100_000))))
    const badUtf8Prefix = new TextEncoder().encode('{"personId":"P0009","familyName":"Ok')
    const file = await extract('extract.ndjson', [
      record('P0001'),
      '{"personId": "P0002", "familyName": ',
      record('P0003', (r) => {
        r.ageDisputed = 'no'
        r.reporting.missedEvents90Days = '3'
      }),
      record('P0004', (r) => {
        r.romRegion = 'XX'
        r.reporting.location = 'NOWHERE'
      }),
      record('P0005', (r) => (r.dateOfBirth = '1990-02-31')),
      record('P0006', (r) => (r.dateOfBirth = '2027-01-01')),
      record('P0001', (r) => (r.familyName = 'Second')),
      hugeLine,
      new Uint8Array([...badUtf8Prefix, 0xff, 0xfe, 0x22, 0x7d]),
      '',
      record('P0011'),
      '[1, 2]',
    ])

    const summary = await run(file)

    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [12, 2, 10])
    assert.equal(summary.rejectsFile, `${file}.rejects.ndjson`)
    const rejects = await rejectsOf(file)
    assert.deepEqual(
      rejects.map((r) => [r.line, r.personId]),
      [
        [2, 'P0002'],
        [3, 'P0003'],
        [4, 'P0004'],
        [5, 'P0005'],
        [6, 'P0006'],
        [7, 'P0001'],
        [8, 'P0008'],
        [9, 'P0009'],
        [10, null],
        [12, null],
      ],
    )
    const problems = Object.fromEntries(rejects.map((r) => [r.line, r.problems]))
    assert.match(problems[2]?.[0] ?? '', /^line is not valid JSON: /)
    assert.deepEqual(problems[3], [
      'ageDisputed: must be true or false (found "no")',
      'reporting.missedEvents90Days: must be a whole number (found "3")',
    ])
    assert.deepEqual(problems[4], [
      'romRegion: "XX" is not a known ROM region code',
      'reporting.location: "NOWHERE" is not a known reporting location code',
    ])
    assert.deepEqual(problems[5], ['dateOfBirth: "1990-02-31" is not a real calendar date'])
    assert.deepEqual(problems[6], [`dateOfBirth: "2027-01-01" is in the future (today is ${RECORD_TODAY})`])
    assert.deepEqual(problems[7], ['personId P0001 appears earlier in this file, at line 1'])
    assert.deepEqual(problems[8], [
      `line is ${Buffer.byteLength(hugeLine).toLocaleString('en-GB')} bytes long; the limit is 65,536 bytes`,
    ])
    assert.deepEqual(problems[9], [
      `line is not valid UTF-8 (the first bad byte is byte ${badUtf8Prefix.length + 1} of the line)`,
    ])
    assert.deepEqual(problems[10], ['line is empty'])
    assert.deepEqual(problems[12], [
      'line must hold one record, a group of fields in braces {…} (found a list)',
    ])
    assert.ok(
      (await readFile(`${file}.rejects.ndjson`)).length < 5_000,
      'the 100 KB value is not echoed back',
    )

    assert.deepEqual(await personIds(), ['P0001', 'P0011'])
    assert.equal((await person('P0001')).family_name, 'Okafor', 'the first occurrence wins')
    const [row] = await imports()
    assert.deepEqual([row?.status, row?.records_read, row?.inserted, row?.rejected], ['COMPLETED', 12, 2, 10])
  })

  it('rejects a person ID seen earlier in the file, within a batch and across batches, even when the first was invalid', async () => {
    const invalid = (id: string) => record(id, (r) => (r.gender = 'Q'))
    const file = await extract('extract.ndjson', [
      record('P1'),
      record('P2'),
      record('P3'),
      record('P1'),
      record('P5'),
      record('P5'),
      invalid('P7'),
      record('P7'),
      invalid('P9'),
      record('P10'),
      record('P9'),
      record('P12'),
    ])

    const summary = await run(file, { batchSize: 2 })

    assert.deepEqual(
      (await rejectsOf(file)).map((r) => [r.line, r.problems.at(-1)]),
      [
        [4, 'personId P1 appears earlier in this file, at line 1'],
        [6, 'personId P5 appears earlier in this file, at line 5'],
        [7, 'gender: "Q" is not a known gender (expected one of M, F, X, U)'],
        [8, 'personId P7 appears earlier in this file, at line 7'],
        [9, 'gender: "Q" is not a known gender (expected one of M, F, X, U)'],
        [11, 'personId P9 appears earlier in this file, at line 9'],
      ],
    )
    assert.deepEqual([summary.inserted, summary.rejected], [6, 6])
    assert.deepEqual(await personIds(), ['P1', 'P10', 'P12', 'P2', 'P3', 'P5'])
  })

  it('still updates, leaves unchanged and brings back the other persons of a batch that repeats an earlier one', async () => {
    await run(await extract('monday.ndjson', [record('P1'), record('P2'), record('P3'), record('P4')]), {
      full: true,
    })
    await run(await extract('tuesday.ndjson', [record('P1'), record('P2'), record('P3')]), {
      full: true,
      absenceLimit: SMALL_CASELOAD,
    })
    assert.deepEqual(await personIds('absent'), ['P4'])

    // With batches of two, each batch after the first repeats a person ID of
    // an earlier batch, so its claims are made one by one, skipping the seen.
    const file = await extract('wednesday.ndjson', [
      record('P5'),
      record('P1'),
      record('P5'),
      record('P2', (r) => (r.familyName = 'Changed')),
      record('P1'),
      record('P3'),
      record('P5'),
      record('P4'),
    ])
    const summary = await run(file, { batchSize: 2 })

    assert.deepEqual(
      [summary.inserted, summary.updated, summary.unchanged, summary.rejected],
      [1, 2, 2, 3],
      'P5 new; P2 changed and P4 back; P1 and P3 unchanged; three repeats',
    )
    assert.deepEqual(
      (await rejectsOf(file)).map((r) => r.line),
      [3, 5, 7],
    )
    assert.equal((await person('P2')).family_name, 'Changed')
    assert.deepEqual(await personIds('present'), ['P1', 'P2', 'P3', 'P4', 'P5'])
  })

  it('removes the rejects file of an earlier run when the new run rejects nothing', async () => {
    const file = await extract('extract.ndjson', [record('P0001'), 'not json'])
    assert.equal((await run(file)).rejected, 1)
    assert.equal(existsSync(`${file}.rejects.ndjson`), true)
    await writeFile(file, ndjson([record('P0001')]))

    const summary = await run(file)

    assert.equal(summary.rejectsFile, undefined)
    assert.equal(existsSync(`${file}.rejects.ndjson`), false)
  })

  it('imports a gzip extract like a plain one, Windows line endings included', async () => {
    const content = Buffer.from(
      [record('P0001'), record('P0002')].map((r) => `${JSON.stringify(r)}\r\n`).join(''),
      'utf8',
    )
    const file = join(folder, 'extract.ndjson.gz')
    await writeFile(file, gzipSync(content))

    const summary = await run(file)

    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [2, 2, 0])
    assert.deepEqual(await personIds(), ['P0001', 'P0002'])
  })

  describe('refuses a file it cannot read, writing nothing', () => {
    async function assertRefused(file: string, message: RegExp) {
      await assert.rejects(run(file), (error: Error) => {
        assert.ok(error instanceof ImportFileError, `expected ImportFileError, got ${error}`)
        assert.match(error.message, message)
        assert.doesNotMatch(error.message, /\n/, 'one line')
        return true
      })
      assert.deepEqual(await personIds(), [])
      assert.deepEqual(await imports(), [])
      assert.equal(existsSync(`${file}.rejects.ndjson`), false)
    }

    it('a missing file', async () => {
      await assertRefused(
        join(folder, 'missing.ndjson'),
        /missing\.ndjson cannot be read: there is no such file/,
      )
    })

    it('a truncated gzip', async () => {
      const whole = gzipSync(ndjson([record('P0001'), record('P0002'), record('P0003')]))
      const file = join(folder, 'cut.ndjson.gz')
      await writeFile(file, whole.subarray(0, Math.floor(whole.length / 2)))
      await assertRefused(file, /cut\.ndjson\.gz is a damaged gzip file \(it ends too early/)
    })

    it('a corrupt gzip', async () => {
      const whole = gzipSync(ndjson([record('P0001'), record('P0002')]))
      whole.fill(0x55, 20, 40)
      const file = join(folder, 'corrupt.ndjson.gz')
      await writeFile(file, whole)
      await assertRefused(file, /corrupt\.ndjson\.gz is a damaged gzip file/)
    })

    it('a file named .gz that is not gzip', async () => {
      const file = await extract('plain.ndjson.gz', [record('P0001')])
      await assertRefused(file, /is named \.gz but is not a gzip file/)
    })
  })

  describe('a full extract', () => {
    it('marks persons it does not mention as no longer present, never deleting them, and a later import brings them back', async () => {
      await run(await extract('monday.ndjson', [record('P0001'), record('P0002'), record('P0003')]), {
        full: true,
      })
      time.moveTo('2026-03-03T09:00:00Z')
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

      time.moveTo('2026-03-04T09:00:00Z')
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
    `.execute(database.db)
    try {
      await assert.rejects(run(file, { batchSize: 2 }), /simulated database failure/)
    } finally {
      await sql`drop trigger refuse_p4 on persons; drop function refuse_p4();`.execute(database.db)
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

    await database.reset()
    await run(file, { batchSize: 2 })
    assert.deepEqual(resumed, await caseData())
  })

  it('records an import that was killed as FAILED when the next one starts, and clears its claims', async () => {
    const [stale] = await database.db
      .insertInto('imports')
      .values({
        file: '/old.ndjson',
        full_extract: true,
        started_at: new Date('2026-03-01T09:00:00Z'),
        status: 'RUNNING',
      })
      .returning('id')
      .execute()
    await database.db
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
    const client = new pg.Client({ connectionString: await currentDatabaseUrl(database, url) })
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
    const script = join(folder, 'killed-import.ts')
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
    const databaseUrl = await currentDatabaseUrl(database, url)
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
        database.db,
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
    await database.reset()
    await run(file, { batchSize: 2 })
    assert.deepEqual(resumed, await caseData())
  })
})
