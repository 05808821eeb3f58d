/**
 * Opening a page of a task's case: find the task in the user's regions,
 * record the opening (who has it open, and when, for the MI's time to
 * decide) and audit the page of personal data shown, then say who holds it.
 */
import type { Kysely, QueryCreator } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import { auditEventRow } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { type CaseHolder, caseHolderQuery, holderOf } from './claims.ts'
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
  // The opening, the audit row and who holds the case, in one statement: one
  // round trip and one commit per page shown. The question of who holds it
  // sees the openings as they were before this one (a statement's parts share
  // one snapshot), which is the answer wanted: this opening cannot change it
  // unless nobody else holds the case, and then the holder is this user.
  const recording = db
    .with('opening', (q) =>
      q.insertInto('case_openings').values({ task_id: task.id, user_id: input.user.id, opened_at: now }),
    )
    .with('viewed', (q) =>
      q.insertInto('audit_events').values(
        auditEventRow({
          kind: 'case-viewed',
          at: now,
          userId: input.user.id,
          personId: task.personId,
          taskId: task.id,
          section: input.section,
        }),
      ),
    )
  const holder = holderOf(
    // The inserts add names the holder query does not use: it reads only the tables.
    await caseHolderQuery(recording as unknown as QueryCreator<Tables>, {
      taskId: task.id,
      statusChangedAt: task.statusChangedAt,
      clock: input.clock,
    }).executeTakeFirst(),
  )
  return holder ?? { userId: input.user.id, name: input.user.name, since: now }
}
