import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { IsoDate } from '../../src/dates.ts'
import { type DashboardCriteria, miDashboard } from '../../src/mi/dashboard.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { insertPersons } from '../support/tasks.ts'

const CREATED = '2026-07-01T08:00:00Z'
const LSE_JULY: DashboardCriteria = {
  from: '2026-07-01' as IsoDate,
  to: '2026-07-31' as IsoDate,
  scope: { all: false, codes: ['LSE'] },
  taskType: undefined,
}
/** Shows every group's figures, however small, so that the fixture's handful of people is compared. */
const EVERY_GROUP = { minimumGroupSize: 1 }
/** The weeks of July 2026 after the first, in which the fixture has no events. */
const QUIET_JULY_WEEKS = ['2026-07-06', '2026-07-13', '2026-07-20', '2026-07-27'].map((weekStart) => ({
  weekStart,
  recommended: 0,
  decided: 0,
}))

interface EventFixture {
  readonly status: 'ACCEPTED' | 'REJECTED' | 'ON_HOLD'
  readonly at: string
  readonly user: string
  readonly reasons?: readonly string[]
  /** When the same user opened the case before this decision. */
  readonly openedAt?: string
}

describe('MI dashboard figures', () => {
  let database: TestDatabase

  async function addTask(
    personId: string,
    events: readonly EventFixture[],
    options: { taskType?: string; version?: string } = {},
  ): Promise<void> {
    const taskType = options.taskType ?? 'FAILED_TO_REPORT'
    const last = events.at(-1)
    const task = await database.db
      .insertInto('tasks')
      .values({
        person_id: personId,
        task_type: taskType,
        rom_region: 'LSE',
        priority: 1,
        status: last?.status ?? 'RECOMMENDED',
        version: events.length + 1,
        rule_code: taskType,
        rule_set_version: options.version ?? 'v1',
        explanation: '{}',
        created_at: CREATED,
        status_changed_at: last?.at ?? CREATED,
        status_changed_by: last?.user ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await database.db
      .insertInto('task_events')
      .values([
        {
          task_id: task.id,
          task_version: 1,
          status: 'RECOMMENDED',
          occurred_at: CREATED,
          run_id: 1,
          rule_set_version: options.version ?? 'v1',
        },
        ...events.map((event, index) => ({
          task_id: task.id,
          task_version: index + 2,
          status: event.status,
          occurred_at: event.at,
          user_id: event.user,
          reasons: event.reasons ? [...event.reasons] : null,
          details: event.reasons ? 'Because' : null,
          checks_confirmed: event.status === 'ON_HOLD' ? null : true,
        })),
      ])
      .execute()
    for (const event of events) {
      if (event.openedAt) {
        await database.db
          .insertInto('case_openings')
          .values({ task_id: task.id, user_id: event.user, opened_at: event.openedAt })
          .execute()
      }
    }
  }

  before(async () => {
    database = await openTestDatabase()
    await database.db
      .insertInto('users')
      .values([
        { id: 'u1', name: 'Quick Stamp', roles: ['CASEWORKER'], regions: ['LSE'], password_hash: null },
        { id: 'u2', name: 'Careful Reader', roles: ['CASEWORKER'], regions: ['LSE'], password_hash: null },
      ])
      .execute()
    const nigerian = { nationality: 'NGA', gender: 'F', date_of_birth: '1990-05-17' }
    const albanian = { nationality: 'ALB', gender: 'M', date_of_birth: '2000-01-01' }
    await insertPersons(database.db, [
      ...['A1', 'A2', 'A3', 'A4'].map((id) => ({ person_id: id, ...nigerian })),
      ...['B1', 'B2', 'B3', 'B4'].map((id) => ({ person_id: id, ...albanian })),
      // People with no tasks: the population the recommendation rate is measured against.
      { person_id: 'C1', nationality: 'GBR', gender: 'F', date_of_birth: '1990-05-17' },
      { person_id: 'C2', nationality: 'GBR', gender: 'F', date_of_birth: '1990-05-17' },
      { person_id: 'M1', rom_region: 'MEE', ice_region: 'MEE', reporting_location: 'SANDFORD_HOUSE' },
    ])
    // u1 accepts everything within a minute of opening the case: 30, 20 and 40 seconds.
    await addTask('A1', [
      { status: 'ACCEPTED', at: '2026-07-01T09:00:30Z', user: 'u1', openedAt: '2026-07-01T09:00:00Z' },
    ])
    await addTask('A2', [
      { status: 'ACCEPTED', at: '2026-07-01T10:00:20Z', user: 'u1', openedAt: '2026-07-01T10:00:00Z' },
    ])
    await addTask('A3', [
      { status: 'ACCEPTED', at: '2026-07-01T11:00:40Z', user: 'u1', openedAt: '2026-07-01T11:00:00Z' },
    ])
    await addTask('A4', [])
    await addTask('B1', [
      {
        status: 'REJECTED',
        at: '2026-07-02T08:00:00Z',
        user: 'u2',
        reasons: ['MEDICAL', 'SOURCE_DATA_INCORRECT'],
      },
    ])
    await addTask('B2', [
      { status: 'REJECTED', at: '2026-07-02T08:00:00Z', user: 'u2', reasons: ['MEDICAL'] },
    ])
    await addTask('B3', [
      { status: 'ACCEPTED', at: '2026-07-03T08:10:00Z', user: 'u2', openedAt: '2026-07-03T08:00:00Z' },
    ])
    await addTask('B4', [{ status: 'ON_HOLD', at: '2026-07-03T09:00:00Z', user: 'u2' }], {
      taskType: 'SAFEGUARDING',
      version: 'v2',
    })
  })
  after(() => database.close())

  it('counts recommendations and decisions per week (weeks start on Monday)', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    // Every week the range touches, the quiet ones with zeros.
    assert.deepEqual(dashboard.weeks, [
      { weekStart: '2026-06-29', recommended: 8, decided: 6 },
      ...QUIET_JULY_WEEKS,
    ])
  })

  it('counts tasks by type and where they stand now', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    assert.deepEqual(dashboard.statusByType, [
      {
        taskType: 'Failed-to-report follow-up',
        recommended: 1,
        accepted: 4,
        rejected: 2,
        onHold: 0,
        withdrawn: 0,
      },
      {
        taskType: 'Safeguarding referral',
        recommended: 0,
        accepted: 0,
        rejected: 0,
        onHold: 1,
        withdrawn: 0,
      },
    ])
  })

  it('counts each rejection reason ticked, by task type, in reference-data order', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    assert.deepEqual(dashboard.reasonsByType, [
      { taskType: 'Failed-to-report follow-up', reason: 'Medical', count: 2 },
      { taskType: 'Failed-to-report follow-up', reason: 'Source data incorrect', count: 1 },
    ])
  })

  it('finds the median time from recommendation to decision', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    // 3630, 7220, 10840, 86400, 86400, 173400 seconds: the median is between the third and fourth.
    assert.deepEqual(dashboard.decisionTimes, [
      { taskType: 'Failed-to-report follow-up', decisions: 6, medianSeconds: (10840 + 86400) / 2 },
    ])
    assert.equal(dashboard.overallMedianSeconds, (10840 + 86400) / 2)
  })

  it('gives the acceptance rate of each rule version', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    assert.deepEqual(dashboard.rules, [
      { ruleVersion: 'v1', ruleCode: 'FAILED_TO_REPORT', accepted: 4, rejected: 2, rate: 4 / 6 },
    ])
  })

  it('flags a user who accepts over 95% with a median under a minute from opening the case', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    assert.deepEqual(dashboard.users, [
      {
        userId: 'u1',
        name: 'Quick Stamp',
        accepted: 3,
        rejected: 0,
        rate: 1,
        medianSecondsToAccept: 30,
        flagged: true,
      },
      {
        userId: 'u2',
        name: 'Careful Reader',
        accepted: 1,
        rejected: 2,
        rate: 1 / 3,
        medianSecondsToAccept: 600,
        flagged: false,
      },
    ])
  })

  it('does not flag a fast user who does not accept nearly everything', async () => {
    const dashboard = await miDashboard(
      database.db,
      { ...LSE_JULY, to: '2026-07-02' as IsoDate },
      EVERY_GROUP,
    )
    const careful = dashboard.users.find((user) => user.userId === 'u2')
    assert.equal(careful?.rate, 0)
    assert.equal(careful?.flagged, false)
  })

  it('compares recommendation rates by nationality, gender and age band with the four-fifths rule', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    const [nationality, gender, age] = dashboard.recommendationRates
    assert.equal(nationality?.overallRate, 0.8)
    assert.deepEqual(nationality?.groups, [
      { group: 'Albania', suppressed: false, base: 4, count: 4, rate: 1, flag: undefined },
      { group: 'Nigeria', suppressed: false, base: 4, count: 4, rate: 1, flag: undefined },
      { group: 'United Kingdom', suppressed: false, base: 2, count: 0, rate: 0, flag: 'low' },
    ])
    assert.deepEqual(gender?.groups, [
      { group: 'F', suppressed: false, base: 6, count: 4, rate: 4 / 6, flag: undefined },
      { group: 'M', suppressed: false, base: 4, count: 4, rate: 1, flag: undefined },
    ])
    assert.deepEqual(
      age?.groups.map((group) => [
        group.group,
        group.suppressed ? 0 : group.base,
        group.suppressed ? 0 : group.count,
      ]),
      [
        ['25 to 34', 4, 4],
        ['35 to 44', 6, 4],
      ],
    )
  })

  it('names a group smaller than the minimum size without its figures or a flag, counting it in the overall rate', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, { minimumGroupSize: 4 })
    const [nationality, gender] = dashboard.recommendationRates
    assert.equal(nationality?.overallRate, 0.8, 'the two people of the small group still count overall')
    assert.equal(nationality?.minimumGroupSize, 4)
    assert.deepEqual(nationality?.groups, [
      { group: 'Albania', suppressed: false, base: 4, count: 4, rate: 1, flag: undefined },
      { group: 'Nigeria', suppressed: false, base: 4, count: 4, rate: 1, flag: undefined },
      { group: 'United Kingdom', suppressed: true },
    ])
    assert.deepEqual(
      gender?.groups.map((group) => group.suppressed),
      [false, false],
      'a group of exactly the minimum size is shown',
    )
    const acceptance = (await miDashboard(database.db, LSE_JULY, { minimumGroupSize: 10 })).acceptanceRates
    assert.ok(
      acceptance.every((table) => table.groups.every((group) => group.suppressed)),
      'at the default of 10 every group of six decisions is suppressed',
    )
    // So is the overall rate of six decisions, which would otherwise tell each small group's.
    assert.deepEqual(
      acceptance.map((table) => [table.overallRate, table.overallSuppressed]),
      [
        [null, true],
        [null, true],
        [null, true],
      ],
    )
  })

  it('compares acceptance rates by group, flagging below four-fifths and above five-fourths', async () => {
    const dashboard = await miDashboard(database.db, LSE_JULY, EVERY_GROUP)
    const nationality = dashboard.acceptanceRates[0]
    assert.equal(nationality?.overallRate, 4 / 6)
    assert.deepEqual(nationality?.groups, [
      { group: 'Albania', suppressed: false, base: 3, count: 1, rate: 1 / 3, flag: 'low' },
      { group: 'Nigeria', suppressed: false, base: 3, count: 3, rate: 1, flag: 'high' },
    ])
  })

  it('narrows every figure to one task type', async () => {
    const dashboard = await miDashboard(database.db, { ...LSE_JULY, taskType: 'SAFEGUARDING' }, EVERY_GROUP)
    assert.deepEqual(dashboard.weeks, [
      { weekStart: '2026-06-29', recommended: 1, decided: 0 },
      ...QUIET_JULY_WEEKS,
    ])
    assert.equal(dashboard.statusByType.length, 1)
    assert.deepEqual(dashboard.users, [])
    assert.deepEqual(dashboard.rules, [])
    assert.equal(dashboard.overallMedianSeconds, null)
  })

  it('keeps to the regions in scope', async () => {
    const dashboard = await miDashboard(
      database.db,
      { ...LSE_JULY, scope: { all: false, codes: ['MEE'] } },
      EVERY_GROUP,
    )
    assert.deepEqual(dashboard.weeks, [
      { weekStart: '2026-06-29', recommended: 0, decided: 0 },
      ...QUIET_JULY_WEEKS,
    ])
    assert.deepEqual(dashboard.users, [])
    assert.deepEqual(
      dashboard.recommendationRates[0]?.groups.map((group) => (group.suppressed ? 0 : group.base)),
      [1],
    )
    const none = await miDashboard(
      database.db,
      { ...LSE_JULY, scope: { all: false, codes: [] } },
      EVERY_GROUP,
    )
    assert.deepEqual(none.statusByType, [])
    const all = await miDashboard(database.db, { ...LSE_JULY, scope: { all: true } }, EVERY_GROUP)
    assert.equal(
      all.recommendationRates[0]?.groups.reduce((sum, group) => sum + (group.suppressed ? 0 : group.base), 0),
      11,
    )
  })

  it('counts the days of the range in London time', async () => {
    const dashboard = await miDashboard(
      database.db,
      { ...LSE_JULY, from: '2026-07-02' as IsoDate },
      EVERY_GROUP,
    )
    assert.deepEqual(dashboard.weeks, [
      { weekStart: '2026-06-29', recommended: 0, decided: 3 },
      ...QUIET_JULY_WEEKS,
    ])
    assert.equal(await countEvents(), 15)
  })

  async function countEvents(): Promise<number> {
    const result = await sql<{ n: number }>`select count(*)::int as n from task_events`.execute(database.db)
    return result.rows[0]?.n ?? 0
  }
})
