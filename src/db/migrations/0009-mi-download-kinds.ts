import { type Kysely, sql } from 'kysely'

/**
 * The MI download audit covers every file of personal data that leaves the
 * service, not only the MI report: the data-quality list's CSV too. `kind`
 * says which. Rows written before it existed were all MI reports.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mi_downloads
      add column kind text not null default 'REPORT' check (kind in ('REPORT', 'DATA_QUALITY'))
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mi_downloads drop column kind`.execute(db)
}
