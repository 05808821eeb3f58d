/**
 * Contests on the dashboard: for the contests recorded in the date range
 * and the user's regions (and task type, when one is chosen), how many,
 * how many are still open, how many upheld and changed, and the days from
 * receiving them to their outcome, overall and by task type and the rule
 * version of the task contested. The same filters as the dashboard's other
 * figures, so they can be read side by side.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { DashboardCriteria } from './dashboard.ts'
import { londonDayRange, regionCondition } from './report-query.ts'

export interface ContestFigures {
  readonly recorded: number
  readonly open: number
  readonly upheld: number
  readonly changed: number
  /** Median whole days from receipt to outcome, over the decided ones; null when none is decided. */
  readonly medianDaysToOutcome: number | null
  readonly longestDaysToOutcome: number | null
}

export interface ContestGroup extends ContestFigures {
  readonly taskTypeName: string
  readonly ruleSetVersion: string
}

export interface ContestStats {
  readonly total: ContestFigures
  readonly groups: readonly ContestGroup[]
}

interface FigureRow {
  readonly task_type_name: string | null
  readonly rule_set_version: string | null
  readonly recorded: number | string
  readonly open: number | string
  readonly upheld: number | string
  readonly changed: number | string
  readonly median_days: number | string | null
  readonly longest_days: number | string | null
}

function figuresOf(row: FigureRow): ContestFigures {
  const orNull = (value: number | string | null) => (value === null ? null : Number(value))
  return {
    recorded: Number(row.recorded),
    open: Number(row.open),
    upheld: Number(row.upheld),
    changed: Number(row.changed),
    medianDaysToOutcome: orNull(row.median_days),
    longestDaysToOutcome: orNull(row.longest_days),
  }
}

export async function contestStats(db: Kysely<Tables>, criteria: DashboardCriteria): Promise<ContestStats> {
  const taskType = criteria.taskType ? sql`t.task_type = ${criteria.taskType}` : sql`true`
  // One pass: grouping sets give the groups and the total together.
  const { rows } = await sql<FigureRow>`
    with c as (
      select tt.name as task_type_name, t.rule_set_version, c.outcome,
        case when c.decided_at is null then null
          else (c.decided_at at time zone 'Europe/London')::date - c.received_on end as days
      from contests c
        join tasks t on t.id = c.task_id
        join task_types tt on tt.code = t.task_type
      where ${londonDayRange(sql.ref('c.recorded_at'), criteria.from, criteria.to)}
        and ${regionCondition(sql.ref('c.rom_region'), criteria.scope)}
        and ${taskType}
    )
    select task_type_name, rule_set_version,
      count(*) as recorded,
      count(*) filter (where outcome is null) as open,
      count(*) filter (where outcome = 'UPHELD') as upheld,
      count(*) filter (where outcome = 'CHANGED') as changed,
      percentile_disc(0.5) within group (order by days) as median_days,
      max(days) as longest_days
    from c
    group by grouping sets ((task_type_name, rule_set_version), ())
    order by task_type_name nulls first, rule_set_version`.execute(db)
  const total = rows.find((row) => row.task_type_name === null)
  return {
    total: total
      ? figuresOf(total)
      : {
          recorded: 0,
          open: 0,
          upheld: 0,
          changed: 0,
          medianDaysToOutcome: null,
          longestDaysToOutcome: null,
        },
    groups: rows
      .filter((row) => row.task_type_name !== null)
      .map((row) => ({
        ...figuresOf(row),
        taskTypeName: row.task_type_name ?? '',
        ruleSetVersion: row.rule_set_version ?? '',
      })),
  }
}
