import { type Kysely, sql } from 'kysely'

/**
 * Contests as decision events (docs/decisions/0022-decision-events.md).
 *
 * - `contest_events`: a contest being recorded, and its outcome, written in
 *   the same transaction (src/tasks/contests.ts). Not rows of task_events:
 *   a contest changes no status and no version, and everything that reads
 *   task_events (the history, MI, the rule run) reads status changes. Its
 *   IDs come from task_events' own sequence, taken after the task's row is
 *   locked, and it carries its writing transaction's ID, so the sequencer
 *   orders both as one outbox. Append-only, like task_events.
 * - `feed_events`: both outboxes as one, the view the sequencer, the feed
 *   and the deliveries read. `change` is the status set, or CONTESTED or
 *   CONTEST_DECIDED; a contest's row carries the task's version and status
 *   as they stood, and the contest's facts (its outcome only once decided).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contest_events (
      id bigint primary key default nextval('task_events_id_seq'::regclass),
      xid bigint not null default (pg_current_xact_id()::text::bigint),
      task_id bigint not null,
      contest_id bigint not null references contests (id),
      change text not null check (change in ('CONTESTED', 'CONTEST_DECIDED')),
      task_version int not null,
      task_status text not null,
      occurred_at timestamptz not null,
      user_id text not null references users (id),
      unique (contest_id, change)
    );
    create index contest_events_xid on contest_events using brin (xid);
    create function contest_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'contest_events is append-only: % is not allowed', tg_op;
    end
    $$;
    create trigger contest_events_append_only before update or delete on contest_events
      for each row execute function contest_events_append_only();
    create view feed_events as
      select id, xid, task_id, task_version, status, status as change, occurred_at, user_id, run_id,
        rule_set_version, reasons, details, null::bigint as contest_id, null::text as contest_received_on,
        null::text as contest_channel, null::text as contest_made_by, null::text as contest_outcome
      from task_events
      union all
      select e.id, e.xid, e.task_id, e.task_version, e.task_status, e.change, e.occurred_at, e.user_id,
        null, null, null,
        case when e.change = 'CONTESTED' then c.summary else c.outcome_reasons end,
        c.id, c.received_on::text, c.channel, c.made_by,
        case when e.change = 'CONTEST_DECIDED' then c.outcome end
      from contest_events e
      join contests c on c.id = e.contest_id;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop view feed_events;
    drop table contest_events;
    drop function contest_events_append_only();
  `.execute(db)
}
