/**
 * The per-region change counter (migration 0017) that tells every instance
 * of the service that a region's review lists have moved. A decision bumps
 * its region's counter in its own transaction, so the counter moves exactly
 * when the decision commits, whichever instance made it; the review lists
 * read it with each request (src/review/page-index-cache.ts).
 *
 * Rule runs do not bump it: they have their own stamp (the rule_runs table),
 * and a run's long transaction would otherwise hold the region's row, and
 * every decision in that region, until it commits.
 */
import { sql, type Transaction } from 'kysely'
import type { Tables } from '../db/tables.ts'

/**
 * Counts one more change in the region. Its row stays locked until the
 * transaction ends, so call it last, just before commit: decisions in one
 * region then wait on each other only for the commit itself.
 */
export async function countRegionChange(trx: Transaction<Tables>, romRegion: string): Promise<void> {
  await sql`
    insert into review_list_changes (rom_region, changes) values (${romRegion}, 1)
    on conflict (rom_region) do update set changes = review_list_changes.changes + 1`.execute(trx)
}
