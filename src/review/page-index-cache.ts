/**
 * Page indexes (page-index.ts) and tab counts kept in the process for a
 * short while, so that going through a search's pages, or ten caseworkers
 * on the same search, costs one pass over the index, not one per page shown.
 *
 * Only where pages start and the totals (page count, tab counts) come from
 * here; the rows of a page are always read live. Both are rebuilt:
 *
 * - after MAX_AGE_MS, so a change made elsewhere (another server, a task
 *   written by hand) shows within that time. The old one still answers
 *   while the new one is built in the background, so a busy search never
 *   makes its users wait for its rebuild;
 * - when a rule run has started or finished since it was built (the rule
 *   runs' stamp, read at most once a second: rule runs are the changes that
 *   move thousands of tasks, and they run in another process);
 * - when a decision in its region is made through this process (forgetRegion,
 *   called by the review-list service that owns the cache: list-service.ts).
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
/**
 * How long the rule runs' stamp is trusted before it is read again: a list
 * request then costs one query fewer, and a rule run that starts or
 * finishes shows within this time.
 */
export const STAMP_MAX_AGE_MS = 1_000

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
  #stamp: { readonly readAt: number; readonly value: Promise<string> } | undefined
  readonly #maxAgeMs: number
  readonly #maxEntries: number
  readonly #now: () => number

  constructor(options: PageIndexCacheOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS
    this.#maxEntries = options.maxEntries ?? MAX_ENTRIES
    this.#now = options.now ?? Date.now
  }

  /**
   * The rule runs' stamp (ruleRunStamp), read at most STAMP_MAX_AGE_MS ago;
   * callers asking meanwhile share one read. A failed read is not kept.
   */
  stampOf(db: Kysely<Tables>): Promise<string> {
    const now = this.#now()
    if (this.#stamp && now - this.#stamp.readAt < STAMP_MAX_AGE_MS) return this.#stamp.value
    const read = { readAt: now, value: ruleRunStamp(db) }
    this.#stamp = read
    read.value.catch(() => {
      if (this.#stamp === read) this.#stamp = undefined
    })
    return read.value
  }

  /**
   * The tab's page index for this search, built now or at most maxAgeMs ago
   * under the same rule-run stamp (see ruleRunStamp).
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

  /** Drops everything kept for the region: a task in it has changed status. */
  forgetRegion(region: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.region === region) this.#entries.delete(key)
    }
  }

  /** Drops everything: the data changed behind the process's back (a test emptying the tables). */
  forgetAll(): void {
    this.#entries.clear()
    this.#stamp = undefined
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
  ])
}

/**
 * Changes whenever a rule run starts or finishes. Read on every list request:
 * rule_runs holds a row per run, a few a day.
 */
export async function ruleRunStamp(db: Kysely<Tables>): Promise<string> {
  const row = await db
    .selectFrom('rule_runs')
    .select([
      sql<string>`coalesce(max(id), 0)::text`.as('lastRun'),
      sql<string>`coalesce(max(finished_at)::text, '')`.as('lastFinished'),
      sql<string>`count(*)::text`.as('runs'),
    ])
    .executeTakeFirstOrThrow()
  return `${row.lastRun}/${row.lastFinished}/${row.runs}`
}
