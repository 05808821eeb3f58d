/**
 * Opening a page of a task's case: find the task in the user's regions,
 * record the opening (who has it open, and when, for the MI's time to
 * decide) and audit the page of personal data shown, then say who holds it.
 *
 * All of it is one statement, so one round trip and one commit per page:
 * the task's read is a CTE that the two inserts select from, so a task that
 * is missing or in another region records nothing, and the audit row is
 * written in the same statement as the read of what the page shows
 * (docs/decisions/0014-audit-trail.md). Reading the task apart first cost
 * every case page a statement more, which under load was a large part of
 * its time (docs/decisions/0029-index-usage.md).
 */
import { type Kysely, type QueryCreator, sql } from 'kysely'
import type { RegionScope } from '../access/region-scope.ts'
import { caseViewedDetails } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import { ReusableStatement } from '../db/reusable-statement.ts'
import type { Tables } from '../db/tables.ts'
import { type CaseHolder, caseHolderQuery, claimWindowStart, holderOf } from './claims.ts'
import { isTaskId, type TaskView, taskViewQuery, toTaskView } from './task-view.ts'

export interface OpenedCase {
  readonly task: TaskView
  /** Who has the case open: this user, unless someone else opened it first. */
  readonly holder: CaseHolder
}

export interface OpeningUser {
  readonly id: string
  readonly name: string
  readonly regions: RegionScope
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
  const { taskId, user } = input
  if (!isTaskId(taskId)) return undefined
  const now = input.clock.now()
  const scope = user.regions
  const codes = scope.all ? [] : scope.codes
  const shape = scope.all ? ALL_REGIONS : `${codes.length} regions`
  const { rows } = await db.executeQuery(
    OPENING.bind(db, shape, [
      taskId,
      user.id,
      now,
      caseViewedDetails(input.section),
      claimWindowStart(input.clock),
      ...codes,
    ]),
  )
  const row = rows[0]
  if (!row) return undefined
  // The holder's columns are all null when nobody holds the case, and all set when someone does.
  const holder = holderOf(
    row.holder_id === null
      ? undefined
      : { user_id: row.holder_id, name: row.holder_name ?? row.holder_id, since: row.holder_since },
  )
  return {
    task: toTaskView(row),
    holder: holder ?? { userId: user.id, name: user.name, since: now },
  }
}

/**
 * The statement, built once per number of regions in the user's scope:
 * the task's read, the opening and the audit row inserted from it, and who
 * holds the case. The question of who holds it sees the openings as they
 * were before this one (a statement's parts share one snapshot), which is
 * the answer wanted: this opening cannot change it unless nobody else holds
 * the case, and then the holder is this user.
 */
const OPENING = new ReusableStatement(
  (
    db: Kysely<Tables>,
    [taskId, userId, now, details, windowStart, ...codes]: readonly [
      number,
      string,
      Date,
      string,
      Date,
      ...string[],
    ],
    shape,
  ) => {
    const scope: RegionScope = shape === ALL_REGIONS ? { all: true } : { all: false, codes }
    return db
      .with('task', (q) => taskViewQuery(q, taskId, scope))
      .with('opening', (q) =>
        q
          .insertInto('case_openings')
          .columns(['task_id', 'user_id', 'opened_at'])
          .expression((eb) =>
            eb
              .selectFrom('task')
              .select(['task.id', text(userId).as('user_id'), timestamp(now).as('opened_at')]),
          ),
      )
      .with('viewed', (q) =>
        q
          .insertInto('audit_events')
          .columns(['at', 'kind', 'user_id', 'person_id', 'task_id', 'details'])
          .expression((eb) =>
            eb
              .selectFrom('task')
              .select([
                timestamp(now).as('at'),
                text('case-viewed').as('kind'),
                text(userId).as('user_id'),
                'task.person_id',
                'task.id',
                sql<string>`cast(${details} as jsonb)`.as('details'),
              ]),
          ),
      )
      .with('holder', (q) =>
        // The CTEs add names the holder query does not use: it reads only the tables, and the task's last change.
        caseHolderQuery(q as unknown as QueryCreator<Tables>, {
          taskId,
          openedSince: sql<Date>`greatest(${timestamp(windowStart)}, (select status_changed_at from task))`,
        }),
      )
      .selectFrom('task')
      .leftJoin('holder', (join) => join.onTrue())
      .selectAll('task')
      .select(['holder.user_id as holder_id', 'holder.name as holder_name', 'holder.since as holder_since'])
  },
)

/** The shape of the statement for a user who sees every region; the others are by how many regions they see. */
const ALL_REGIONS = 'all regions'

/** Values selected into an insert's columns, cast: a value in a select list has no type of its own. */
const timestamp = (at: Date) => sql<Date>`cast(${at} as timestamptz)`
const text = (value: string) => sql<string>`cast(${value} as text)`
