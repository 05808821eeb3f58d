/**
 * Who is working a task: "Assign to me" and "Unassign" on the case page and
 * for the tasks ticked on a list, a manager's assigning to a caseworker of
 * the region, the list's "Assigned to" column and filter, "My tasks", and
 * deciding a task someone else is working. Every change is version-guarded,
 * written to the task's history and moves the region's change counter; a
 * refusal changes nothing.
 */
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { frozenClock } from '../../src/clock.ts'
import { assignTask } from '../../src/tasks/assignment.ts'
import { decideTask } from '../../src/tasks/decisions.ts'
import { paths } from '../../src/web/paths.ts'
import {
  reviewPagesHarness,
  SEARCH,
  tableCheckboxesOf,
  tableRowsOf,
  tabsOf,
} from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { addTestUser, csrfTokenIn, errorSummaryOf, textOf } from '../support/web.ts'

const clock = frozenClock(new Date('2026-03-02T09:00:00Z'))
const LSE = { all: false, codes: ['LSE'] } as const
const CASEWORKER = { id: 'lse.worker', regions: LSE, mayAssignOthers: false }
const MANAGER = { id: 'lse.manager', regions: LSE, mayAssignOthers: true }

describe('assigning tasks', () => {
  const app = reviewPagesHarness()
  const { signedIn } = app
  let ids: number[] = []

  beforeEach(async () => {
    await addTestUser(app.database, { id: 'lse.other', name: 'Ola Other', regions: ['LSE'] })
    await addTestUser(app.database, {
      id: 'lse.manager',
      name: 'Lin Manager',
      roles: ['MANAGER'],
      regions: ['LSE'],
    })
    await addTestUser(app.database, { id: 'mee.worker', name: 'Meg Worker', regions: ['MEE'] })
    ids = await insertReviewTasks(app.database.db, [
      { personId: 'A1', priority: 30 },
      { personId: 'A2', priority: 20 },
      { personId: 'A3', priority: 10, status: 'ACCEPTED', changedBy: 'lse.worker' },
      { personId: 'M1', region: 'MEE', person: { reporting_location: 'SANDFORD_HOUSE' } },
    ])
  })

  const db = () => app.database.db
  const taskRow = (id: number) =>
    db()
      .selectFrom('tasks')
      .select(['version', 'assigned_to', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  const assignments = () =>
    db()
      .selectFrom('task_assignments')
      .select(['task_id', 'task_version', 'kind', 'assignee', 'previous_assignee', 'changed_by'])
      .orderBy('id')
      .execute()
  const regionChanges = async () => {
    const { rows } = await sql<{ n: string | number | null }>`
      select sum(changes) as n from review_list_changes where rom_region = 'LSE'`.execute(db())
    return Number(rows[0]?.n ?? 0)
  }
  const assign = (input: Omit<Parameters<typeof assignTask>[1], 'clock'>) =>
    assignTask(db(), { ...input, clock })

  describe('the service', () => {
    it('assigns a task to the caseworker who asks, moving its version, history and region counter', async () => {
      const before = await regionChanges()
      const result = await assign({
        taskId: ids[0]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.worker' },
        user: CASEWORKER,
      })
      assert.deepEqual(result, { kind: 'changed', taskId: ids[0], version: 2 })
      assert.deepEqual(await taskRow(ids[0]!), {
        version: 2,
        assigned_to: 'lse.worker',
        status: 'RECOMMENDED',
      })
      assert.deepEqual(await assignments(), [
        {
          task_id: ids[0],
          task_version: 2,
          kind: 'ASSIGNED',
          assignee: 'lse.worker',
          previous_assignee: null,
          changed_by: 'lse.worker',
        },
      ])
      assert.equal(await regionChanges(), before + 1)
      // And gives it up again.
      const unassigned = await assign({
        taskId: ids[0]!,
        expectedVersion: 2,
        change: { kind: 'unassign' },
        user: CASEWORKER,
      })
      assert.equal(unassigned.kind, 'changed')
      assert.equal((await taskRow(ids[0]!)).assigned_to, null)
      assert.equal((await assignments())[1]?.kind, 'UNASSIGNED')
    })

    it('lets a manager assign and reassign to a caseworker of the region, and nobody else', async () => {
      const toWorker = await assign({
        taskId: ids[0]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.worker' },
        user: MANAGER,
      })
      assert.equal(toWorker.kind, 'changed')
      const reassigned = await assign({
        taskId: ids[0]!,
        expectedVersion: 2,
        change: { kind: 'assign', assignee: 'lse.other' },
        user: MANAGER,
      })
      assert.equal(reassigned.kind, 'changed')
      assert.equal((await assignments())[1]?.previous_assignee, 'lse.worker')
      // A caseworker of another region, a user who decides nothing, and nobody at all.
      for (const assignee of ['mee.worker', 'author', 'no.such.user']) {
        assert.deepEqual(
          await assign({
            taskId: ids[0]!,
            expectedVersion: 3,
            change: { kind: 'assign', assignee },
            user: MANAGER,
          }),
          { kind: 'refused', taskId: ids[0], code: 'assigneeNotEligible' },
        )
      }
      assert.deepEqual(await taskRow(ids[0]!), {
        version: 3,
        assigned_to: 'lse.other',
        status: 'RECOMMENDED',
      })
    })

    it('refuses, changing nothing: another region’s task, a decided task, a stale version, someone else’s task', async () => {
      const before = await regionChanges()
      const mine = { kind: 'assign', assignee: 'lse.worker' } as const
      assert.equal(
        (await assign({ taskId: ids[3]!, expectedVersion: 1, change: mine, user: CASEWORKER })).kind,
        'not-found',
      )
      assert.deepEqual(
        await assign({ taskId: ids[2]!, expectedVersion: 1, change: mine, user: CASEWORKER }),
        {
          kind: 'refused',
          taskId: ids[2],
          code: 'taskNotOpen',
        },
      )
      assert.equal(
        (await assign({ taskId: ids[0]!, expectedVersion: 7, change: mine, user: CASEWORKER })).kind,
        'stale',
      )
      assert.deepEqual(
        await assign({
          taskId: ids[0]!,
          expectedVersion: 1,
          change: { kind: 'assign', assignee: 'lse.other' },
          user: CASEWORKER,
        }),
        { kind: 'refused', taskId: ids[0], code: 'mayNotAssignOthers' },
      )
      await assign({
        taskId: ids[1]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.other' },
        user: MANAGER,
      })
      assert.deepEqual(
        await assign({ taskId: ids[1]!, expectedVersion: 2, change: mine, user: CASEWORKER }),
        {
          kind: 'refused',
          taskId: ids[1],
          code: 'assignedToSomeoneElse',
          assigneeName: 'Ola Other',
        },
      )
      assert.deepEqual(
        await assign({ taskId: ids[1]!, expectedVersion: 2, change: { kind: 'unassign' }, user: CASEWORKER }),
        { kind: 'refused', taskId: ids[1], code: 'assignedToSomeoneElse', assigneeName: 'Ola Other' },
      )
      assert.equal((await assignments()).length, 1)
      assert.equal(await regionChanges(), before + 1)
    })

    it('refuses a reassignment racing a decision, whichever commits first', async () => {
      const decided = await decideTask(db(), {
        taskId: ids[0]!,
        expectedVersion: 1,
        decision: { status: 'ON_HOLD', note: null },
        user: { id: 'lse.other', regions: LSE },
        clock,
      })
      assert.equal(decided.kind, 'decided')
      const late = await assign({
        taskId: ids[0]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.worker' },
        user: MANAGER,
      })
      assert.equal(late.kind, 'stale')
      assert.equal((await taskRow(ids[0]!)).assigned_to, null)

      // The other way round: a decision made on the version seen before a reassignment is stale.
      await assign({
        taskId: ids[1]!,
        expectedVersion: 1,
        change: { kind: 'assign', assignee: 'lse.worker' },
        user: MANAGER,
      })
      const lateDecision = await decideTask(db(), {
        taskId: ids[1]!,
        expectedVersion: 1,
        decision: { status: 'ON_HOLD', note: null },
        user: { id: 'lse.worker', regions: LSE },
        clock,
      })
      assert.equal(lateDecision.kind, 'stale')
      assert.equal((await taskRow(ids[1]!)).status, 'RECOMMENDED')
    })
  })

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
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer)
      assert.deepEqual(
        workbook.worksheets.map((sheet) => sheet.name),
        ['MI report', 'Review evidence', 'Contests', 'Assignments'],
      )
      const first = workbook.getWorksheet('MI report') ?? assert.fail('no first worksheet')
      assert.equal((first.getRow(1).values as unknown[]).slice(1).length, 35, 'columns A–AI')
      const sheet = workbook.getWorksheet('Assignments') ?? assert.fail('no Assignments worksheet')
      const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1)
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
