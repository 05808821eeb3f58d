import { type Kysely, sql } from 'kysely'

/**
 * When each task should be decided by (docs/decisions/0020-work-management.md).
 *
 * - task_types gains its target: decide within so many working days of the
 *   recommendation, and, for a task that acts at the person's next
 *   reporting event, before that reporting date as well (whichever comes
 *   first). Both come from reference/task-types.yaml.
 * - working_days lists every working day (Monday to Friday, less the bank
 *   holidays of reference/bank-holidays.yaml) with its ordinal, so that "10
 *   working days after" is two index lookups in SQL, the same on PostgreSQL
 *   and PGlite. The reference data load rewrites it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table task_types
      add column decide_within_working_days int not null default 10
        check (decide_within_working_days between 1 and 250),
      add column decide_before_reporting_date boolean not null default false;

    create table working_days (
      day date primary key,
      ordinal int not null unique
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table working_days;
    alter table task_types drop column decide_within_working_days, drop column decide_before_reporting_date;
  `.execute(db)
}
