/**
 * Who is working a task, in the service: assigning to oneself, a manager's
 * assigning to a caseworker of the region, and refusals. Every change is
 * version-guarded, written to the task's history and moves the region's
 * change counter; a refusal changes nothing. The pages are in
 * task-assignment-pages.test.ts.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decideTask } from '../../src/tasks/decisions.ts'
import { assignmentFixture, CASEWORKER, clock, LSE, MANAGER } from '../support/task-assignment.ts'

describe('assigning tasks: the service', () => {
  const fixture = assignmentFixture()
  const { ids, db, taskRow, assignments, regionChanges, assign } = fixture

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
})
