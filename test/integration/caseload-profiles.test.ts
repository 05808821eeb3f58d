/**
 * The caseload profiles, through the real rules: 5,000 generated persons of
 * each profile imported and the live rule set run over them. Realistic gives
 * each task type the share docs/decisions/0025-realistic-caseload.md states,
 * and 10–20% of persons at least one task; stress stays the worst case the
 * benches have always measured, nearly one task per person.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { pino } from 'pino'
import { type CaseloadProfileName, writeExtract } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import { runLiveRules } from '../../src/commands/rules-run.ts'
import { loadConfig } from '../../src/config.ts'
import type { IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'
import type { Logger } from '../../src/logger.ts'
import { openTestDatabase, REFERENCE_DIR, RULES_DIR, type TestDatabase } from '../support/database.ts'
import { assertBetween } from '../support/generated-sample.ts'
import { publishRulesIn } from '../support/publication.ts'
import { FIXTURE_TODAY, manualClock } from '../support/tasks.ts'

const PERSONS = 5_000
const SEED = 19

/** Each task type's share of persons under the realistic profile, as decision 0025 states it: [low, high]. */
const REALISTIC_BANDS: Readonly<Record<string, readonly [number, number]>> = {
  BARRIER_PROGRESSION: [0.01, 0.035],
  DETENTION_REVIEW: [0.003, 0.015],
  DOCUMENTATION_INTERVIEW: [0.015, 0.04],
  EM_REVIEW: [0.01, 0.03],
  FAILED_TO_REPORT: [0.01, 0.03],
  REMOTE_REPORTING: [0.015, 0.035],
  REPORTING_REVIEW: [0.02, 0.05],
  SAFEGUARDING: [0.005, 0.02],
  VOLUNTARY_RETURN: [0.015, 0.035],
}

interface Caseload {
  /** Tasks of each type, as a share of persons. */
  readonly byType: ReadonlyMap<string, number>
  /** Persons with at least one task, as a share of persons. */
  readonly withTask: number
  /** Tasks, as a share of persons. */
  readonly tasks: number
}

let database: TestDatabase
let reference: ReferenceData
let scratch: string

async function recommend(profile: CaseloadProfileName): Promise<Caseload> {
  await database.reset()
  const file = join(scratch, `${profile}.ndjson`)
  await writeExtract(file, {
    persons: PERSONS,
    seed: SEED,
    today: FIXTURE_TODAY as IsoDate,
    reference,
    profile,
  })
  const imported = await importExtract(database, { file, full: false, clock: manualClock(), reference })
  assert.equal(imported.inserted, PERSONS)
  await publishRulesIn(database.db, RULES_DIR)
  const runtime = {
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    clock: manualClock(),
    database,
    reference,
    logger: pino({ level: 'silent' }) as unknown as Logger,
  }
  await runLiveRules(runtime, 'manual', { full: true })
  const rows = await database.db
    .selectFrom('tasks')
    .select(['task_type', sql<number>`count(*)::int`.as('tasks')])
    .groupBy('task_type')
    .execute()
  const persons = await database.db
    .selectFrom('tasks')
    .select(sql<number>`count(distinct person_id)::int`.as('count'))
    .executeTakeFirstOrThrow()
  return {
    byType: new Map(rows.map((row) => [row.task_type, row.tasks / PERSONS])),
    withTask: persons.count / PERSONS,
    tasks: rows.reduce((sum, row) => sum + row.tasks, 0) / PERSONS,
  }
}

before(async () => {
  database = await openTestDatabase()
  reference = await readReferenceData(REFERENCE_DIR)
  scratch = await mkdtemp(join(tmpdir(), 'ipic-caseload-profiles-'))
})
after(async () => {
  await database.close()
  await rm(scratch, { recursive: true, force: true })
})

describe('caseload profiles through the rules', () => {
  it('realistic: each task type in its stated band, and 10–20% of persons with a task', async () => {
    const caseload = await recommend('realistic')
    assert.deepEqual([...caseload.byType.keys()].sort(), Object.keys(REALISTIC_BANDS).sort())
    for (const [taskType, [low, high]] of Object.entries(REALISTIC_BANDS)) {
      assertBetween(caseload.byType.get(taskType) ?? 0, low, high, taskType)
    }
    assertBetween(caseload.withTask, 0.1, 0.2, 'persons with at least one task')
  })

  it('stress: nearly one task per person, as the benches have always measured', async () => {
    const caseload = await recommend('stress')
    assertBetween(caseload.tasks, 0.9, 1.05, 'tasks per person')
    assertBetween(caseload.withTask, 0.55, 0.72, 'persons with at least one task')
    // Every task type has a sizeable share of its own, not only the total.
    for (const [taskType, share] of caseload.byType) assertBetween(share, 0.05, 0.2, taskType)
    assert.equal(caseload.byType.size, 9)
  })
})
