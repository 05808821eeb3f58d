import { type Kysely, sql } from 'kysely'

/**
 * Failed sign-ins, for throttling guessing: one row per failure, keyed by
 * the user ID tried and by the client address it came from. In the database
 * so that every instance of the service counts the same failures, and a
 * restart does not wipe the count. Rows older than the throttling window
 * are deleted as new failures arrive.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sign_in_failures (
      id bigint generated always as identity primary key,
      -- As typed (trimmed): an ID that does not exist is counted like one that does.
      user_id text not null,
      address text not null,
      failed_at timestamptz not null
    );
    create index sign_in_failures_user on sign_in_failures (user_id, failed_at);
    create index sign_in_failures_address on sign_in_failures (address, failed_at);
    create index sign_in_failures_time on sign_in_failures (failed_at);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table sign_in_failures`.execute(db)
}
