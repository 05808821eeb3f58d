/**
 * The evidence of review in the MI: the workbook's "Review evidence"
 * worksheet (one row per decision, the first worksheet as it was), and the
 * dashboard's rubber-stamp monitoring with the counts behind each figure,
 * scoped to the user's regions and the date range.
 *
 * Beyond the MI fixture's three decisions by cw1 (no case pages opened):
 * on 6 July cw3 opens four sections of P4 (MEE) and accepts five minutes
 * after the first; cw1 opens P2's barriers and changes it to accepted ten
 * seconds later.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type ExcelJS from 'exceljs'
import { recordAuditEvent } from '../../src/audit/events.ts'
import { frozenClock } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import { rubberStampMonitoring } from '../../src/mi/rubber-stamp.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import {
  addMiTestUsers,
  buildMiFixture,
  JULY_FORM,
  MI_HEADERS,
  rowsUnderHeader,
  rowValues,
  workbookOf,
} from '../support/mi.ts'
import { signedInClient, startTestApp, type TestApp, textOf } from '../support/web.ts'

const JULY = { from: '2026-07-01', to: '2026-07-31' }

describe('evidence of review in the MI', () => {
  let database: TestDatabase
  let web: TestApp

  before(async () => {
    database = await openTestDatabase()
    await addMiTestUsers(database)
    const { clock, tasks } = await buildMiFixture(database.db)
    const view = async (userId: string, taskId: number, personId: string, section: string, at: string) =>
      recordAuditEvent(database.db, {
        kind: 'case-viewed',
        at: new Date(at),
        userId,
        personId,
        taskId,
        section,
      })
    for (const [minute, section] of [
      'barriers',
      'vulnerability',
      'family-status',
      'why-recommended',
    ].entries()) {
      await view('cw3', tasks.P4, 'P4', section, `2026-07-06T09:0${minute}:00Z`)
    }
    clock.set(new Date('2026-07-06T09:05:00Z'))
    const mee = { id: 'cw3', regions: { all: false as const, codes: ['MEE'] } }
    const lse = { id: 'cw1', regions: { all: false as const, codes: ['LSE'] } }
    const accept = { status: 'ACCEPTED', checksConfirmed: true, note: '=Checked all four' } as const
    assert.equal(
      (
        await decideTask(database.db, {
          taskId: tasks.P4,
          expectedVersion: 1,
          decision: accept,
          user: mee,
          clock,
        })
      ).kind,
      'decided',
    )
    await view('cw1', tasks.P2, 'P2', 'barriers', '2026-07-06T10:00:00Z')
    clock.set(new Date('2026-07-06T10:00:10Z'))
    const change = { status: 'ACCEPTED', checksConfirmed: true } as const
    assert.equal(
      (
        await decideTask(database.db, {
          taskId: tasks.P2,
          expectedVersion: 2,
          decision: change,
          user: lse,
          clock,
        })
      ).kind,
      'decided',
    )
    web = await startTestApp(database, { clock: frozenClock(new Date('2026-08-01T09:00:00Z')) })
  })
  after(async () => {
    await web?.close()
    await database?.close()
  })

  const signedIn = (userId: string) => signedInClient(web.app, userId)

  async function workbookFor(userId: string): Promise<ExcelJS.Workbook> {
    const response = await (await signedIn(userId)).get(paths.miReportFile('xlsx', JULY))
    assert.equal(response.statusCode, 200)
    return workbookOf(response.rawPayload)
  }

  it('adds a "Review evidence" worksheet with a row per decision, after the report as it was', async () => {
    const workbook = await workbookFor('lead')
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['MI report', 'Review evidence', 'Contests', 'Assignments'],
    )
    const [report, evidence] = workbook.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet]
    assert.deepEqual(rowValues(report, 1), [...MI_HEADERS])
    assert.equal(report.autoFilter, 'A1:AI1')
    assert.deepEqual(rowValues(evidence, 1), [
      'Task ID',
      'Person ID',
      'Intervention type',
      'ROM region',
      'Rule version',
      'Rule',
      'Decision',
      'Decided on',
      'Decided by',
      'Sections opened before deciding',
      'Barriers opened',
      'Vulnerability opened',
      'Family status opened',
      'Why recommended opened',
      'First opened on',
      'Seconds from first opening to decision',
      'Decider’s own words',
    ])
    const rows = rowsUnderHeader(evidence)
    assert.deepEqual(
      rows.map((row) => [row[1], row[6], row[8]]),
      [
        ['P1', 'On hold', 'cw1'],
        ['P2', 'Rejected', 'cw1'],
        ['P1', 'Accepted', 'cw1'],
        ['P4', 'Accepted', 'cw3'],
        ['P2', 'Accepted', 'cw1'],
      ],
    )
    const p4 = rows[3] as unknown[]
    assert.equal(p4[3], 'Midlands and East')
    assert.equal(p4[4], 'mi-v1')
    // 10:05 in London (summer time), as a date-time cell.
    assert.deepEqual(p4[7], new Date('2026-07-06T10:05:00Z'))
    assert.equal(p4[9], 'barriers, vulnerability, family-status, why-recommended')
    assert.deepEqual(p4.slice(10, 14), ['Yes', 'Yes', 'Yes', 'Yes'])
    assert.deepEqual(p4[14], new Date('2026-07-06T10:00:00Z'))
    assert.equal(p4[15], 300)
    assert.equal(p4[16], '=Checked all four', 'a note starting with = is text, not a formula')
    const hold = rows[0] as unknown[]
    assert.equal(hold[9], undefined, 'nothing opened')
    assert.deepEqual(hold.slice(10, 14), ['No', 'No', 'No', 'No'])
    assert.equal(hold[14], undefined)
    assert.equal(hold[15], undefined)
    assert.equal(hold[16], 'Waiting for a letter')
    assert.equal((rows[1] as unknown[])[16], 'Date of birth is wrong in CID, and he is in hospital')
  })

  it('keeps the worksheet to the user’s regions', async () => {
    const [, evidence] = (await workbookFor('cw1')).worksheets
    assert.ok(evidence)
    const people = rowsUnderHeader(evidence).map((row) => row[1])
    assert.deepEqual(people, ['P1', 'P2', 'P1', 'P2'])
  })

  it('counts decisions without the key sections or under the quick time, per user and rule version', async () => {
    const criteria = {
      from: '2026-07-01' as IsoDate,
      to: '2026-07-31' as IsoDate,
      scope: { all: true as const },
      taskType: undefined,
    }
    const all = await rubberStampMonitoring(database.db, criteria, 30)
    assert.deepEqual(
      all.byUser.map((user) => ({ ...user })),
      [
        {
          userId: 'cw1',
          name: 'Casey Worker',
          decisions: 4,
          withoutBarriers: 3,
          withoutVulnerability: 4,
          withoutFamilyStatus: 4,
          quick: 1,
        },
        {
          userId: 'cw3',
          name: 'Mo East',
          decisions: 1,
          withoutBarriers: 0,
          withoutVulnerability: 0,
          withoutFamilyStatus: 0,
          quick: 0,
        },
      ],
    )
    assert.deepEqual(
      all.byRuleVersion.map((version) => ({ ...version })),
      [
        {
          ruleVersion: 'mi-v1',
          decisions: 5,
          withoutBarriers: 3,
          withoutVulnerability: 4,
          withoutFamilyStatus: 4,
          quick: 1,
        },
      ],
    )
    // Ten seconds is not under ten; the first days of July hold only the fixture's three.
    const strict = await rubberStampMonitoring(database.db, { ...criteria, to: '2026-07-05' as IsoDate }, 10)
    assert.deepEqual(
      strict.byUser.map((user) => [user.userId, user.decisions, user.quick]),
      [['cw1', 3, 0]],
    )
    const taskType = await rubberStampMonitoring(database.db, { ...criteria, taskType: 'NO_SUCH_TYPE' }, 30)
    assert.deepEqual(taskType.byUser, [])
  })

  it('shows the figures with their counts on the dashboard, in the manager’s regions only', async () => {
    const page = await (await signedIn('mgr')).get(paths.miDashboard({ ...JULY_FORM }))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Evidence of review, by user/)
    assert.match(
      text,
      /Casey Worker \(cw1\) 4 75\.0% \(3 of 4\) 100\.0% \(4 of 4\) 100\.0% \(4 of 4\) 25\.0% \(1 of 4\)/,
    )
    assert.match(text, /Evidence of review, by rule version/)
    assert.match(text, /mi-v1 4 75\.0% \(3 of 4\)/)
    assert.match(text, /Under 30 seconds/)
    assert.doesNotMatch(text, /Mo East/)

    const national = textOf((await (await signedIn('lead')).get(paths.miDashboard({ ...JULY_FORM }))).body)
    assert.match(
      national,
      /Mo East \(cw3\) 1 0\.0% \(0 of 1\) 0\.0% \(0 of 1\) 0\.0% \(0 of 1\) 0\.0% \(0 of 1\)/,
    )
    assert.match(national, /mi-v1 5 60\.0% \(3 of 5\)/)
  })
})
