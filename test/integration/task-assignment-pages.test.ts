/**
 * Who is working a task, on the pages: "Assign to me" and "Unassign" on the
 * case page and for the tasks ticked on a list, the list's "Assigned to"
 * column and filter, deciding a task someone else is working, and the MI
 * workbook's Assignments worksheet.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import { rowValues, workbookOf } from '../support/mi.ts'
import { SEARCH, tableCheckboxesOf, tableRowsOf, tabsOf } from '../support/review-pages.ts'
import { assignmentFixture, clock, LSE, MANAGER } from '../support/task-assignment.ts'
import { csrfTokenIn, errorSummaryOf, textOf } from '../support/web.ts'

describe('assigning tasks: the pages', () => {
  const fixture = assignmentFixture()
  const { signedIn, ids, db, taskRow, assignments, assign } = fixture

  describe('the pages', () => {
    it('assigns from the case page, shows who in the case and the list, and filters the list', async () => {
      const client = await signedIn('lse.worker')
      const page = await client.get(paths.taskSection(ids[0]!, 'person-details'))
      assert.match(textOf(page.body), /Assigned to Nobody/)
      const assigned = await client.post(paths.taskAssignment(ids[0]!), {
        _csrf: csrfTokenIn(page.body),
        version: '1',
        action: 'assign-to-me',
      })
      assert.equal(assigned.statusCode, 303)
      assert.equal(assigned.headers.location, paths.task(ids[0]!))
      const after = await client.get(paths.taskSection(ids[0]!, 'person-details'))
      assert.match(textOf(after.body), /Assigned to You/)
      assert.match(after.body, /value="unassign"/)

      const list = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      assert.deepEqual(
        tableRowsOf(list.body).map((row) => row.at(-1)),
        ['You', ''],
      )
      const mine = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 1, { assigned: 'me' }))
      assert.deepEqual(tableRowsOf(mine.body).length, 1)
      assert.deepEqual(tabsOf(mine.body)[0], 'Recommended (1)')
      const unassigned = await client.get(
        paths.reviewList('LSE', 'recommended', SEARCH, 1, { assigned: 'unassigned' }),
      )
      assert.deepEqual(
        tableRowsOf(unassigned.body).map((row) => row[5]),
        ['20'],
      )
      // The tabs and pages keep the filter.
      assert.match(unassigned.body, /href="\/review-tasks\/LSE\/on-hold\?[^"]*assigned=unassigned"/)
      const myTasks = await client.get(paths.myTasks())
      assert.equal(myTasks.statusCode, 200)
      assert.deepEqual(
        tableRowsOf(myTasks.body).map((row) => [row[0], row[3], row[4]]),
        [['Grace Okafor', 'London and South East', 'Recommended']],
      )
    })

    it('says what is wrong with an unknown filter', async () => {
      const client = await signedIn('lse.worker')
      const response = await client.get(
        `${paths.reviewList('LSE', 'recommended', SEARCH)}&assigned=everybody`,
      )
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [
        ['Choose whose tasks to show: anyone’s, unassigned tasks or tasks assigned to you', '#assigned'],
      ])
    })

    it('changes the ticked tasks each on its own version, naming those left as they were', async () => {
      const client = await signedIn('lse.manager')
      const list = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      const ticked = tableCheckboxesOf(list.body)
      assert.deepEqual(ticked, [`${ids[0]}:1`, `${ids[1]}:1`])
      assert.match(list.body, /<option value="lse.other">Ola Other<\/option>/)
      assert.doesNotMatch(list.body, /value="mee.worker"/)
      // Someone places the second on hold meanwhile.
      await decideTask(db(), {
        taskId: ids[1]!,
        expectedVersion: 1,
        decision: { status: 'ON_HOLD', note: null },
        user: { id: 'lse.worker', regions: LSE },
        clock,
      })
      const here = paths.reviewList('LSE', 'recommended', SEARCH)
      const response = await client.post(paths.reviewAssignment('LSE'), {
        _csrf: csrfTokenIn(list.body),
        task: ticked,
        action: 'assign-to',
        assignee: 'lse.other',
        returnTo: here,
      })
      assert.equal(response.statusCode, 409)
      assert.match(textOf(response.body), /1 task changed\./)
      assert.match(
        textOf(response.body),
        /1 task not changed Grace Okafor ?: The task was changed by someone else after you opened it: nothing was changed/,
      )
      assert.equal((await taskRow(ids[0]!)).assigned_to, 'lse.other')
      assert.equal((await taskRow(ids[1]!)).assigned_to, null)

      // All changed: straight back to the list.
      const again = await client.get(here)
      const allChanged = await client.post(paths.reviewAssignment('LSE'), {
        _csrf: csrfTokenIn(again.body),
        task: tableCheckboxesOf(again.body),
        action: 'unassign',
        returnTo: here,
      })
      assert.equal(allChanged.statusCode, 303)
      assert.equal(allChanged.headers.location, here)
    })

    it('refuses a list change with nothing ticked, too many, or someone of another region', async () => {
      const client = await signedIn('lse.manager')
      const list = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      const csrf = csrfTokenIn(list.body)
      const none = await client.post(paths.reviewAssignment('LSE'), { _csrf: csrf, action: 'assign-to-me' })
      assert.equal(none.statusCode, 400)
      assert.match(textOf(none.body), /Select the tasks to change/)
      const many = Array.from({ length: 101 }, (_, n) => `${n + 1}:1`)
      const tooMany = await client.post(paths.reviewAssignment('LSE'), {
        _csrf: csrf,
        action: 'assign-to-me',
        task: many,
      })
      assert.equal(tooMany.statusCode, 400)
      assert.match(textOf(tooMany.body), /Select 100 tasks or fewer at once/)
      const tampered = await client.post(paths.reviewAssignment('LSE'), {
        _csrf: csrf,
        action: 'assign-to-me',
        task: 'DROP TABLE',
      })
      assert.equal(tampered.statusCode, 400)
      const otherRegion = await client.post(paths.reviewAssignment('LSE'), {
        _csrf: csrf,
        action: 'assign-to',
        assignee: 'mee.worker',
        task: [`${ids[0]}:1`, `${ids[3]}:1`],
      })
      assert.equal(otherRegion.statusCode, 409)
      assert.match(textOf(otherRegion.body), /Select a caseworker who works in the task’s region/)
      assert.match(
        textOf(otherRegion.body),
        new RegExp(`Task ${ids[3]}: There is no such task in your regions`),
      )
      assert.equal((await assignments()).length, 0)
    })

    it('asks before deciding a task someone else is working, and records that it was', async () => {
      await assign({
        taskId: ids[0]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.other' },
        user: MANAGER,
      })
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.taskDecision(ids[0]!, 'hold'))
      assert.match(textOf(form.body), /This task is assigned to Ola Other — decide anyway\?/)
      const refused = await client.post(paths.taskDecision(ids[0]!, 'hold'), {
        _csrf: csrfTokenIn(form.body),
        version: '2',
      })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errorSummaryOf(refused.body), [
        ['This task is assigned to Ola Other: select “Decide anyway” to decide it yourself', '#decideAnyway'],
      ])
      assert.equal((await taskRow(ids[0]!)).status, 'RECOMMENDED')
      const decided = await client.post(paths.taskDecision(ids[0]!, 'hold'), {
        _csrf: csrfTokenIn(form.body),
        version: '2',
        decideAnyway: 'yes',
      })
      assert.equal(decided.statusCode, 303)
      assert.equal((await taskRow(ids[0]!)).status, 'ON_HOLD')
      assert.equal((await assignments()).at(-1)?.kind, 'DECIDED_WHILE_ASSIGNED')
      const history = await client.get(paths.taskSection(ids[0]!, 'history'))
      const text = textOf(history.body)
      assert.match(text, /Decided while assigned to Ola Other/)
      assert.match(text, /Lee Worker confirmed they wanted to decide it anyway/)
      assert.match(text, /Assigned to Ola Other/)
    })

    it('puts every change on the MI workbook’s Assignments worksheet, leaving the first as it was', async () => {
      await assign({
        taskId: ids[0]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.other' },
        user: MANAGER,
      })
      await assign({ taskId: ids[0]!, expectedVersion: 2, change: { kind: 'unassign' }, user: MANAGER })
      await assign({
        taskId: ids[3]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'mee.worker' },
        user: { id: 'mee.manager', regions: { all: false, codes: ['MEE'] }, mayAssignOthers: true },
      })
      const client = await signedIn('lse.manager')
      const file = await client.get(paths.miReportFile('xlsx', { from: '2026-03-02', to: '2026-03-02' }))
      assert.equal(file.statusCode, 200)
      const workbook = await workbookOf(file.rawPayload)
      assert.deepEqual(
        workbook.worksheets.map((sheet) => sheet.name),
        ['MI report', 'Review evidence', 'Contests', 'Assignments'],
      )
      const first = workbook.getWorksheet('MI report') ?? assert.fail('no first worksheet')
      assert.equal(rowValues(first, 1).length, 35, 'columns A–AI')
      const sheet = workbook.getWorksheet('Assignments') ?? assert.fail('no Assignments worksheet')
      const values = (row: number) => rowValues(sheet, row)
      assert.deepEqual(values(1), [
        'Task ID',
        'Task version',
        'Person ID',
        'Intervention type',
        'ROM region',
        'Change',
        'Changed on',
        'Changed by',
        'Assigned to',
        'Previously assigned to',
      ])
      // The manager's region only: the MEE assignment is not theirs to see.
      assert.equal(sheet.rowCount, 3)
      assert.deepEqual(values(2).slice(0, 6), [
        ids[0],
        2,
        'A1',
        'Failed-to-report follow-up',
        'London and South East',
        'Assigned',
      ])
      assert.deepEqual(values(2).slice(7), ['lse.manager', 'lse.other'])
      assert.deepEqual(values(3).slice(5, 6), ['Unassigned'])
      const unassigned = values(3)
      assert.deepEqual(
        [unassigned[7], unassigned[8] ?? null, unassigned[9]],
        ['lse.manager', null, 'lse.other'],
      )
    })
  })
})
