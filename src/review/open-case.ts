/**
 * Opening a page of a task's case: find the task in the user's regions,
 * record the opening (who has it open, and when, for the MI's time to
 * decide) and audit the page of personal data shown, then say who holds it.
 */
import { type Kysely, sql } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { type CaseHolder, findCaseHolder } from './claims.ts'
import { findTaskView, type TaskView } from './task-view.ts'

export interface OpenedCase {
  readonly task: TaskView
  /** Who has the case open: this user, unless someone else opened it first. */
  readonly holder: CaseHolder
}

/** Undefined when there is no such task or it is outside the user's regions: nothing is recorded then. */
export async function openCase(
  db: Kysely<Tables>,
  input: {
    readonly taskId: number
    readonly user: OpeningUser
    /** Which page of the case was shown, for the audit. */
    readonly section: string
    readonly clock: Clock
  },
): Promise<OpenedCase | undefined> {
  const task = await findTaskView(db, input.taskId, input.user.regions)
  if (!task) return undefined
  return { task, holder: await recordOpening(db, { ...input, task }) }
}

export interface OpeningUser {
  readonly id: string
  readonly name: string
  readonly regions: RegionScope
}

/**
 * Records the opening of a task already found in the user's regions (with
 * findTaskView), audits the page shown, and says who holds the case. A page
 * that reads more of the case can do so at the same time.
 */
export async function recordOpening(
  db: Kysely<Tables>,
  input: {
    readonly task: TaskView
    readonly user: OpeningUser
    readonly section: string
    readonly clock: Clock
  },
): Promise<CaseHolder> {
  const { task } = input
  const now = input.clock.now()
  // The opening and the audit row in one statement: one commit per page shown.
  // Who holds the case is asked at the same time: this opening cannot change
  // the answer unless nobody else holds it, and then the holder is this user.
  const [, holder] = await Promise.all([
    sql`
      with opening as (
        insert into case_openings (task_id, user_id, opened_at) values (${task.id}, ${input.user.id}, ${now})
      )
      insert into case_views (user_id, task_id, person_id, section, viewed_at)
      values (${input.user.id}, ${task.id}, ${task.personId}, ${input.section}, ${now})
    `.execute(db),
    findCaseHolder(db, { taskId: task.id, statusChangedAt: task.statusChangedAt, clock: input.clock }),
  ])
  return holder ?? { userId: input.user.id, name: input.user.name, since: now }
}
