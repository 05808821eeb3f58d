/**
 * The review lists as the pages (and anything else that lists tasks) use
 * them: the tab counts and a page of a tab for a region and search, on the
 * service's "today" and retention periods.
 *
 * One is built for the process (src/services.ts). It owns the page indexes
 * and counts kept for a while (page-index-cache.ts), and is told when a task
 * changes (taskChanged, subscribed to the tasks' TaskChangeListener) so that
 * the region's lists are counted afresh; a change through another instance
 * moves the region's stamp, read with every request, to the same effect. A page's rows are read through the
 * pool whose statements are planned once (Database.planOnce): a page of a
 * list is an ordered index scan whatever the search.
 */
import type { RegionScope } from '../access/region-scope.ts'
import { type AuditActor, recordAuditEvent, type SearchCriteria } from '../audit/events.ts'
import type { Clock } from '../clock.ts'
import type { Database } from '../db/connect.ts'
import type { TaskChange } from '../tasks/task-changes.ts'
import { DEFAULT_ORDER, isDefaultOrder, type ListOrder } from './list-order.ts'
import type { SortKey } from './list-query.ts'
import { ANYONE, type AssignedFilter, type ListWhere } from './list-query.ts'
import {
  lastPage,
  listTasks,
  listTasksFrom,
  type ReviewTab,
  type TabCounts,
  type TaskListPage,
  type TasksFrom,
} from './lists.ts'
import { listStamp, PageIndexCache } from './page-index-cache.ts'
import type { RetentionDays } from './retention.ts'
import type { TaskSearch } from './search.ts'

/** Which tasks: a region, within what the user may see, and the search (null before there is one). */
export interface ListRequest {
  readonly region: string
  readonly scope: RegionScope
  readonly search: TaskSearch | null
  /** Whose tasks; anyone's when not given. */
  readonly assigned?: AssignedFilter
}

export interface ShownPage {
  readonly list: TaskListPage
  readonly counts: TabCounts
  /** The tab's last page (1 when it is empty). */
  readonly lastPage: number
}

export interface ReviewListsDependencies {
  readonly database: Pick<Database, 'db' | 'planOnce'>
  readonly clock: Clock
  readonly retention: RetentionDays
  /** A cache of its own, for tests that move its clock; one with the usual limits otherwise. */
  readonly cache?: PageIndexCache
}

export class ReviewLists {
  readonly #database: Pick<Database, 'db' | 'planOnce'>
  readonly #clock: Clock
  readonly #retention: RetentionDays
  readonly #cache: PageIndexCache

  constructor(deps: ReviewListsDependencies) {
    this.#database = deps.database
    this.#clock = deps.clock
    this.#retention = deps.retention
    this.#cache = deps.cache ?? new PageIndexCache()
  }

  /** How many tasks each tab holds. */
  async counts(request: ListRequest): Promise<TabCounts> {
    const { db } = this.#database
    return this.#cache.countsFor(db, this.#where(request), await this.#stamp(request))
  }

  /** The last page a tab has (1 when it is empty). */
  async lastPage(tab: ReviewTab, request: ListRequest): Promise<number> {
    const { db } = this.#database
    const index = await this.#cache.indexFor(db, tab, this.#where(request), await this.#stamp(request))
    return lastPage(index.total)
  }

  /**
   * A page of a tab with every tab's count, for the user `viewerId`;
   * undefined past the tab's last page. The page is a search of people's
   * data, so it is audited (criteria and result count) before it is handed
   * back: a page the audit cannot record is not shown.
   */
  async page(
    tab: ReviewTab,
    request: ListRequest,
    page: number,
    viewerId: string,
    order: ListOrder = DEFAULT_ORDER,
  ): Promise<ShownPage | undefined> {
    const { db, planOnce } = this.#database
    const where = this.#where(request)
    const stamp = await this.#stamp(request)
    const index = await this.#cache.indexFor(db, tab, where, stamp)
    if (page > lastPage(index.total)) return undefined
    const [counts, list] = await Promise.all([
      this.#cache.countsFor(db, where, stamp),
      // Another order numbers the whole tab: planned afresh, as its best plan depends on the tab's size.
      isDefaultOrder(order)
        ? listTasks(planOnce, tab, where, page, index)
        : listTasks(db, tab, where, page, index, order),
    ])
    await recordAuditEvent(db, {
      kind: 'search',
      at: this.#clock.now(),
      userId: viewerId,
      region: request.region,
      tab,
      criteria: searchCriteria(request.search),
      page,
      results: list.total,
    })
    return { list, counts, lastPage: lastPage(list.total, list.pageSize) }
  }

  /**
   * Up to `limit` tasks of a tab from the sort key `start` on (the top when
   * null), and where the next lot starts: paging by key for the API, with no
   * page index kept. Audited as a search by `actor`, as a page is, the lot's
   * number (1 for the first) as its page and the tasks in it as its results.
   */
  async tasksFrom(
    tab: ReviewTab,
    request: ListRequest,
    from: { readonly start: SortKey | null; readonly lot: number; readonly limit: number },
    actor: AuditActor,
  ): Promise<TasksFrom> {
    const { db } = this.#database
    const found = await listTasksFrom(db, tab, this.#where(request), from.start, from.limit)
    await recordAuditEvent(db, {
      kind: 'search',
      at: this.#clock.now(),
      ...actor,
      region: request.region,
      tab,
      criteria: searchCriteria(request.search),
      page: from.lot,
      results: found.rows.length,
    })
    return found
  }

  /** A task changed status: its region's counts and page starts have moved. */
  readonly taskChanged = (change: TaskChange): void => {
    this.#cache.forgetRegion(change.romRegion)
  }

  /** Forgets everything kept: the tasks changed behind the process's back (a test emptying the tables). */
  forgetAll(): void {
    this.#cache.forgetAll()
  }

  /** What the region's kept indexes and counts must have been built under (listStamp). */
  #stamp(request: ListRequest): Promise<string> {
    return listStamp(this.#database.planOnce, request.region)
  }

  #where(request: ListRequest): ListWhere {
    return {
      region: request.region,
      scope: request.scope,
      search: request.search,
      assigned: request.assigned ?? ANYONE,
      today: this.#clock.today(),
      retention: this.#retention,
    }
  }
}

/** A search as the audit keeps it: only the criteria given (none for a tab listed without a search). */
function searchCriteria(search: TaskSearch | null): SearchCriteria {
  if (!search) return {}
  return {
    taskTypes: search.taskTypes,
    from: search.from,
    to: search.to,
    ...(search.countries.length > 0 ? { countries: search.countries } : {}),
    ...(search.location ? { location: search.location } : {}),
  }
}
