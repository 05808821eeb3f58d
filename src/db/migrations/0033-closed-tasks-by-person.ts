import { type Kysely, sql } from 'kysely'

/**
 * Finds a person's closed tasks of a type by index
 * (docs/decisions/0027-first-run-load-then-index.md).
 *
 * A rule run asks two questions of each new match: is there a task a run
 * withdrew, to reopen (src/tasks/reopen.ts), and a decided task that
 * suppresses it (src/tasks/reconcile.ts)? Only tasks_one_open was keyed by
 * person, and only for open tasks, so each question read every withdrawn
 * or decided task of the match's region: a cost that grew with every day's
 * withdrawals and decisions (at 1,000,000 persons, the first day's 400
 * withdrawn tasks already took 0.03 s for 243 new matches).
 *
 * Partial, for the closed statuses only: a run from empty writes no entry,
 * and only a withdrawal or a decision, each already writing the review
 * indexes, writes one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index tasks_closed_by_person on tasks (person_id, task_type)
      where status in ('WITHDRAWN', 'ACCEPTED', 'REJECTED')
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index tasks_closed_by_person`.execute(db)
}
