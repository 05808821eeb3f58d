import { type Kysely, sql } from 'kysely'

/**
 * The review tabs' order as one index (see docs/decisions/0008-review-list-paging.md).
 *
 * A tab lists a region's tasks of one status highest priority first, then
 * the earliest reporting date (none last), then the oldest task. Keyed on
 * expressions that sort the same way in one direction, -priority and the
 * reporting date with "none" as infinity, so that:
 *
 * - page 1 is an index-ordered scan that stops after 100 rows;
 * - any other page starts with a seek to a row comparison,
 *   (-priority, coalesce(reporting_date, 'infinity'), id) >= (…), which a
 *   B-tree answers directly (a mixed desc/asc order could not be compared
 *   as one row);
 * - one pass over the index, never the table, counts a search and finds
 *   where each page starts: the included columns are everything a search,
 *   the region scope and the retention window look at.
 *
 * It replaces tasks_review, whose columns it leads with.
 *
 * tasks_decided serves the decided tabs (Accepted, Rejected, On hold): keyed
 * on when the status changed, a tab's count or list starts at its retention
 * window instead of reading every decision the region has ever made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index tasks_review_order on tasks
      (rom_region, status, (-priority), (coalesce(reporting_date, 'infinity'::date)), id)
      include (priority, reporting_date, task_type, person_id, status_changed_at);
    create index tasks_decided on tasks (rom_region, status, status_changed_at)
      include (priority, reporting_date, task_type, person_id)
      where status in ('ACCEPTED', 'REJECTED', 'ON_HOLD');
    drop index tasks_review;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index tasks_review on tasks (rom_region, status, priority desc, reporting_date);
    drop index tasks_review_order, tasks_decided;
  `.execute(db)
}
