import { type Kysely, sql } from 'kysely'

/**
 * A change counter per region for the review lists' cached counts and page
 * starts (src/review/page-index-cache.ts). A decision bumps its region's
 * counter in its own transaction; every instance reads the counter with
 * each list request, so a decision made through any instance makes every
 * other instance count that region afresh on its very next request.
 *
 * One row per region, updated in place: the table stays a handful of rows
 * whatever the traffic. A region's row is written by the first decision in
 * it (no row reads as 0 changes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table review_list_changes (
      rom_region text primary key references rom_regions (code),
      changes bigint not null check (changes > 0)
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table review_list_changes`.execute(db)
}
