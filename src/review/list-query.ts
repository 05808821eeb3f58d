/**
 * The SQL a review tab is made of, shared by counting, listing and the page
 * index: which tasks a tab holds (region, search, status and retention) and
 * the order they are listed in.
 *
 * The order is written on the expressions of the tasks_review_order index
 * (migration 0007): -priority, the reporting date with "none" as infinity,
 * and the task. Ascending on all three is the same order as highest
 * priority, earliest date (none last), oldest task; written this way the
 * index returns rows already in order, and "from this row on" is one row
 * comparison the index can seek to.
 */
import { type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely'
import { inScope, narrowTo, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables, TaskStatus } from '../db/tables.ts'
import { type RetentionDays, retentionStart } from './retention.ts'
import type { TaskSearch } from './search.ts'

/** Whose tasks a list shows: "Anyone", "Unassigned" or "Assigned to me" (the user's ID). */
export type AssignedFilter =
  | { readonly kind: 'anyone' }
  | { readonly kind: 'unassigned' }
  | { readonly kind: 'to'; readonly userId: string }

export const ANYONE: AssignedFilter = { kind: 'anyone' }

/** Where to look: a region, within what the user may see, on a given day. */
export interface ListWhere {
  readonly region: string
  readonly scope: RegionScope
  readonly today: IsoDate
  readonly retention: RetentionDays
  /** Null before the caseworker has searched: every task in the region. */
  readonly search: TaskSearch | null
  /** Whose tasks (anyone's when absent): answered from the index, which includes assigned_to (migration 0020). */
  readonly assigned?: AssignedFilter
}

export type TaskQueryTables = Tables & { t: Tables['tasks'] }

/**
 * Where a task sits in a tab's order, as text so that it goes back to SQL
 * exactly as it came (priority is numeric; the date may be 'infinity').
 */
export interface SortKey {
  readonly negPriority: string
  readonly date: string
  readonly id: string
}

/** The tab order, on alias t. Keep it identical to the index's expressions. */
export const TAB_ORDER = sql`-t.priority, coalesce(t.reporting_date, 'infinity'::date), t.id`

/** The sort key of alias t's row, as text (see SortKey). */
export const SORT_KEY_COLUMNS = {
  negPriority: sql<string>`(-t.priority)::text`,
  date: sql<string>`coalesce(t.reporting_date, 'infinity'::date)::text`,
  id: sql<string>`t.id::text`,
} as const

/** Alias t's row is at `key` or after it in the tab order. */
export function atOrAfter(key: SortKey): RawBuilder<boolean> {
  return sql<boolean>`(-t.priority, coalesce(t.reporting_date, 'infinity'::date), t.id) >= (${key.negPriority}::numeric, ${key.date}::date, ${key.id}::bigint)`
}

/**
 * The tasks a tab of `status` holds: the region and search, the status, and
 * for decided tabs the retention window. The person is joined only when the
 * search filters on the person's own data (nationality, location). The
 * region is narrowed to the user's scope in SQL: a region the user may not
 * see yields nothing at all.
 *
 * The search's reporting-date range narrows only the Recommended tab: it
 * chooses which coming reporting events to prepare for, while the decided
 * tabs hold work already done (or paused), which must stay reachable
 * whatever its reporting date, even one now past (docs/decisions/0020).
 */
export function tabTasks(db: Kysely<Tables>, status: TaskStatus, where: ListWhere) {
  const scope = narrowTo(where.scope, where.region)
  const search = where.search
  const needsPerson = search !== null && (search.countries.length > 0 || search.location !== null)
  let query = db
    .selectFrom('tasks as t')
    .where((eb) => inScope(eb as ExpressionBuilder<TaskQueryTables, 't'>, 't.rom_region', scope))
    .where('t.rom_region', '=', where.region)
    .where(statusCondition(status, where))
  const assigned = where.assigned ?? ANYONE
  if (assigned.kind === 'unassigned') query = query.where('t.assigned_to', 'is', null)
  if (assigned.kind === 'to') query = query.where('t.assigned_to', '=', assigned.userId)
  if (search) {
    query = query.where('t.task_type', 'in', [...search.taskTypes])
  }
  if (search && status === 'RECOMMENDED') {
    // A task tied to no reporting event (a follow-up of missed reporting, an
    // old barrier, a safeguarding referral) is due now: every search for its
    // task type finds it, whatever the date range.
    query = query.where((eb) =>
      eb.or([eb.between('t.reporting_date', search.from, search.to), eb('t.reporting_date', 'is', null)]),
    )
  }
  if (needsPerson && search) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('persons as p')
          .select(sql.lit(1).as('one'))
          .whereRef('p.person_id', '=', 't.person_id')
          .$if(search.countries.length > 0, (q) => q.where('p.nationality', 'in', [...search.countries]))
          .$if(search.location !== null, (q) => q.where('p.reporting_location', '=', search.location ?? '')),
      ),
    )
  }
  return query
}

/** A task of this status that is still listed today (decided tasks leave their tab after retention). */
function statusCondition(status: TaskStatus, where: ListWhere) {
  return (eb: ExpressionBuilder<TaskQueryTables, 't'>) => {
    const isStatus = eb('t.status', '=', status)
    const start = retentionStart(status, where.today, where.retention)
    if (start === null) return isStatus
    return eb.and([
      isStatus,
      eb('t.status_changed_at', '>=', sql<Date>`${start}::date::timestamp at time zone 'Europe/London'`),
    ])
  }
}
