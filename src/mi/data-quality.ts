/**
 * The data-quality list: rejections whose reasons say the source data is
 * wrong or out of date ("Source data incorrect", "Circumstances changed", or
 * whichever reasons the reference data marks as raising a data-quality
 * item), with the caseworker's explanation, so the owning system's team can
 * correct the record the rules read.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables, TaskStatus } from '../db/tables.ts'
import type { MiReportCriteria } from './report-query.ts'
import { londonDayRange, regionCondition } from './report-query.ts'

export interface DataQualityItem {
  readonly taskId: number
  readonly rejectedAt: Date
  /** London wall-clock time, 'YYYY-MM-DD HH:MM:SS', for the CSV. */
  readonly rejectedOn: string
  readonly personId: string
  readonly homeOfficeReference: string
  readonly fullName: string
  readonly taskType: string
  readonly region: string
  /** The data-quality reasons ticked, in reference-data order. */
  readonly reasons: readonly string[]
  readonly explanation: string
  readonly rejectedBy: string
  readonly rejectedByName: string | null
  /** The task's status now: a later decision may have changed it. */
  readonly currentStatus: TaskStatus
}

export async function dataQualityItems(
  db: Kysely<Tables>,
  criteria: MiReportCriteria,
): Promise<DataQualityItem[]> {
  const result = await sql<DataQualityItem>`
    select
      t.id as "taskId",
      e.occurred_at as "rejectedAt",
      to_char(e.occurred_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI:SS') as "rejectedOn",
      p.person_id as "personId",
      p.home_office_reference as "homeOfficeReference",
      p.given_names || ' ' || p.family_name as "fullName",
      tt.name as "taskType",
      rr.name as region,
      array(
        select r.label from rejection_reasons r
        where r.code = any(e.reasons) and r.raises_data_quality_item
        order by r.position
      ) as reasons,
      coalesce(e.details, '') as explanation,
      e.user_id as "rejectedBy",
      u.name as "rejectedByName",
      t.status as "currentStatus"
    from task_events e
      join tasks t on t.id = e.task_id
      join persons p on p.person_id = t.person_id
      join task_types tt on tt.code = t.task_type
      join rom_regions rr on rr.code = t.rom_region
      left join users u on u.id = e.user_id
    where e.status = 'REJECTED'
      and e.reasons && array(select code from rejection_reasons where raises_data_quality_item)
      and ${londonDayRange(sql.ref('e.occurred_at'), criteria.from, criteria.to)}
      and ${regionCondition(sql.ref('t.rom_region'), criteria.scope)}
    order by e.occurred_at desc, e.id desc`.execute(db)
  return result.rows
}
