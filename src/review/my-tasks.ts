/**
 * "My tasks": the open tasks (recommended or on hold) assigned to the user,
 * in every region they may work in, in the lists' order (highest priority,
 * earliest reporting date). Found through tasks_assigned (migration 0020):
 * a user has at most a few hundred tasks assigned, so one page holds them.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import { ASSIGNABLE_STATUSES } from '../tasks/assignment.ts'
import type { TaskStatus } from '../tasks/task.ts'
import type { TaskQueryTables } from './list-query.ts'

/** More than anyone works at once: the page says when there are more. */
export const MY_TASKS_LIMIT = 500

export interface MyTask {
  readonly taskId: number
  readonly name: string
  readonly region: string
  readonly reportingDate: IsoDate | null
  readonly taskType: string
  readonly priority: number
  readonly status: TaskStatus
}

export async function myTasks(db: Kysely<Tables>, userId: string, scope: RegionScope): Promise<MyTask[]> {
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('persons as p', 'p.person_id', 't.person_id')
    .leftJoin('task_types as tt', 'tt.code', 't.task_type')
    .select([
      't.id',
      'p.given_names',
      'p.family_name',
      't.rom_region',
      't.reporting_date',
      't.task_type',
      'tt.name as task_type_name',
      't.priority',
      't.status',
    ])
    .where('t.assigned_to', '=', userId)
    .where('t.status', 'in', [...ASSIGNABLE_STATUSES])
    // Assigned while they worked in a region they have since left: not theirs to see any more.
    .where((eb) => inScope(eb as ExpressionBuilder<TaskQueryTables, 't'>, 't.rom_region', scope))
    .orderBy(sql`-t.priority, coalesce(t.reporting_date, 'infinity'::date), t.id`)
    .limit(MY_TASKS_LIMIT + 1)
    .execute()
  return rows.map((row) => ({
    taskId: Number(row.id),
    name: `${row.given_names} ${row.family_name}`.trim(),
    region: row.rom_region,
    reportingDate: row.reporting_date as IsoDate | null,
    taskType: row.task_type_name ?? row.task_type,
    priority: Number(row.priority),
    status: row.status,
  }))
}
