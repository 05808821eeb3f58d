import { type Kysely, sql } from 'kysely'

/**
 * Who opened which case, and who read what.
 *
 * - case_openings: one row each time a user opens a task's case. The latest
 *   recent opening tells a second caseworker that someone else is on it, and
 *   the first opening before a decision lets the MI measure time spent
 *   deciding. Append-only: the history of who looked is evidence.
 * - case_views: the audit of every page of a person's data a user was shown
 *   (which section of which task), so access to personal data can be
 *   reviewed. Append-only for the same reason.
 *
 * Both reference tasks and users by value without foreign keys to tasks:
 * audit rows must outlive whatever happens to the rows they describe.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_openings (
      id bigint generated always as identity primary key,
      -- tasks.id
      task_id bigint not null,
      user_id text not null references users (id),
      opened_at timestamptz not null
    );
    create index case_openings_task on case_openings (task_id, opened_at);

    create table case_views (
      id bigint generated always as identity primary key,
      user_id text not null references users (id),
      -- tasks.id and persons.person_id
      task_id bigint not null,
      person_id text not null,
      section text not null check (section ~ '^[a-z][a-z-]{0,39}$'),
      viewed_at timestamptz not null
    );
    create index case_views_person on case_views (person_id, viewed_at);
    create index case_views_user on case_views (user_id, viewed_at);

    create function case_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger case_openings_append_only before update or delete on case_openings
      for each row execute function case_audit_append_only();
    create trigger case_views_append_only before update or delete on case_views
      for each row execute function case_audit_append_only();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table case_views, case_openings;
    drop function case_audit_append_only();
  `.execute(db)
}
