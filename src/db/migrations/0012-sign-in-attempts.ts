import { type Kysely, sql } from 'kysely'

/**
 * Failed sign-ins become sign-in attempts that count against an ID and an
 * address: a row is written when an attempt is let through to the password
 * check (PENDING), before the check, so that simultaneous attempts see one
 * another; a wrong password makes it FAILED, a right one deletes the ID's
 * rows. A row left PENDING by a process that stopped mid-check still counts,
 * but only until it is older than the window, like any other attempt.
 * The failures already recorded carry on as FAILED attempts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sign_in_failures rename to sign_in_attempts;
    alter table sign_in_attempts rename column failed_at to attempted_at;
    alter index sign_in_failures_user rename to sign_in_attempts_user;
    alter index sign_in_failures_address rename to sign_in_attempts_address;
    alter index sign_in_failures_time rename to sign_in_attempts_time;
    alter table sign_in_attempts
      add column outcome text not null default 'FAILED' check (outcome in ('PENDING', 'FAILED'));
    alter table sign_in_attempts alter column outcome drop default;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from sign_in_attempts where outcome = 'PENDING';
    alter table sign_in_attempts drop column outcome;
    alter index sign_in_attempts_time rename to sign_in_failures_time;
    alter index sign_in_attempts_address rename to sign_in_failures_address;
    alter index sign_in_attempts_user rename to sign_in_failures_user;
    alter table sign_in_attempts rename column attempted_at to failed_at;
    alter table sign_in_attempts rename to sign_in_failures;
  `.execute(db)
}
