import { type Kysely, sql } from 'kysely'

/**
 * The audit trail in one append-only table: who did what, when, to which
 * person, task or user (see docs/decisions/0014-audit-trail.md).
 *
 * - `user_id` is who acted: null for a command run by an operator, or a
 *   failed sign-in with an ID that names nobody. No foreign key: audit rows
 *   outlive the users, tasks and persons they mention.
 * - `subject_user_id` is the user a change was made to, so changes *to* a
 *   user are found by the same "user" filter as what they did.
 * - `details` holds what the kind needs (the section seen, a search's
 *   criteria and count, a change's before and after).
 *
 * Rows are never updated. They are deleted only by the retention purge,
 * which says so with a setting local to its transaction
 * (`ipic.audit_purge`) that the trigger checks; anything else is refused.
 *
 * The case sections seen, written to `case_views` until now, move here
 * (kind `case-viewed`, the section in details) and `case_views` goes, so
 * that there is one home for the audit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_events (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      user_id text,
      kind text not null check (kind in (
        'sign-in', 'sign-in-failed', 'sign-out', 'timed-out',
        'case-viewed', 'search', 'decision',
        'mi-download', 'data-quality-download',
        'user-added', 'user-changed', 'user-deactivated', 'user-reactivated',
        'rule-run', 'rule-set-changed', 'audit-purged'
      )),
      person_id text,
      task_id bigint,
      subject_user_id text,
      details jsonb not null default '{}'
    );
    -- Each filter reads its own index newest first; id breaks ties for keyset paging.
    create index audit_events_at on audit_events (at, id);
    create index audit_events_person on audit_events (person_id, at, id) where person_id is not null;
    create index audit_events_user on audit_events (user_id, at, id) where user_id is not null;
    create index audit_events_subject_user on audit_events (subject_user_id, at, id)
      where subject_user_id is not null;
    create index audit_events_kind on audit_events (kind, at, id);

    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('ipic.audit_purge', true) = 'on' then
        return old;
      end if;
      raise exception 'audit_events is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function audit_events_append_only();

    insert into audit_events (at, user_id, kind, person_id, task_id, details)
      select viewed_at, user_id, 'case-viewed', person_id, task_id, jsonb_build_object('section', section)
      from case_views order by id;
    drop table case_views;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_views (
      id bigint generated always as identity primary key,
      user_id text not null references users (id),
      task_id bigint not null,
      person_id text not null,
      section text not null check (section ~ '^[a-z][a-z-]{0,39}$'),
      viewed_at timestamptz not null
    );
    create index case_views_person on case_views (person_id, viewed_at);
    create index case_views_user on case_views (user_id, viewed_at);
    create trigger case_views_append_only before update or delete on case_views
      for each row execute function case_audit_append_only();
    insert into case_views (user_id, task_id, person_id, section, viewed_at)
      select user_id, task_id, person_id, details->>'section', at
      from audit_events where kind = 'case-viewed' order by id;
    drop table audit_events;
    drop function audit_events_append_only();
  `.execute(db)
}
