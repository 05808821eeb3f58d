import { type Kysely, sql } from 'kysely'

/**
 * The audit of MI report downloads: who took which range of which regions'
 * data, in what format, and how many rows it held. A row is written when the
 * download starts, so an attempt is on record even if the server stops
 * mid-way; the outcome and row count are filled in when it ends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mi_downloads (
      id bigint generated always as identity primary key,
      user_id text not null references users (id),
      started_at timestamptz not null,
      -- The ROM region codes the file covers; empty when it covers all regions.
      regions text[] not null,
      all_regions boolean not null,
      from_date date not null,
      to_date date not null,
      format text not null check (format in ('xlsx', 'csv')),
      finished_at timestamptz,
      outcome text check (outcome in ('COMPLETED', 'ABORTED', 'FAILED')),
      rows int
    );
    create index mi_downloads_started on mi_downloads (started_at);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table mi_downloads`.execute(db)
}
