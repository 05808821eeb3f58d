import { type Kysely, sql } from 'kysely'

/**
 * Drops the indexes no query uses (docs/decisions/0029-index-usage.md):
 * each costs every insert and update of its table, and space, for nothing.
 *
 * - persons_region_reporting (rom_region, next_reporting_date) becomes
 *   persons_region (rom_region): the MI's equality monitoring for a region
 *   reads persons by region, and nothing reads them by reporting date (the
 *   rules read person_facts), while a new reporting date, which most imports
 *   bring, had to be written into the index;
 * - task_assignments_task (task_id): the unique (task_id, task_version,
 *   kind) serves every query by task;
 * - mi_downloads_started (started_at): nothing reads the downloads by time;
 * - rule_set_publications_newest (published_at desc) and
 *   reporting_locations_region (rom_region): tables of a few dozen rows,
 *   read whole.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index persons_region on persons (rom_region);
    drop index persons_region_reporting;
    drop index task_assignments_task;
    drop index mi_downloads_started;
    drop index rule_set_publications_newest;
    drop index reporting_locations_region;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index reporting_locations_region on reporting_locations (rom_region);
    create index rule_set_publications_newest on rule_set_publications (published_at desc);
    create index mi_downloads_started on mi_downloads (started_at);
    create index task_assignments_task on task_assignments (task_id);
    create index persons_region_reporting on persons (rom_region, next_reporting_date);
    drop index persons_region;
  `.execute(db)
}
