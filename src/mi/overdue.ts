/**
 * The dashboard's overdue work: open tasks (recommended or on hold) whose
 * due date (src/db/working-days.ts) is before today, counted by task type
 * and region, in the user's regions and for the chosen task type. It is the
 * state of the work today, whatever the dashboard's date range.
 */
import { type Kysely, sql } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import { DUE_DATE } from '../db/working-days.ts'
import type { DashboardCriteria } from './dashboard.ts'
import { regionCondition } from './report-query.ts'

export interface OverdueCount {
  readonly taskType: string
  readonly region: string
  /** Open tasks past their due date. */
  readonly overdue: number
  /** Every open task of the type and region, for the share overdue. */
  readonly open: number
}

export async function overdueCounts(
  db: Kysely<Tables>,
  criteria: DashboardCriteria,
  today: IsoDate,
): Promise<OverdueCount[]> {
  const { rows } = await sql<{
    task_type: string
    region: string
    overdue: string | number
    open: string | number
  }>`
    select tt.name as task_type, rr.name as region,
      count(*) filter (where open_tasks.due < ${today}::date) as overdue,
      count(*) as open
    from (
      select t.task_type, t.rom_region, ${DUE_DATE} as due
      from tasks t
      where t.status in ('RECOMMENDED', 'ON_HOLD')
        and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}
        and (${criteria.taskType ?? null}::text is null or t.task_type = ${criteria.taskType ?? null}::text)
    ) open_tasks
      join task_types tt on tt.code = open_tasks.task_type
      join rom_regions rr on rr.code = open_tasks.rom_region
    group by tt.name, tt.position, rr.name, rr.position
    order by tt.position, rr.position`.execute(db)
  return rows.map((row) => ({
    taskType: row.task_type,
    region: row.region,
    overdue: Number(row.overdue),
    open: Number(row.open),
  }))
}
