import { type Kysely, sql } from 'kysely'

/**
 * Tasks and their history.
 *
 * - rule_sets keeps every rule-set version that has ever run, with its files,
 *   so any task can name the version that produced it and show its text later.
 * - rule_runs records each evaluation of the rules and what it changed.
 * - tasks holds each recommendation and its current status. `version` goes up
 *   by one on every status change: a decision is written only if the version
 *   is still the one the caseworker saw (optimistic concurrency).
 * - task_events is the append-only history of every status change, written
 *   in the same transaction as the change itself. The MI report reads it.
 *   A trigger refuses UPDATE and DELETE so history cannot be rewritten.
 *
 * The columns a rule run writes in bulk (person, task type, region, rule-set
 * version, run, task) carry no foreign keys: PostgreSQL checks a foreign key
 * with a trigger per row, and on a national caseload those checks cost more
 * than the rest of the run together. The run copies those values from rows
 * that already satisfy them (see docs/decisions/0001-task-lifecycle.md).
 * The columns a person writes (who decided) keep theirs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rule_sets (
      version text primary key,
      loaded_at timestamptz not null,
      files jsonb not null
    );

    create table rule_runs (
      id bigint generated always as identity primary key,
      rule_set_version text not null references rule_sets (version),
      -- What started the run: 'manual', 'import', 'start', … (open-ended, so a new trigger needs no migration).
      trigger text not null check (trigger ~ '^[a-z][a-z-]{0,39}$'),
      started_at timestamptz not null,
      finished_at timestamptz,
      status text not null check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
      persons_evaluated int,
      -- Per task type and region: new, unchanged, withdrawn, suppressed.
      counts jsonb,
      failure text
    );

    create table tasks (
      id bigint generated always as identity primary key,
      -- persons.person_id
      person_id text not null,
      -- task_types.code
      task_type text not null,
      -- rom_regions.code, copied from the person when the task is created: region is
      -- a security boundary, and a task stays with the region that was asked to decide it.
      rom_region text not null,
      reporting_date date,
      -- The rule's priority score: factors give points to two decimal places.
      priority numeric not null,
      status text not null check (status in ('RECOMMENDED', 'ACCEPTED', 'REJECTED', 'ON_HOLD', 'WITHDRAWN')),
      version int not null default 1 check (version >= 1),
      rule_code text not null,
      -- rule_sets.version
      rule_set_version text not null,
      explanation jsonb not null,
      created_at timestamptz not null,
      -- rule_runs.id
      created_by_run bigint,
      status_changed_at timestamptz not null,
      -- The user who made the last status change; null when it was the system (a rule run).
      status_changed_by text references users (id)
    );
    -- At most one open task per person and task type: a run never recommends
    -- what is already waiting for a caseworker.
    create unique index tasks_one_open on tasks (person_id, task_type)
      where status in ('RECOMMENDED', 'ON_HOLD');
    create index tasks_review on tasks (rom_region, status, priority desc, reporting_date);
    create index tasks_recommended on tasks (rom_region, task_type, reporting_date)
      where status = 'RECOMMENDED';

    create table task_events (
      id bigint generated always as identity primary key,
      -- tasks.id
      task_id bigint not null,
      -- The task version this event produced: two writers can never both
      -- produce the same version of a task.
      task_version int not null,
      status text not null check (status in ('RECOMMENDED', 'ACCEPTED', 'REJECTED', 'ON_HOLD', 'WITHDRAWN')),
      occurred_at timestamptz not null,
      user_id text references users (id),
      -- rule_runs.id and rule_sets.version, when a run made the change.
      run_id bigint,
      rule_set_version text,
      reasons text[],
      details text,
      note text,
      checks_confirmed boolean,
      unique (task_id, task_version),
      -- Every event is attributable: to a caseworker, or to the run that made it.
      check (user_id is not null or run_id is not null),
      check (status <> 'REJECTED' or cardinality(reasons) > 0)
    );
    create index task_events_occurred on task_events (occurred_at);

    create function task_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'task_events is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger task_events_append_only before update or delete on task_events
      for each row execute function task_events_append_only();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table task_events, tasks, rule_runs, rule_sets;
    drop function task_events_append_only();
  `.execute(db)
}
