import { type Kysely, sql } from 'kysely'

/**
 * Each user row carries a version, raised by every change made in the
 * service or by command: a form holds the version it was filled in against,
 * so two administrators changing the same user at once cannot silently
 * overwrite each other. `updated_at` says when it last changed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users
      add column version integer not null default 1 check (version > 0),
      add column updated_at timestamptz not null default now();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column version, drop column updated_at`.execute(db)
}
