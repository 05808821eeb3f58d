import { type Kysely, sql } from 'kysely'

/**
 * A run of the rule set queued by an API client is audited as
 * 'rule-run-queued', naming the client and the job (the run's own
 * 'rule-run' event follows when it ends).
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
  `.execute(db)
}

/** Refused by the check while any event of the new kind is kept: the trail is never rewritten to undo it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
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
