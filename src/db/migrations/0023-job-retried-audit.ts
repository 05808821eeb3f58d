import { type Kysely, sql } from 'kysely'

/**
 * The audit trail learns the kind 'job-retried': a failed background job
 * given another attempt, from the Background jobs page or `ipic jobs retry`
 * (docs/decisions/0017-job-queue.md). It is added to whatever kinds the
 * check already allows, read from the catalogue as 0016 does, so that the
 * kinds of other migrations are kept whatever order they ran in.
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
        || replace(definition, 'ARRAY[', 'ARRAY[''job-retried''::text, ');
    end
    $$;
  `.execute(db)
}

/** Refused by the check while any 'job-retried' event is kept: the trail is never rewritten to undo it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[''job-retried''::text, ', 'ARRAY[');
    end
    $$;
  `.execute(db)
}
