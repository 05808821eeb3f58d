import { type Kysely, sql } from 'kysely'

/**
 * Who is working a task (docs/decisions/0020-work-management.md).
 *
 * - tasks.assigned_to is the caseworker the task is assigned to, null when
 *   nobody has it; assigned_at when that last changed. An assignment is a
 *   change of the task like a decision: it moves tasks.version, so a
 *   decision or another assignment made on what the user saw before it is
 *   refused as stale rather than silently overriding it.
 * - task_assignments is the append-only history of every assignment change,
 *   written in the change's transaction: assigned (to whom, by whom, from
 *   whom), unassigned, and a decision made while the task was assigned to
 *   someone else, after the decider confirmed it. The MI workbook's
 *   "Assignments" worksheet reads it.
 * - tasks_review_order and tasks_decided are rebuilt including assigned_to,
 *   so that the lists' "Unassigned" and "Assigned to me" filters are still
 *   answered from the index alone; tasks_assigned finds a user's tasks
 *   across their regions ("My tasks").
 *
 * assigned_to references users, as status_changed_by does: a person writes
 * it, a rule run never does (it inserts nulls, which no check reads).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tasks
      add column assigned_to text references users (id),
      add column assigned_at timestamptz;

    create table task_assignments (
      id bigint generated always as identity primary key,
      -- tasks.id
      task_id bigint not null,
      -- The task version the change produced (a decision's, for DECIDED_WHILE_ASSIGNED).
      task_version int not null,
      kind text not null check (kind in ('ASSIGNED', 'UNASSIGNED', 'DECIDED_WHILE_ASSIGNED')),
      occurred_at timestamptz not null,
      -- Who the task is assigned to after the change; for DECIDED_WHILE_ASSIGNED, who it was assigned to.
      assignee text references users (id),
      -- Who had it before the change (null when nobody did).
      previous_assignee text references users (id),
      changed_by text not null references users (id),
      unique (task_id, task_version, kind),
      check ((kind = 'UNASSIGNED') = (assignee is null))
    );
    create index task_assignments_occurred on task_assignments (occurred_at);
    create index task_assignments_task on task_assignments (task_id);

    create function task_assignments_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'task_assignments is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger task_assignments_append_only before update or delete on task_assignments
      for each row execute function task_assignments_append_only();

    drop index tasks_review_order;
    create index tasks_review_order on tasks
      (rom_region, status, (-priority), (coalesce(reporting_date, 'infinity'::date)), id)
      include (priority, reporting_date, task_type, person_id, status_changed_at, assigned_to);
    drop index tasks_decided;
    create index tasks_decided on tasks (rom_region, status, status_changed_at)
      include (priority, reporting_date, task_type, person_id, assigned_to)
      where status in ('ACCEPTED', 'REJECTED', 'ON_HOLD');
    create index tasks_assigned on tasks (assigned_to, status) where assigned_to is not null;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index tasks_assigned;
    drop index tasks_decided;
    create index tasks_decided on tasks (rom_region, status, status_changed_at)
      include (priority, reporting_date, task_type, person_id)
      where status in ('ACCEPTED', 'REJECTED', 'ON_HOLD');
    drop index tasks_review_order;
    create index tasks_review_order on tasks
      (rom_region, status, (-priority), (coalesce(reporting_date, 'infinity'::date)), id)
      include (priority, reporting_date, task_type, person_id, status_changed_at);
    drop table task_assignments;
    drop function task_assignments_append_only();
    alter table tasks drop column assigned_to, drop column assigned_at;
  `.execute(db)
}
