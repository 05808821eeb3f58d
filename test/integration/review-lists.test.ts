import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { IsoDate } from '../../src/dates.ts'
import type { ListWhere } from '../../src/review/list-query.ts'
import { countTabs, listTasks } from '../../src/review/lists.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'

const RETENTION = { acceptedDays: 5, rejectedDays: 20 }

function where(today: string, overrides: Partial<ListWhere> = {}): ListWhere {
  return {
    region: 'LSE',
    scope: { all: false, codes: ['LSE'] },
    today: today as IsoDate,
    retention: RETENTION,
    search: null,
    ...overrides,
  }
}

describe('review lists: retention, scope and order', () => {
  let database: TestDatabase
  before(async () => {
    database = await openTestDatabase()
  })
  after(() => database.close())
  /** The caseworker the decided tasks name; no password, as nobody signs in here. */
  const addCaseworker = () =>
    database.db
      .insertInto('users')
      .values({
        id: 'cw1',
        name: 'Casey Worker',
        roles: ['CASEWORKER'],
        regions: ['LSE'],
        password_hash: null,
      })
      .execute()
  beforeEach(async () => {
    await database.reset()
    await addCaseworker()
  })

  describe('retention on the tabs (5 days accepted, 20 rejected, counted in London days)', () => {
    beforeEach(async () => {
      await insertReviewTasks(database.db, [
        // Winter: London is on GMT.
        {
          personId: 'A-DAY5',
          status: 'ACCEPTED',
          changedAt: new Date('2026-02-25T00:00:00Z'),
          changedBy: 'cw1',
        },
        {
          personId: 'A-DAY6',
          status: 'ACCEPTED',
          changedAt: new Date('2026-02-24T23:59:59Z'),
          changedBy: 'cw1',
        },
        {
          personId: 'R-DAY20',
          status: 'REJECTED',
          changedAt: new Date('2026-02-10T08:00:00Z'),
          changedBy: 'cw1',
        },
        {
          personId: 'R-DAY21',
          status: 'REJECTED',
          changedAt: new Date('2026-02-09T23:00:00Z'),
          changedBy: 'cw1',
        },
        {
          personId: 'H-OLD',
          status: 'ON_HOLD',
          changedAt: new Date('2025-01-01T08:00:00Z'),
          changedBy: 'cw1',
        },
        { personId: 'W-GONE', status: 'WITHDRAWN' },
      ])
    })

    it('keeps an accepted task on day 5 and drops it on day 6; rejected on day 20 and 21; on hold always', async () => {
      const today = where('2026-03-02')
      assert.deepEqual(await countTabs(database.db, today), {
        recommended: 0,
        accepted: 1,
        rejected: 1,
        onHold: 1,
      })
      const accepted = await listTasks(database.db, 'accepted', today, 1)
      assert.deepEqual(
        accepted.rows.map((row) => row.personId),
        ['A-DAY5'],
      )
      assert.equal(accepted.rows[0]?.decidedBy, 'Casey Worker')
      assert.deepEqual(accepted.rows[0]?.decidedAt, new Date('2026-02-25T00:00:00Z'))
      const rejected = await listTasks(database.db, 'rejected', today, 1)
      assert.deepEqual(
        rejected.rows.map((row) => row.personId),
        ['R-DAY20'],
      )
      const onHold = await listTasks(database.db, 'on-hold', today, 1)
      assert.deepEqual(
        onHold.rows.map((row) => row.personId),
        ['H-OLD'],
      )
    })

    it('names who decided and when only on the decided tabs', async () => {
      // A recommended task whose row still carries a change by a caseworker (as after a change of mind).
      await insertReviewTasks(database.db, [
        {
          personId: 'REC',
          status: 'RECOMMENDED',
          changedAt: new Date('2026-03-01T09:00:00Z'),
          changedBy: 'cw1',
        },
      ])
      const recommended = await listTasks(database.db, 'recommended', where('2026-03-02'), 1)
      assert.deepEqual(
        recommended.rows.map((row) => [row.personId, row.decidedBy, row.decidedAt]),
        [['REC', null, null]],
      )
      const onHold = await listTasks(database.db, 'on-hold', where('2026-03-02'), 1)
      assert.deepEqual(
        onHold.rows.map((row) => [row.personId, row.decidedBy, row.decidedAt]),
        [['H-OLD', 'Casey Worker', new Date('2025-01-01T08:00:00Z')]],
      )
    })

    it('drops each task the day after its last day, following the clock', async () => {
      const nextDay = where('2026-03-03')
      assert.deepEqual(await countTabs(database.db, nextDay), {
        recommended: 0,
        accepted: 0,
        rejected: 0,
        onHold: 1,
      })
      const dayBefore = where('2026-03-01')
      assert.deepEqual(await countTabs(database.db, dayBefore), {
        recommended: 0,
        accepted: 2,
        rejected: 2,
        onHold: 1,
      })
    })

    it('follows the configured periods', async () => {
      const longer = where('2026-03-02', { retention: { acceptedDays: 6, rejectedDays: 0 } })
      assert.deepEqual(await countTabs(database.db, longer), {
        recommended: 0,
        accepted: 2,
        rejected: 0,
        onHold: 1,
      })
    })

    it('counts a decision late in the evening in summer on the London day it was made', async () => {
      await database.reset()
      await addCaseworker()
      await insertReviewTasks(database.db, [
        // 23:30 UTC on 24 June is 00:30 on 25 June in London (BST).
        {
          personId: 'SUMMER',
          status: 'ACCEPTED',
          changedAt: new Date('2026-06-24T23:30:00Z'),
          changedBy: 'cw1',
        },
      ])
      assert.equal((await countTabs(database.db, where('2026-06-30'))).accepted, 1)
      assert.equal((await countTabs(database.db, where('2026-07-01'))).accepted, 0)
    })
  })

  describe('scope', () => {
    beforeEach(async () => {
      await insertReviewTasks(database.db, [
        { personId: 'L1', region: 'LSE' },
        { personId: 'M1', region: 'MEE', person: { reporting_location: 'SANDFORD_HOUSE' } },
      ])
    })

    it("shows nothing of a region outside the user's scope, even when asked for it", async () => {
      const outside = where('2026-03-02', { region: 'MEE' })
      assert.deepEqual(await countTabs(database.db, outside), {
        recommended: 0,
        accepted: 0,
        rejected: 0,
        onHold: 0,
      })
      assert.deepEqual((await listTasks(database.db, 'recommended', outside, 1)).rows, [])
      const national = where('2026-03-02', { region: 'MEE', scope: { all: true } })
      assert.deepEqual(
        (await listTasks(database.db, 'recommended', national, 1)).rows.map((row) => row.personId),
        ['M1'],
      )
    })
  })

  describe('order and pages', () => {
    it('orders by priority, then reporting date (unknown last), then task, and pages by 100', async () => {
      await insertReviewTasks(database.db, [
        { personId: 'NO-DATE', priority: 20, reportingDate: null },
        { personId: 'LATE', priority: 20, reportingDate: '2026-03-20' },
        { personId: 'EARLY', priority: 20, reportingDate: '2026-03-03' },
        { personId: 'TOP', priority: 20.5, reportingDate: '2026-03-25' },
        ...Array.from({ length: 100 }, (_, index) => ({ personId: `LOW${index}`, priority: 1 })),
      ])
      const first = await listTasks(database.db, 'recommended', where('2026-03-02'), 1)
      assert.equal(first.total, 104)
      assert.equal(first.rows.length, 100)
      assert.deepEqual(
        first.rows.slice(0, 4).map((row) => row.personId),
        ['TOP', 'EARLY', 'LATE', 'NO-DATE'],
      )
      const second = await listTasks(database.db, 'recommended', where('2026-03-02'), 2)
      assert.equal(second.rows.length, 4)
      const all = [...first.rows, ...second.rows].map((row) => row.taskId)
      assert.equal(new Set(all).size, 104, 'no task on two pages')
      const beyond = await listTasks(database.db, 'recommended', where('2026-03-02'), 3)
      assert.deepEqual(beyond.rows, [])
      assert.equal(beyond.total, 104)
    })

    it('finds, in a date-range search, tasks in the range and tasks tied to no reporting date', async () => {
      await insertReviewTasks(database.db, [
        { personId: 'IN-RANGE', taskType: 'FAILED_TO_REPORT', reportingDate: '2026-03-10' },
        { personId: 'NO-DATE', taskType: 'FAILED_TO_REPORT', reportingDate: null },
        { personId: 'AFTER', taskType: 'FAILED_TO_REPORT', reportingDate: '2026-04-10' },
        { personId: 'OTHER-TYPE', taskType: 'SAFEGUARDING', reportingDate: null },
      ])
      const search = {
        taskTypes: ['FAILED_TO_REPORT'],
        from: '2026-03-02' as IsoDate,
        to: '2026-03-29' as IsoDate,
        countries: [],
        location: null,
      }
      const page = await listTasks(database.db, 'recommended', where('2026-03-02', { search }), 1)
      assert.deepEqual(page.rows.map((row) => row.personId).sort(), ['IN-RANGE', 'NO-DATE'])
      assert.equal((await countTabs(database.db, where('2026-03-02', { search }))).recommended, 2)
    })

    it("shows the most recent referral's short name, and nothing for a direct recommendation", async () => {
      await insertReviewTasks(database.db, [
        { personId: 'REF', referrals: ['RETURNS_PREPARATION', 'CRIMINAL_CASEWORK'], priority: 2 },
        { personId: 'DIRECT', priority: 1 },
      ])
      const page = await listTasks(database.db, 'recommended', where('2026-03-02'), 1)
      assert.deepEqual(
        page.rows.map((row) => [row.personId, row.referral]),
        [
          ['REF', 'CC'],
          ['DIRECT', null],
        ],
      )
    })
  })
})
