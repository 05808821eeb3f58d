/**
 * The per-region change counter (migrations 0017 and 0022) that tells every instance
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
 * How many rows each region's counter is spread over (the table's check
 * allows up to 16). Decisions on tasks in different slots do not wait for
 * each other; the lists read the sum.
 */
export const CHANGE_SLOTS = 16

/**
 * Counts one more change of a task in its region. The slot's row stays
 * locked until the transaction ends, so call it last, just before commit:
 * decisions whose tasks share a slot then wait on each other only for the
 * commit itself.
 */
export async function countRegionChange(
  trx: Transaction<Tables>,
  change: { readonly romRegion: string; readonly taskId: number },
): Promise<void> {
  const slot = change.taskId % CHANGE_SLOTS
  await sql`
    insert into review_list_changes (rom_region, slot, changes) values (${change.romRegion}, ${slot}, 1)
    on conflict (rom_region, slot) do update set changes = review_list_changes.changes + 1`.execute(trx)
}
