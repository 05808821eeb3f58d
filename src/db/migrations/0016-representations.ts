import { type Kysely, sql } from 'kysely'

/**
 * Representations and contests (docs/decisions/0016-representations.md):
 * one row for each time the person, or someone for them, made
 * representations about a decided task or contested it, and its review.
 *
 * - `contested_version` and `original_decider` are the decision contested,
 *   as the task stood when the contest was recorded: the decider may never
 *   record its outcome (a check constraint, besides the service's refusal).
 * - `rom_region` is the task's, so that the region scope reads one table.
 * - The outcome is written once: every outcome column is null while the
 *   contest is open, and all are set together when it is decided; a trigger
 *   refuses any other change and every delete, so the record cannot be
 *   rewritten afterwards.
 * - One open contest a task: a second is recorded on the first.
 *
 * The audit trail learns two kinds, added to whatever kinds the check
 * already allows (read from the catalogue, so that another migration's
 * kinds are kept whatever order they were added in).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contests (
      id bigint generated always as identity primary key,
      task_id bigint not null references tasks (id),
      person_id text not null,
      rom_region text not null,
      received_on date not null,
      channel text not null check (channel in
        ('LETTER', 'EMAIL', 'PHONE', 'IN_PERSON', 'LEGAL_REPRESENTATIVE', 'OTHER')),
      made_by text not null check (made_by in ('PERSON', 'REPRESENTATIVE')),
      summary text not null check (length(summary) between 1 and 2000),
      recorded_at timestamptz not null,
      recorded_by text not null references users (id),
      contested_version integer not null,
      contested_status text not null check (contested_status in ('ACCEPTED', 'REJECTED')),
      original_decider text not null references users (id),
      assigned_to text references users (id),
      outcome text check (outcome in ('UPHELD', 'CHANGED')),
      outcome_reasons text check (length(outcome_reasons) between 1 and 2000),
      decided_at timestamptz,
      decided_by text references users (id),
      changed_task_version integer,
      check (assigned_to is distinct from original_decider),
      check (decided_by is distinct from original_decider),
      check ((outcome is null) = (decided_at is null)
        and (outcome is null) = (decided_by is null)
        and (outcome is null) = (outcome_reasons is null)
        and (outcome = 'CHANGED') = (changed_task_version is not null))
    );
    create unique index contests_one_open on contests (task_id) where outcome is null;
    create index contests_region_open on contests (rom_region, recorded_at) where outcome is null;
    create index contests_region_recorded on contests (rom_region, recorded_at);

    create function contests_outcome_once() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.outcome is null and new.outcome is not null
        and (new.id, new.task_id, new.person_id, new.rom_region, new.received_on, new.channel,
             new.made_by, new.summary, new.recorded_at, new.recorded_by, new.contested_version,
             new.contested_status, new.original_decider)
          is not distinct from
            (old.id, old.task_id, old.person_id, old.rom_region, old.received_on, old.channel,
             old.made_by, old.summary, old.recorded_at, old.recorded_by, old.contested_version,
             old.contested_status, old.original_decider) then
        return new;
      end if;
      raise exception 'contests: only an open contest''s outcome may be recorded, once'
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger contests_outcome_once before update or delete on contests
      for each row execute function contests_outcome_once();

    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''contest-recorded''::text, ''contest-decided''::text, ');
    end
    $$;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table contests;
    drop function contests_outcome_once();
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[''contest-recorded''::text, ''contest-decided''::text, ', 'ARRAY[');
    end
    $$;
  `.execute(db)
}
