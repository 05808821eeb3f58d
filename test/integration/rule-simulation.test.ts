import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import { compareRuleSets } from '../../src/rules/simulate.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { insertPersons, standInRuleSet } from '../support/tasks.ts'

describe('rule simulation (comparing match sets)', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(() => database.reset())
  after(() => database.close())

  it('counts live and draft matches, added and removed, per task type and region, writing nothing', async () => {
    const mee = { rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' }
    await insertPersons(database.db, [
      { person_id: 'L1', missed_events_90_days: 1 },
      { person_id: 'L2', missed_events_90_days: 2 },
      { person_id: 'L3', missed_events_90_days: 3, self_harm_risk: true },
      { person_id: 'M1', missed_events_90_days: 1, ...mee },
      { person_id: 'M2', missed_events_90_days: 2, ...mee },
      { person_id: 'GONE', missed_events_90_days: 5, present: false },
    ])
    // The live set asks for 2+ missed events, the draft for 1+: the draft adds L1 and M1.
    const live = standInRuleSet('live', { failedToReportMinimum: 2 }).compiled
    const draft = standInRuleSet('draft', { failedToReportMinimum: 1 }).compiled
    const simulation = await compareRuleSets(database.db, { live, draft })
    assert.equal(simulation.liveVersion, 'live')
    assert.equal(simulation.draftVersion, 'draft')
    assert.deepEqual(simulation.rows, [
      { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', live: 2, draft: 3, added: 1, removed: 0 },
      { taskType: 'FAILED_TO_REPORT', romRegion: 'MEE', live: 1, draft: 2, added: 1, removed: 0 },
      { taskType: 'SAFEGUARDING', romRegion: 'LSE', live: 1, draft: 1, added: 0, removed: 0 },
    ])
    assert.deepEqual(simulation.totals, { live: 4, draft: 6, added: 2, removed: 0 })

    // The other way round, the same persons are removed.
    const reversed = await compareRuleSets(database.db, { live: draft, draft: live })
    assert.deepEqual(reversed.totals, { live: 6, draft: 4, added: 0, removed: 2 })

    const written = await database.db.selectFrom('tasks').select('id').execute()
    assert.equal(written.length, 0)
    assert.equal((await database.db.selectFrom('rule_runs').select('id').execute()).length, 0)
  })

  it('cannot write, even if a compiled query tried to', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    const { compiled } = standInRuleSet('live')
    const sneaky = {
      version: 'sneaky',
      matches: sql<never>`select * from (${compiled.matches}) m, lateral (select nextval('tasks_id_seq')) s`,
    }
    await assert.rejects(compareRuleSets(database.db, { live: compiled, draft: sneaky }), /read-only/)
  })
})
