/**
 * Page indexes (page-index.ts) and tab counts kept in the process for a
 * short while, so that going through a search's pages, or ten caseworkers
 * on the same search, costs one pass over the index, not one per page shown.
 *
 * Only where pages start and the totals (page count, tab counts) come from
 * here; the rows of a page are always read live. Each is kept under the
 * stamp it was built with (listStamp: the rule runs and the region's
 * decisions, read from the database with every request), and rebuilt:
 *
 * - when the stamp has moved: a rule run has started or finished, or a
 *   decision in the region has committed, through this instance or any
 *   other (the region's counter, migration 0017). Every instance of the
 *   service reads the same stamp, so none shows a count another has moved;
 * - after MAX_AGE_MS, so a change no stamp counts (a task written by hand)
 *   shows within that time. The old one still answers while the new one is
 *   built in the background, so a busy search never makes its users wait
 *   for its rebuild.
 *
 * Callers asking for the same index while it is being built share the one
 * build. A failed build is not kept.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { ListWhere } from './list-query.ts'
import { countTabs, indexTab, type ReviewTab, type TabCounts } from './lists.ts'
import type { PageIndex } from './page-index.ts'

/** How long an index serves before it is rebuilt (in the background). */
export const MAX_AGE_MS = 30_000
/** Searches remembered at once; an index of a national search is a few hundred kilobytes. */
export const MAX_ENTRIES = 200

interface Entry {
  readonly region: string
  readonly builtAt: number
  readonly stamp: string
  readonly value: Promise<unknown>
}

export interface PageIndexCacheOptions {
  readonly maxAgeMs?: number
  readonly maxEntries?: number
  /** Milliseconds since the epoch; tests move it to see an index expire. */
  readonly now?: () => number
}

export class PageIndexCache {
  readonly #entries = new Map<string, Entry>()
  readonly #refreshing = new Map<string, Promise<void>>()
  readonly #maxAgeMs: number
  readonly #maxEntries: number
  readonly #now: () => number

  constructor(options: PageIndexCacheOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS
    this.#maxEntries = options.maxEntries ?? MAX_ENTRIES
    this.#now = options.now ?? Date.now
  }

  /**
   * The tab's page index for this search, built now or at most maxAgeMs ago
   * under the same stamp (see listStamp).
   */
  indexFor(db: Kysely<Tables>, tab: ReviewTab, where: ListWhere, stamp: string): Promise<PageIndex> {
    return this.#remember(cacheKey(tab, where), where.region, stamp, () => indexTab(db, tab, where))
  }

  /** The tab counts for this search, kept as the page indexes are (Recommended's total is its index's). */
  countsFor(db: Kysely<Tables>, where: ListWhere, stamp: string): Promise<TabCounts> {
    return this.#remember(cacheKey('counts', where), where.region, stamp, async () => {
      const recommended = await this.indexFor(db, 'recommended', where, stamp)
      return countTabs(db, where, { recommended: recommended.total })
    })
  }

  #remember<T>(key: string, region: string, stamp: string, build: () => Promise<T>): Promise<T> {
    const now = this.#now()
    const cached = this.#entries.get(key)
    if (cached && cached.stamp === stamp) {
      // Most recently used last, so the oldest unused entry is the first to go.
      this.#entries.delete(key)
      this.#entries.set(key, cached)
      // Too old: still answer with it while a fresh one is built, so that
      // nobody waits for the rebuild of a busy search.
      if (now - cached.builtAt >= this.#maxAgeMs) this.#refresh(key, cached, build)
      return cached.value as Promise<T>
    }
    return this.#store(key, { region, builtAt: now, stamp, value: build() })
  }

  #store<T>(key: string, entry: Entry & { readonly value: Promise<T> }): Promise<T> {
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key)
    })
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break
      this.#entries.delete(oldest)
    }
    return entry.value
  }

  /** Rebuilds an entry in the background and swaps it in, unless it was forgotten or replaced meanwhile. */
  #refresh<T>(key: string, stale: Entry, build: () => Promise<T>): void {
    if (this.#refreshing.has(key)) return
    const builtAt = this.#now()
    const done = build()
      .then((value) => {
        if (this.#entries.get(key) === stale) {
          this.#store(key, { ...stale, builtAt, value: Promise.resolve(value) })
        }
      })
      // A failed rebuild leaves the old entry to try again on the next request.
      .catch(() => undefined)
      .finally(() => this.#refreshing.delete(key))
    this.#refreshing.set(key, done)
  }

  /** Resolves once every background rebuild started so far has finished (for tests). */
  async refreshed(): Promise<void> {
    await Promise.all([...this.#refreshing.values()])
  }

  /**
   * Drops everything kept for the region: a task in it has changed status
   * through this process. The region's stamp has moved too, so this only
   * frees the memory at once rather than at the next request.
   */
  forgetRegion(region: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.region === region) this.#entries.delete(key)
    }
  }

  /** Drops everything: the data changed behind the process's back (a test emptying the tables). */
  forgetAll(): void {
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}

/** Everything a page index depends on. The scope is narrowed to the region, as the queries narrow it. */
function cacheKey(what: ReviewTab | 'counts', where: ListWhere): string {
  const seesRegion = where.scope.all || where.scope.codes.includes(where.region)
  return JSON.stringify([
    what,
    where.region,
    seesRegion,
    where.today,
    where.retention.acceptedDays,
    where.retention.rejectedDays,
    where.search,
    where.assigned,
  ])
}

/**
 * Changes whenever a rule run starts or finishes, and whenever a decision in
 * the region commits (the region's counter, bumped in the decision's
 * transaction: src/tasks/region-changes.ts). One round trip: rule_runs holds
 * a row per run, a few a day, and review_list_changes a few rows per region.
 */
export async function listStamp(db: Kysely<Tables>, region: string): Promise<string> {
  const { rows } = await sql<{ stamp: string }>`
    select concat_ws('/',
      (select coalesce(max(id), 0) from rule_runs),
      (select coalesce(max(finished_at)::text, '') from rule_runs),
      (select count(*) from rule_runs),
      (select coalesce(sum(changes), 0) from review_list_changes where rom_region = ${region})
    ) as stamp`.execute(db)
  return rows[0]?.stamp ?? ''
}
