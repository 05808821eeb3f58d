/**
 * Tasks written straight to the table for tests of the review lists: a
 * person and a task per fixture, in whatever status and decided whenever
 * the test needs, without running rules or decisions.
 */
import type { Kysely } from 'kysely'
import type { Tables, TaskStatus } from '../../src/db/tables.ts'
import { insertPersons, type PersonFixture } from './tasks.ts'

export interface ReviewTaskFixture {
  readonly personId: string
  readonly taskType?: string
  readonly region?: string
  readonly reportingDate?: string | null
  readonly priority?: number
  readonly status?: TaskStatus
  /** When the rules recommended it; 08:00 on Sunday 1 March 2026 when not given. */
  readonly createdAt?: Date
  /** When the status last changed; the creation time when not given. */
  readonly changedAt?: Date
  readonly changedBy?: string | null
  /** Fields of the person the task is for. */
  readonly person?: Omit<PersonFixture, 'person_id'>
  /** Business areas that referred the person, oldest first. */
  readonly referrals?: readonly string[]
}

const CREATED = new Date('2026-03-01T08:00:00Z')

/** Inserts a person per fixture (unless `persons: false`) and the task; returns the task IDs in order. */
export async function insertReviewTasks(
  db: Kysely<Tables>,
  fixtures: readonly ReviewTaskFixture[],
  options: { persons?: boolean } = {},
): Promise<number[]> {
  if (options.persons !== false) {
    const seen = new Set<string>()
    const persons: PersonFixture[] = []
    for (const fixture of fixtures) {
      if (seen.has(fixture.personId)) continue
      seen.add(fixture.personId)
      persons.push({
        person_id: fixture.personId,
        rom_region: fixture.region ?? 'LSE',
        ice_region: fixture.region ?? 'LSE',
        ...fixture.person,
      })
    }
    await insertPersons(db, persons)
  }
  const referrals = fixtures.flatMap((fixture) =>
    (fixture.referrals ?? []).map((businessArea, index) => ({
      person_id: fixture.personId,
      position: index + 1,
      business_area: businessArea,
      referred_on: `2026-02-${String(10 + index).padStart(2, '0')}`,
    })),
  )
  if (referrals.length > 0) await db.insertInto('referrals').values(referrals).execute()
  const ids: number[] = []
  for (let start = 0; start < fixtures.length; start += 500) {
    const rows = await db
      .insertInto('tasks')
      .values(
        fixtures.slice(start, start + 500).map((fixture) => ({
          person_id: fixture.personId,
          task_type: fixture.taskType ?? 'FAILED_TO_REPORT',
          rom_region: fixture.region ?? 'LSE',
          reporting_date: fixture.reportingDate === undefined ? '2026-03-10' : fixture.reportingDate,
          priority: fixture.priority ?? 10,
          status: fixture.status ?? 'RECOMMENDED',
          rule_code: fixture.taskType ?? 'FAILED_TO_REPORT',
          rule_set_version: 'test-v1',
          explanation: JSON.stringify({ rule: fixture.taskType ?? 'FAILED_TO_REPORT' }),
          created_at: fixture.createdAt ?? CREATED,
          status_changed_at: fixture.changedAt ?? fixture.createdAt ?? CREATED,
          status_changed_by: fixture.changedBy ?? null,
        })),
      )
      .returning('id')
      .execute()
    ids.push(...rows.map((row) => Number(row.id)))
  }
  return ids
}
