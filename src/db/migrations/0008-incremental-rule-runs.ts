import { type Kysely, sql } from 'kysely'

/**
 * What lets a rule run evaluate only the persons changed since the last one
 * (docs/decisions/0010-incremental-rule-runs.md).
 *
 * - persons.rules_changed: the transaction that last wrote the person (its
 *   data, lists or presence), as a 64-bit transaction ID. A new row takes it
 *   from the column's default, COPY included; an UPDATE that does not set it
 *   gets it from a trigger, so no writer can forget it. Whether a write is
 *   older than a run is then a question PostgreSQL answers exactly: is its
 *   transaction visible in the snapshot the run took? A commit that lands
 *   while a run works is not, so the next run cannot skip it.
 * - rule_runs.evaluated_on, snapshot, server_started_at: what a run must
 *   share with the last completed one for its results to carry over (same
 *   day, same server; the rule-set version is already recorded), and the
 *   snapshot it read the persons in.
 * - rule_runs.scope and scope_reason: whether a run was full or incremental,
 *   and why.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table persons add column rules_changed xid8 not null default pg_current_xact_id();

    create function persons_rules_changed() returns trigger language plpgsql as $$
    begin
      new.rules_changed := pg_current_xact_id();
      return new;
    end
    $$;
    -- Only when the UPDATE left the column as it was: a writer that sets it
    -- (rules_changed = default) skips the function call.
    create trigger persons_rules_changed before update on persons
      for each row when (old.rules_changed = new.rules_changed)
      execute function persons_rules_changed();

    alter table rule_runs
      add column evaluated_on date,
      add column snapshot pg_snapshot,
      add column server_started_at timestamptz,
      add column scope text check (scope in ('full', 'incremental')),
      add column scope_reason text;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table rule_runs
      drop column evaluated_on,
      drop column snapshot,
      drop column server_started_at,
      drop column scope,
      drop column scope_reason;
    drop trigger persons_rules_changed on persons;
    drop function persons_rules_changed();
    alter table persons drop column rules_changed;
  `.execute(db)
}
