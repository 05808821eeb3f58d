import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { GroupImpact } from '../../src/rules/impact.ts'
import { compareRuleSets } from '../../src/rules/simulate.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { FIXTURE_TODAY, insertPersons, standInRuleSet } from '../support/tasks.ts'

const SETTINGS = { marginPoints: 5, smallGroup: 3 }

describe('rule simulation (the impact report of a draft)', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  beforeEach(() => database.reset())
  after(() => database.close())

  const mee = { rom_region: 'MEE', reporting_location: 'LOUGHBOROUGH' }
  async function population() {
    // Ages on FIXTURE_TODAY: 35 (born 1990) and 26 (born 2000).
    await insertPersons(database.db, [
      { person_id: 'L1', missed_events_90_days: 1, gender: 'F' },
      { person_id: 'L2', missed_events_90_days: 2, gender: 'M' },
      { person_id: 'L3', missed_events_90_days: 3, self_harm_risk: true, gender: 'F' },
      { person_id: 'M1', missed_events_90_days: 1, gender: 'M', nationality: 'ALB', ...mee },
      { person_id: 'M2', missed_events_90_days: 2, gender: 'F', ...mee },
      { person_id: 'X0', missed_events_90_days: 0, gender: 'F', date_of_birth: '2000-01-01' },
      { person_id: 'GONE', missed_events_90_days: 5, present: false },
    ])
  }
  // The live set asks for 2+ missed events, the draft for 1+: the draft adds L1 and M1.
  const live = standInRuleSet('live', { failedToReportMinimum: 2 }).compiled
  const draft = standInRuleSet('draft', { failedToReportMinimum: 1 }).compiled
  const compare = (input: { live: typeof live | null; draft: typeof draft }) =>
    compareRuleSets(database.db, { ...input, today: FIXTURE_TODAY, settings: SETTINGS })

  it('counts added, withdrawn and unchanged per task type and region, writing nothing', async () => {
    await population()
    const report = await compare({ live, draft })
    assert.equal(report.liveVersion, 'live')
    assert.equal(report.draftVersion, 'draft')
    assert.equal(report.persons, 6)
    assert.deepEqual(report.regions, [
      {
        taskType: 'FAILED_TO_REPORT',
        romRegion: 'LSE',
        live: 2,
        draft: 3,
        added: 1,
        removed: 0,
        unchanged: 2,
      },
      {
        taskType: 'FAILED_TO_REPORT',
        romRegion: 'MEE',
        live: 1,
        draft: 2,
        added: 1,
        removed: 0,
        unchanged: 1,
      },
      { taskType: 'SAFEGUARDING', romRegion: 'LSE', live: 1, draft: 1, added: 0, removed: 0, unchanged: 1 },
    ])
    assert.deepEqual(report.taskTypes, [
      { taskType: 'FAILED_TO_REPORT', live: 3, draft: 5, added: 2, removed: 0, unchanged: 3 },
      { taskType: 'SAFEGUARDING', live: 1, draft: 1, added: 0, removed: 0, unchanged: 1 },
    ])
    assert.deepEqual(report.totals, { live: 4, draft: 6, added: 2, removed: 0, unchanged: 4 })

    // The other way round, the same persons are withdrawn.
    const reversed = await compare({ live: draft, draft: live })
    assert.deepEqual(reversed.totals, { live: 6, draft: 4, added: 0, removed: 2, unchanged: 4 })

    assert.equal((await database.db.selectFrom('tasks').select('id').execute()).length, 0)
    assert.equal((await database.db.selectFrom('rule_runs').select('id').execute()).length, 0)
  })

  it("gives each equality group's rate live and draft with its n, flagging a change beyond the margin", async () => {
    await population()
    const report = await compare({ live, draft })
    const table = (dimension: string, taskType: string | null) => {
      const found = report.equality.find((t) => t.dimension === dimension && t.taskType === taskType)
      assert.ok(found, `${dimension} ${taskType}`)
      return Object.fromEntries(found.groups.map((g) => [g.group, g]))
    }
    const brief = (g: GroupImpact | undefined) =>
      g && [
        g.people,
        g.live,
        g.draft,
        Math.round((g.changePoints ?? Number.NaN) * 10) / 10,
        g.flagged,
        g.small,
      ]

    // Any task type: women 2 of 4 → 3 of 4 (+25 points); men 1 of 2 → 2 of 2 (+50, a small group).
    const gender = table('gender', null)
    assert.deepEqual(brief(gender.F), [4, 2, 3, 25, true, false])
    assert.deepEqual(brief(gender.M), [2, 1, 2, 50, true, true])
    const nationality = table('nationality', null)
    assert.deepEqual(brief(nationality.Nigeria), [5, 3, 4, 20, true, false])
    assert.deepEqual(brief(nationality.Albania), [1, 0, 1, 100, true, true])
    const ages = table('ageBand', null)
    assert.deepEqual(brief(ages['35 to 44']), [5, 3, 5, 40, true, false])
    // Nobody aged 25 to 34 is recommended by either: shown, 0 of 1, unflagged.
    assert.deepEqual(brief(ages['25 to 34']), [1, 0, 0, 0, false, true])

    // Safeguarding is unchanged: its one group is not flagged; a task type lists only groups someone is recommended in.
    const safeguarding = table('gender', 'SAFEGUARDING')
    assert.deepEqual(Object.keys(safeguarding), ['F'])
    assert.deepEqual(brief(safeguarding.F), [4, 1, 1, 0, false, false])

    const everyone = report.everyone.find((row) => row.taskType === null)
    assert.deepEqual(brief(everyone), [6, 3, 5, Math.round((200 / 6) * 10) / 10, true, false])
    assert.equal(
      report.flagged,
      report.equality.reduce((n, t) => n + t.groups.filter((g) => g.flagged).length, 0),
    )
    assert.ok(report.flagged >= 6)
  })

  it('flags nothing when the draft is the live rule set, and compares with nothing before any run', async () => {
    await population()
    const same = await compare({ live, draft: live })
    assert.equal(same.flagged, 0)
    assert.deepEqual(same.totals, { live: 4, draft: 4, added: 0, removed: 0, unchanged: 4 })

    const first = await compare({ live: null, draft })
    assert.equal(first.liveVersion, null)
    assert.deepEqual(first.totals, { live: 0, draft: 6, added: 6, removed: 0, unchanged: 0 })
  })

  it('cannot write, even if a compiled query tried to', async () => {
    await insertPersons(database.db, [{ person_id: 'P1', missed_events_90_days: 1 }])
    const { compiled } = standInRuleSet('live')
    const sneaky = {
      version: 'sneaky',
      matches: sql<never>`select * from (${compiled.matches}) m, lateral (select nextval('tasks_id_seq')) s`,
    }
    await assert.rejects(compare({ live: compiled, draft: sneaky }), /read-only/)
  })
})
