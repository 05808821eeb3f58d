/**
 * Who is working a task: "Assign to me", "Unassign", and a manager's
 * assigning or reassigning to a caseworker of the task's region.
 *
 * An assignment is a change of the task like a decision, and guarded the
 * same way: it names the task version the user saw, moves the version on,
 * and appends a task_assignments row in the same transaction, with the
 * region's change counter (so every instance's lists show the new
 * assignee). The task's row is locked first, so a decision or another
 * assignment racing this one either commits before it (and this one is
 * refused as stale) or waits and is refused as stale itself. Problems are
 * codes; the page puts them into words.
 */
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely'
import { rolesHolding } from '../access/permissions.ts'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { Clock } from '../clock.ts'
import type { Tables } from '../db/tables.ts'
import { countRegionChange } from './region-changes.ts'
import type { TaskStatus } from './task.ts'
import type { TaskChangeListener } from './task-changes.ts'

/** A task is assigned while someone may still decide it: recommended or on hold. */
export const ASSIGNABLE_STATUSES: readonly TaskStatus[] = ['RECOMMENDED', 'ON_HOLD']

/** More tasks than a page of a list holds: a longer list is a tampered form. */
export const MAX_TASKS_AT_ONCE = 100

export type AssignmentChange =
  | { readonly kind: 'assign'; readonly assignee: string }
  | { readonly kind: 'unassign' }

export interface AssigningUser {
  readonly id: string
  readonly regions: RegionScope
  /** Managers: assign to others, reassign, and unassign anyone. Caseworkers only take and give up their own. */
  readonly mayAssignOthers: boolean
}

export interface AssignTaskInput {
  readonly taskId: number
  /** The task version the user saw. */
  readonly expectedVersion: number
  readonly change: AssignmentChange
  readonly user: AssigningUser
  readonly clock: Clock
  /** Told once the change has committed; not on a refusal. */
  readonly onTaskChanged?: TaskChangeListener | undefined
}

export type AssignmentProblemCode =
  /** Decided or withdrawn: nobody works it any more. */
  | 'taskNotOpen'
  /** Not a user who may decide tasks in the task's region (or not active, or no such user). */
  | 'assigneeNotEligible'
  /** A caseworker assigning someone else, or taking or giving up someone else's task. */
  | 'assignedToSomeoneElse'
  | 'mayNotAssignOthers'
  /** Already assigned to that person, or already unassigned: nothing to change. */
  | 'unchanged'

export type AssignmentResult =
  | { readonly kind: 'changed'; readonly taskId: number; readonly version: number }
  /** The task changed since the user saw it (decided, assigned, …): nothing was changed. */
  | { readonly kind: 'stale'; readonly taskId: number }
  /** No such task, or in a region the user may not see: deliberately indistinguishable. */
  | { readonly kind: 'not-found'; readonly taskId: number }
  | {
      readonly kind: 'refused'
      readonly taskId: number
      readonly code: AssignmentProblemCode
      /** The name of whoever has the task, for "assigned to someone else". */
      readonly assigneeName?: string
    }

/** One task's assignment change, in a transaction of its own. */
export async function assignTask(db: Kysely<Tables>, input: AssignTaskInput): Promise<AssignmentResult> {
  const { taskId } = input
  if (!Number.isSafeInteger(taskId) || taskId < 1) return { kind: 'not-found', taskId }
  if (!Number.isSafeInteger(input.expectedVersion) || input.expectedVersion < 1) {
    return { kind: 'stale', taskId }
  }
  const result = await db.transaction().execute((trx) => changeAssignment(trx, input))
  if (result.kind !== 'changed') return result
  input.onTaskChanged?.({ romRegion: result.romRegion })
  return { kind: 'changed', taskId, version: result.version }
}

type Outcome =
  | { readonly kind: 'changed'; readonly version: number; readonly romRegion: string }
  | Exclude<AssignmentResult, { kind: 'changed' }>

async function changeAssignment(trx: Transaction<Tables>, input: AssignTaskInput): Promise<Outcome> {
  const { taskId, user, change } = input
  // Locked until commit: a decision or another assignment of this task waits, then finds a new version.
  const task = await trx
    .selectFrom('tasks as t')
    .leftJoin('users as a', 'a.id', 't.assigned_to')
    .select(['t.id', 't.version', 't.status', 't.rom_region', 't.assigned_to', 'a.name as assignee_name'])
    .where('t.id', '=', taskId)
    .where((eb) => inScope(eb, 't.rom_region', user.regions))
    .forUpdate('t')
    .executeTakeFirst()
  if (!task) return { kind: 'not-found', taskId }
  if (task.version !== input.expectedVersion) return { kind: 'stale', taskId }
  if (!ASSIGNABLE_STATUSES.includes(task.status)) return { kind: 'refused', taskId, code: 'taskNotOpen' }

  const current = task.assigned_to
  const next = change.kind === 'assign' ? change.assignee : null
  if (current === next) return { kind: 'refused', taskId, code: 'unchanged' }
  if (!user.mayAssignOthers) {
    if (next !== null && next !== user.id) return { kind: 'refused', taskId, code: 'mayNotAssignOthers' }
    // Taking someone else's task, or giving it up for them, is a manager's call.
    if (current !== null && current !== user.id) {
      return {
        kind: 'refused',
        taskId,
        code: 'assignedToSomeoneElse',
        assigneeName: task.assignee_name ?? current,
      }
    }
  }
  if (next !== null && !(await mayWorkIn(trx, next, task.rom_region))) {
    return { kind: 'refused', taskId, code: 'assigneeNotEligible' }
  }

  const now = input.clock.now()
  const updated = await trx
    .updateTable('tasks')
    .set({ assigned_to: next, assigned_at: now, version: sql<number>`version + 1` })
    .where('id', '=', taskId)
    .where('version', '=', input.expectedVersion)
    .returning(['version'])
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('task_assignments')
    .values({
      task_id: taskId,
      task_version: updated.version,
      kind: next === null ? 'UNASSIGNED' : 'ASSIGNED',
      occurred_at: now,
      assignee: next,
      previous_assignee: current,
      changed_by: user.id,
    })
    .execute()
  // Last, as it locks the region's counter until commit.
  await countRegionChange(trx, { romRegion: task.rom_region, taskId })
  return { kind: 'changed', version: updated.version, romRegion: task.rom_region }
}

/** Whether the user is active, may decide tasks, and works in the region. */
async function mayWorkIn(db: Kysely<Tables>, userId: string, region: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('active', '=', true)
    .where(sql<boolean>`roles && ${sql.val([...rolesHolding('tasks:decide')])}::text[]`)
    .where((eb) => eb.or([eb('all_regions', '=', true), sql<boolean>`${region} = any(regions)`]))
    .executeTakeFirst()
  return row !== undefined
}

export interface Assignee {
  readonly id: string
  readonly name: string
}

/** The people a manager may give a region's tasks to: active users who decide tasks there, by name. */
export async function assigneesOf(db: Kysely<Tables>, region: string): Promise<Assignee[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('active', '=', true)
    .where(sql<boolean>`roles && ${sql.val([...rolesHolding('tasks:decide')])}::text[]`)
    .where((eb) => eb.or([eb('all_regions', '=', true), sql<boolean>`${region} = any(regions)`]))
    .orderBy('name')
    .orderBy('id')
    .execute()
}

/**
 * The decision guard's part for assignment: a task someone else is working
 * may be decided only when the decider has confirmed it (decideAnyway). A
 * decided task's assignee is history, not a claim: changing that decision
 * needs no confirmation.
 */
export function assignmentAllowsDecision(
  eb: ExpressionBuilder<Tables, 'tasks'>,
  deciderId: string,
  decideAnyway: boolean,
): Expression<SqlBool> {
  if (decideAnyway) return eb.val(true)
  return eb.or([
    eb('assigned_to', 'is', null),
    eb('assigned_to', '=', deciderId),
    eb('status', 'not in', [...ASSIGNABLE_STATUSES]),
  ])
}

/**
 * In a decision's transaction: the decider confirmed deciding a task
 * assigned to someone else, and the history says so. The assignment stays
 * as it was: the task was decided, and who was working it is part of its
 * story.
 */
export async function recordDecidedWhileAssigned(
  trx: Transaction<Tables>,
  decision: {
    readonly taskId: number
    readonly taskVersion: number
    readonly assignee: string
    readonly deciderId: string
    readonly at: Date
  },
): Promise<void> {
  await trx
    .insertInto('task_assignments')
    .values({
      task_id: decision.taskId,
      task_version: decision.taskVersion,
      kind: 'DECIDED_WHILE_ASSIGNED',
      occurred_at: decision.at,
      assignee: decision.assignee,
      previous_assignee: decision.assignee,
      changed_by: decision.deciderId,
    })
    .execute()
}
