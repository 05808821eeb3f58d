/**
 * A small history of tasks with known answers, for the MI report, the
 * data-quality list and the dashboard; and readers for the files the MI
 * report produces (CSV parsed by hand, so the test does not trust the
 * library that wrote it).
 */
import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Tables } from '../../src/db/tables.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { runCompiledRules } from '../../src/tasks/rule-run.ts'
import type { TestDatabase } from './database.ts'
import { publishForTest } from './publication.ts'
import { changePerson, insertPersons, type ManualClock, manualClock, standInRuleSet } from './tasks.ts'
import { addTestUser } from './web.ts'

export const MI_USERS = [
  { id: 'cw1', name: 'Casey Worker', roles: ['CASEWORKER'], regions: ['LSE'] },
  { id: 'mgr', name: 'Morgan Manager', roles: ['MANAGER'], regions: ['LSE'] },
  { id: 'cw3', name: 'Mo East', roles: ['CASEWORKER'], regions: ['MEE'] },
  { id: 'lead', name: 'Lee Ead', roles: ['MI_ANALYST'], regions: 'all' },
] as const

/** When each event happens (UTC). London is on summer time: an hour ahead. */
export const MI_TIMES = {
  recommended: new Date('2026-07-01T08:00:00Z'),
  onHold: new Date('2026-07-02T09:30:00Z'),
  rejected: new Date('2026-07-03T10:00:00Z'),
  /** 00:30 on 4 July in London, though still 3 July in UTC: tests the day boundary. */
  accepted: new Date('2026-07-03T23:30:00Z'),
  withdrawn: new Date('2026-07-05T08:00:00Z'),
} as const

export interface MiFixture {
  readonly clock: ManualClock
  /** Task IDs by person. */
  readonly tasks: Readonly<Record<'P1' | 'P2' | 'P3' | 'P4', number>>
}

/** The fixture's users, without passwords (tests that sign in add their own with addTestUser). */
export async function insertMiUsers(db: Kysely<Tables>): Promise<void> {
  await db
    .insertInto('users')
    .values(
      MI_USERS.map((user) => ({
        id: user.id,
        name: user.name,
        roles: [...user.roles],
        regions: user.regions === 'all' ? [] : [...user.regions],
        all_regions: user.regions === 'all',
        password_hash: null,
      })),
    )
    .execute()
}

/** The fixture's users with the test password, for tests that sign in as them. */
export async function addMiTestUsers(database: TestDatabase): Promise<void> {
  for (const user of MI_USERS) {
    await addTestUser(database, {
      id: user.id,
      name: user.name,
      roles: [...user.roles],
      regions: user.regions === 'all' ? 'all' : [...user.regions],
    })
  }
}

/** July 2026, the fixture's month, as the date fields of the data-quality and dashboard forms. */
export const JULY_FORM = {
  'from-day': '1',
  'from-month': '7',
  'from-year': '2026',
  'to-day': '31',
  'to-month': '7',
  'to-year': '2026',
} as const

/**
 * Needs the users of MI_USERS to exist.
 * - P1 (LSE): recommended → on hold (cw1) → accepted (cw1)
 * - P2 (LSE): recommended → rejected (cw1) for "Source data incorrect" and "Medical"
 * - P3 (LSE): recommended → withdrawn by a rule run (the person no longer matches)
 * - P4 (MEE): recommended
 */
export async function buildMiFixture(db: Kysely<Tables>): Promise<MiFixture> {
  const clock = manualClock(MI_TIMES.recommended)
  await insertPersons(db, [
    {
      person_id: 'P1',
      given_names: 'Grace',
      family_name: 'Okafor',
      date_of_birth: '1990-05-17',
      missed_events_90_days: 1,
      next_reporting_date: '2026-07-10',
      next_reporting_date_2: '2026-07-24',
      reporting_frequency: 'TWICE_WEEKLY',
    },
    {
      person_id: 'P2',
      given_names: 'Ana',
      family_name: 'Díaz',
      gender: 'M',
      nationality: 'ALB',
      // 26 the day after the task is generated: the report shows 25.
      date_of_birth: '2000-07-02',
      missed_events_90_days: 2,
    },
    { person_id: 'P3', missed_events_90_days: 1 },
    {
      person_id: 'P4',
      missed_events_90_days: 1,
      rom_region: 'MEE',
      ice_region: 'MEE',
      reporting_location: 'SANDFORD_HOUSE',
    },
  ])
  await db
    .insertInto('referrals')
    .values([
      { person_id: 'P1', position: 1, business_area: 'CRIMINAL_CASEWORK', referred_on: '2026-01-05' },
      { person_id: 'P1', position: 2, business_area: 'RETURNS_PREPARATION', referred_on: '2026-06-01' },
    ])
    .execute()
  const { ruleSet, compiled } = standInRuleSet('mi-v1')
  await publishForTest(db, ruleSet)
  await runCompiledRules(db, { ruleSet, compiled, clock, trigger: 'manual' })
  const rows = await db.selectFrom('tasks').select(['id', 'person_id']).execute()
  const tasks = Object.fromEntries(rows.map((row) => [row.person_id, row.id])) as MiFixture['tasks']
  const cw1 = { id: 'cw1', regions: { all: false as const, codes: ['LSE'] } }

  async function decide(
    taskId: number,
    expectedVersion: number,
    decision: Parameters<typeof decideTask>[1]['decision'],
  ) {
    const result = await decideTask(db, { taskId, expectedVersion, decision, user: cw1, clock })
    if (result.kind !== 'decided') throw new Error(`fixture decision refused: ${JSON.stringify(result)}`)
  }
  clock.set(MI_TIMES.onHold)
  await decide(tasks.P1, 1, { status: 'ON_HOLD', note: 'Waiting for a letter' })
  clock.set(MI_TIMES.rejected)
  await decide(tasks.P2, 1, {
    status: 'REJECTED',
    reasons: ['SOURCE_DATA_INCORRECT', 'MEDICAL'],
    details: 'Date of birth is wrong in CID, and he is in hospital',
    checksConfirmed: true,
  })
  clock.set(MI_TIMES.accepted)
  await decide(tasks.P1, 2, { status: 'ACCEPTED', checksConfirmed: true })
  clock.set(MI_TIMES.withdrawn)
  await changePerson(db, 'P3', { missed_events_90_days: 0 }, MI_TIMES.withdrawn)
  await runCompiledRules(db, { ruleSet, compiled, clock, trigger: 'manual' })
  return { clock, tasks }
}

/** RFC 4180 CSV, as a spreadsheet would read it. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i += 1
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      record.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i += 1
    } else field += char
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records
}

/** An XLSX download, every worksheet of it. */
export async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  return workbook
}

/** An XLSX download's first worksheet. */
export async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const sheet = (await workbookOf(bytes)).worksheets[0]
  if (!sheet) throw new Error('the workbook has no sheet')
  return sheet
}

/** A row's cells from column A (ExcelJS numbers them from 1, leaving a hole at 0). */
export function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return (sheet.getRow(row).values as unknown[]).slice(1)
}

/** Every row under the header, as rowValues gives each. */
export function rowsUnderHeader(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = []
  sheet.eachRow((row, number) => {
    if (number > 1) rows.push((row.values as unknown[]).slice(1))
  })
  return rows
}

export const MI_HEADERS = [
  'Person ID',
  'HO ID',
  'Intervention Type',
  'Full Name',
  'Gender',
  'Country of Nationality',
  'Date of Birth',
  'Age',
  'Next Reporting Date',
  'Next Reporting Date + 1',
  'Next Reporting Date + 2',
  'Reporting Frequency',
  'ROM Region',
  'ICE Region',
  'Reporting Centre',
  'Referral',
  'Date Generated',
  'Rule Version',
  'Current Flag',
  'Current Status',
  'Status Updated On',
  'Status Updated By',
  'Legal or suspensive barrier outstanding',
  'Adult at risk / vulnerability',
  'Family or best interests of a child',
  'Medical',
  'Source data incorrect',
  'Circumstances changed',
  'Duplicate or already in progress',
  'No realistic prospect of documentation or removal',
  'Owned by another team',
  'Disproportionate given compliance',
  'Operational constraint',
  'Other (explanation required)',
  'Rejection Explanation',
] as const

/**
 * The MI download audit rows, once every download has ended: the end is
 * recorded as the response closes, so a test may get here a moment before it.
 */
export async function finishedMiDownloads(db: Kysely<Tables>) {
  for (;;) {
    const rows = await db.selectFrom('mi_downloads').selectAll().orderBy('id').execute()
    if (rows.every((row) => row.outcome !== null)) return rows
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
