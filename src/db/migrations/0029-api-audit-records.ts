import { type Kysely, sql } from 'kysely'

/**
 * What API clients do, on record as the pages' users' acts are:
 *
 * - a run of the rule set queued by an API client is audited as
 *   'rule-run-queued', naming the client and the job (the run's own
 *   'rule-run' event follows when it ends);
 * - an MI export through the API is a row of `mi_downloads`, like a page's
 *   download: taken by exactly one of a user and a client, and as JSON
 *   lines too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''rule-run-queued''::text, ');
    end
    $$;
    alter table mi_downloads
      alter column user_id drop not null,
      add column client_id text references api_clients (client_id),
      add constraint mi_downloads_taken_by check (num_nonnulls(user_id, client_id) = 1),
      drop constraint mi_downloads_format_check,
      add constraint mi_downloads_format_check check (format in ('xlsx', 'csv', 'jsonl'));
  `.execute(db)
}

/** Refused while any client's download or event of the new kind is kept: the record is never rewritten to undo it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mi_downloads
      drop constraint mi_downloads_format_check,
      add constraint mi_downloads_format_check check (format in ('xlsx', 'csv')),
      drop constraint mi_downloads_taken_by,
      drop column client_id,
      alter column user_id set not null;
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[''rule-run-queued''::text, ', 'ARRAY[');
    end
    $$;
  `.execute(db)
}
