import { type Kysely, sql } from 'kysely'

/**
 * Evidence of review: one row per caseworker decision (accept, reject, place
 * on hold, or a change of one), written in the decision's own transaction
 * from the view audit (see docs/decisions/0015-review-evidence.md).
 *
 * - `task_event_id` is the decision's task_events row: at most one evidence
 *   row each.
 * - `sections_opened` are the case pages the decider opened on this task
 *   before deciding, in the order they first opened them (the decision
 *   forms themselves are not sections of the case).
 * - `first_opened_at` is the decider's first opening of the task, any page;
 *   null (and so no time to decide) when none is on record.
 * - `rule_set_version` and `rule_code` are the task's as the decider saw it.
 *
 * Like task_events and audit_events, rows are never changed or deleted: a
 * trigger refuses both.
 *
 * The index lets the decision find the decider's views of the task without
 * reading everything else they have opened.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table review_evidence (
      task_event_id bigint primary key references task_events (id),
      task_id bigint not null,
      user_id text not null references users (id),
      status text not null check (status in ('ACCEPTED', 'REJECTED', 'ON_HOLD')),
      decided_at timestamptz not null,
      rule_set_version text not null,
      rule_code text not null,
      sections_opened text[] not null,
      why_recommended_opened boolean not null,
      first_opened_at timestamptz,
      seconds_to_decision int check (seconds_to_decision >= 0),
      own_words text,
      check ((first_opened_at is null) = (seconds_to_decision is null))
    );
    create index review_evidence_decided on review_evidence (decided_at);
    create index audit_events_task_views on audit_events (task_id, user_id, at)
      where kind = 'case-viewed';

    create function review_evidence_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'review_evidence is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger review_evidence_append_only before update or delete on review_evidence
      for each row execute function review_evidence_append_only();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table review_evidence;
    drop function review_evidence_append_only();
    drop index audit_events_task_views;
  `.execute(db)
}
