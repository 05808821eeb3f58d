/**
 * Why a guarded decision (decisions.ts) changed nothing, for the page to say
 * so: the task changed since the caseworker saw it (stale, with who changed
 * it and when: a decision, a rule run or an assignment), someone else is
 * working it and the caseworker has not confirmed deciding it anyway, or it
 * is not theirs to see at all (not found, exactly as a task that does not
 * exist).
 */
import type { Kysely } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { Tables } from '../db/tables.ts'
import { ASSIGNABLE_STATUSES } from './assignment.ts'
import type { TaskStatus } from './task.ts'

/** Who last changed a task the caseworker tried to decide on an older version. */
export interface CurrentTaskState {
  readonly status: TaskStatus
  readonly version: number
  /** User ID; null when the rules changed it (a withdrawal). */
  readonly changedBy: string | null
  readonly changedByName: string | null
  readonly changedAt: Date
}

export type DecisionRefusal =
  | { readonly kind: 'stale'; readonly current: CurrentTaskState }
  | { readonly kind: 'not-found' }
  /** Assigned to someone else, and the decider did not confirm deciding it anyway. */
  | { readonly kind: 'assigned-to-someone-else'; readonly assigneeName: string }

export async function whyNotDecided(
  db: Kysely<Tables>,
  input: {
    readonly taskId: number
    readonly expectedVersion: number
    readonly user: { readonly id: string; readonly regions: RegionScope }
  },
): Promise<DecisionRefusal> {
  const row = await db
    .selectFrom('tasks')
    .leftJoin('users', 'users.id', 'tasks.status_changed_by')
    .leftJoin('users as assigner', 'assigner.id', 'tasks.assigned_to')
    .select([
      'tasks.status',
      'tasks.version',
      'tasks.status_changed_by',
      'tasks.status_changed_at',
      'users.name as changed_by_name',
      'tasks.assigned_to',
      'tasks.assigned_at',
      'assigner.name as assignee_name',
    ])
    .where('tasks.id', '=', input.taskId)
    .where((eb) => inScope(eb, 'tasks.rom_region', input.user.regions))
    .executeTakeFirst()
  if (!row) return { kind: 'not-found' }
  const assignedToOther =
    row.assigned_to !== null && row.assigned_to !== input.user.id && ASSIGNABLE_STATUSES.includes(row.status)
  if (row.version === input.expectedVersion && assignedToOther && row.assigned_to !== null) {
    return { kind: 'assigned-to-someone-else', assigneeName: row.assignee_name ?? row.assigned_to }
  }
  const statusChangedAt = new Date(row.status_changed_at)
  // The latest change is an assignment's when it came after the last status change.
  const assignedAt = row.assigned_at === null ? null : new Date(row.assigned_at)
  if (assignedAt !== null && assignedAt > statusChangedAt) {
    const assignment = await db
      .selectFrom('task_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.changed_by')
      .select(['a.changed_by', 'u.name'])
      .where('a.task_id', '=', input.taskId)
      .orderBy('a.id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return {
      kind: 'stale',
      current: {
        status: row.status,
        version: row.version,
        changedBy: assignment?.changed_by ?? null,
        changedByName: assignment?.name ?? null,
        changedAt: assignedAt,
      },
    }
  }
  return {
    kind: 'stale',
    current: {
      status: row.status,
      version: row.version,
      changedBy: row.status_changed_by,
      changedByName: row.changed_by_name,
      changedAt: statusChangedAt,
    },
  }
}
