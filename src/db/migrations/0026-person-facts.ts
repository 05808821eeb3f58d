import { type Kysely, sql } from 'kysely'
import { freshFacts } from '../person-facts.ts'

/**
 * The person facts table (docs/decisions/0024-person-facts.md): one row per
 * person with every value the rules read, lists folded into counts and
 * sorted arrays. Created and filled from the persons already held in one
 * statement, then keyed; the importer keeps it in step from here on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table person_facts as ${freshFacts({ all: true })}`.execute(db)
  await sql`alter table person_facts add primary key (person_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table person_facts`.execute(db)
}
