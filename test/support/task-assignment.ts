/**
 * The tasks, users and look-ups the assignment tests share: three LSE tasks
 * (one accepted) and one in MEE, a second LSE caseworker, an LSE manager and
 * an MEE caseworker, on the review pages' harness.
 */
import { beforeEach } from 'node:test'
import { sql } from 'kysely'
import { frozenClock } from '../../src/clock.ts'
import { assignTask } from '../../src/tasks/assignment.ts'
import { reviewPagesHarness } from './review-pages.ts'
import { insertReviewTasks } from './review-tasks.ts'
import { addTestUser } from './web.ts'

export const clock = frozenClock(new Date('2026-03-02T09:00:00Z'))
export const LSE = { all: false, codes: ['LSE'] } as const
export const CASEWORKER = { id: 'lse.worker', regions: LSE, mayAssignOthers: false }
export const MANAGER = { id: 'lse.manager', regions: LSE, mayAssignOthers: true }

/** Call inside a describe: registers the harness's hooks and refills the tasks before each test. */
export function assignmentFixture() {
  const app = reviewPagesHarness()
  /** The tasks' IDs, in the order inserted: A1, A2, A3 (accepted), M1 (MEE). Refilled in place. */
  const ids: number[] = []

  // After the harness's own (registered first): the database is empty and its users are in.
  beforeEach(async () => {
    await addTestUser(app.database, { id: 'lse.other', name: 'Ola Other', regions: ['LSE'] })
    await addTestUser(app.database, {
      id: 'lse.manager',
      name: 'Lin Manager',
      roles: ['MANAGER'],
      regions: ['LSE'],
    })
    await addTestUser(app.database, { id: 'mee.worker', name: 'Meg Worker', regions: ['MEE'] })
    const inserted = await insertReviewTasks(app.database.db, [
      { personId: 'A1', priority: 30 },
      { personId: 'A2', priority: 20 },
      { personId: 'A3', priority: 10, status: 'ACCEPTED', changedBy: 'lse.worker' },
      { personId: 'M1', region: 'MEE', person: { reporting_location: 'SANDFORD_HOUSE' } },
    ])
    ids.splice(0, ids.length, ...inserted)
  })

  const db = () => app.database.db
  return {
    app,
    signedIn: app.signedIn,
    ids,
    db,
    taskRow: (id: number) =>
      db()
        .selectFrom('tasks')
        .select(['version', 'assigned_to', 'status'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    assignments: () =>
      db()
        .selectFrom('task_assignments')
        .select(['task_id', 'task_version', 'kind', 'assignee', 'previous_assignee', 'changed_by'])
        .orderBy('id')
        .execute(),
    regionChanges: async () => {
      const { rows } = await sql<{ n: string | number | null }>`
        select sum(changes) as n from review_list_changes where rom_region = 'LSE'`.execute(db())
      return Number(rows[0]?.n ?? 0)
    },
    assign: (input: Omit<Parameters<typeof assignTask>[1], 'clock'>) => assignTask(db(), { ...input, clock }),
  }
}
