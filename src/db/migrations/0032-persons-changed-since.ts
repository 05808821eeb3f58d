import { type Kysely, sql } from 'kysely'

/**
 * Lets an incremental rule run find the persons written since the last run
 * by an index range scan instead of reading every person
 * (docs/decisions/0027-first-run-load-then-index.md).
 *
 * A run keeps the persons whose rules_changed is not visible in the last
 * run's snapshot. Every transaction older than that snapshot's xmin had
 * ended when it was taken, so its writes are visible in it: the persons to
 * evaluate are all at or above xmin, and `rules_changed >= xmin` is a range
 * this index answers, to which the exact visibility test is then applied.
 *
 * Its price: rules_changed is set anew by every write of a person, so no
 * UPDATE of persons is a heap-only (HOT) update any more, each writing an
 * entry into every index of the table; and an import writes one more index
 * entry per new person (at the right-hand end, the IDs only growing).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index persons_changed_since on persons (rules_changed)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index persons_changed_since`.execute(db)
}
