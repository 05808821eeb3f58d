import { type Kysely, sql } from 'kysely'

/**
 * Splits each region's change counter (migration 0017) into slots. With one
 * row per region, every decision in a region took that row's lock and held
 * it to commit, so a busy region's decisions committed one at a time. Each
 * decision now bumps the slot its task falls in (task id modulo the slot
 * count, src/tasks/region-changes.ts) and the review lists read the sum of
 * the region's slots: still a number that grows with every committed
 * decision, but two decisions wait for each other only when their tasks
 * share a slot.
 *
 * The existing count stays in slot 0, so no list sees its stamp go back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table review_list_changes add column slot smallint not null default 0
      check (slot >= 0 and slot < 16);
    alter table review_list_changes alter column slot drop default;
    alter table review_list_changes drop constraint review_list_changes_pkey;
    alter table review_list_changes add primary key (rom_region, slot);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create temporary table review_list_totals as
      select rom_region, sum(changes)::bigint as changes from review_list_changes group by rom_region;
    delete from review_list_changes;
    alter table review_list_changes drop constraint review_list_changes_pkey;
    alter table review_list_changes drop column slot;
    insert into review_list_changes (rom_region, changes) select rom_region, changes from review_list_totals;
    alter table review_list_changes add primary key (rom_region);
    drop table review_list_totals;
  `.execute(db)
}
