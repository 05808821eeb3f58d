/**
 * What the tests of importExtract share: records and extract files written
 * in the test, a clock each test moves so that imports can be told apart,
 * and a harness that gives each test a fresh database and scratch folder,
 * with queries for what an import wrote.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach } from 'node:test'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import type { CaseRecordInput } from '../../src/cases/extract.ts'
import { type ImportOptions, type ImportSummary, importExtract } from '../../src/cases/import.ts'
import { LIST_TABLES, PERSON_COLUMNS } from '../../src/cases/person-rows.ts'
import type { Clock } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'
import { changedRecord, type EditableRecord, RECORD_TODAY, validCaseRecord } from './case-record.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from './database.ts'

export type Line = CaseRecordInput | string | Uint8Array

/** A clock whose instant the test moves, so that each import's timestamps can be told apart. */
export function movableClock(start: string) {
  let instant = new Date(start)
  const clock: Clock = { now: () => new Date(instant), today: () => RECORD_TODAY as IsoDate }
  return { clock, moveTo: (iso: string) => (instant = new Date(iso)) }
}

/** A valid record, or one with `change` applied to a copy. */
export function record(personId: string, change?: (r: EditableRecord) => void): CaseRecordInput {
  return change ? changedRecord(personId, change) : validCaseRecord(personId)
}

/** The address of the test's own database on the server named by DATABASE_URL. */
export async function currentDatabaseUrl(database: TestDatabase, serverUrl: string): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(database.db)
  const url = new URL(serverUrl)
  url.pathname = `/${rows[0]?.name}`
  return url.toString()
}

export function ndjson(lines: readonly Line[]): Uint8Array {
  const parts = lines.map((line) =>
    line instanceof Uint8Array
      ? line
      : new TextEncoder().encode(typeof line === 'string' ? line : JSON.stringify(line)),
  )
  return Buffer.concat(parts.flatMap((part) => [part, Buffer.from('\n')]))
}

/** One person of three or four is a third or a quarter: beyond the default share a full import may mark absent. */
export const SMALL_CASELOAD = { maxPercent: 50, allowMore: false }

/**
 * Call inside a describe: opens the test database before its tests and
 * closes it after, and gives each test an empty database, its own scratch
 * folder and a clock at 09:00 on the records' today.
 */
export function importTestHarness() {
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

  return {
    get database() {
      return database
    },
    get reference() {
      return reference
    },
    get folder() {
      return folder
    },
    get time() {
      return time
    },
    extract,
    run,
    personIds,
    person,
    rowCount,
    imports,
    rejectsOf,
    caseData,
    rowVersions,
  }
}
