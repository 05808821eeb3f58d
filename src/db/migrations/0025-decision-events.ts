import { type Kysely, sql } from 'kysely'

/**
 * Decision events for other systems (docs/decisions/0022-decision-events.md).
 *
 * - `task_events.xid`: the transaction that wrote each event. Added without
 *   a default first, so the existing history is not rewritten (its events
 *   stay out of the feed, which begins here), then given one for every new
 *   row. A BRIN index finds a range of them: transaction IDs grow with the
 *   table, so it stays a few pages however many events a run writes.
 * - `event_passes`: one row per pass of the sequencer that found events:
 *   the transactions it took (every one below its horizon and at or above
 *   the previous pass's), and the range of event IDs they wrote. The feed's
 *   order is (pass, event ID), which no later commit can fall behind.
 * - `event_sequencer`: the one row saying where the next pass starts.
 * - `event_subscribers`: each system that receives the events as webhooks,
 *   its signing secret, and how far its deliveries have come.
 * - The audit kinds for subscribers' changes and for the pull feed's reads,
 *   added to whatever kinds the check already allows, read from the
 *   catalogue as 0023 does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table task_events add column xid bigint;
    alter table task_events alter column xid set default (pg_current_xact_id()::text::bigint);
    create index task_events_xid on task_events using brin (xid);
    create table event_passes (
      pass bigint generated always as identity primary key,
      xid_from bigint not null,
      xid_to bigint not null check (xid_to > xid_from),
      first_event_id bigint not null,
      last_event_id bigint not null check (last_event_id >= first_event_id),
      events integer not null check (events > 0),
      sequenced_at timestamptz not null default now()
    );
    create table event_sequencer (
      only_row boolean primary key default true check (only_row),
      horizon bigint not null
    );
    insert into event_sequencer (horizon)
      values (pg_snapshot_xmin(pg_current_snapshot())::text::bigint);
    create table event_subscribers (
      id bigint generated always as identity primary key,
      name text not null,
      url text not null,
      secret text not null,
      event_types text[],
      state text not null default 'active' check (state in ('active', 'paused')),
      created_at timestamptz not null,
      created_by text,
      -- The last position delivered: (pass, event ID), (0, 0) before the first.
      delivered_pass bigint not null,
      delivered_event_id bigint not null,
      delivered_count bigint not null default 0,
      last_delivered_at timestamptz,
      failed_attempts integer not null default 0,
      last_error text,
      last_failed_at timestamptz
    );
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[',
          'ARRAY[''subscriber-added''::text, ''subscriber-changed''::text, ''subscriber-removed''::text, '
          || '''subscriber-replayed''::text, ''events-read''::text, ');
    end
    $$;
  `.execute(db)
}

/** Refused by the check while any event of the new kinds is kept: the trail is never rewritten to undo it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition,
          'ARRAY[''subscriber-added''::text, ''subscriber-changed''::text, ''subscriber-removed''::text, '
          || '''subscriber-replayed''::text, ''events-read''::text, ', 'ARRAY[');
    end
    $$;
    drop table event_subscribers, event_sequencer, event_passes;
    drop index task_events_xid;
    alter table task_events drop column xid;
  `.execute(db)
}
