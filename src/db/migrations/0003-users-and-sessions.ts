import { type Kysely, sql } from 'kysely'

/** Local accounts and the server-side session store. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id text primary key,
      name text not null,
      email text,
      roles text[] not null,
      -- The ROM regions the user may work in; all_regions for national roles.
      regions text[] not null default '{}',
      all_regions boolean not null default false,
      password_hash text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      check (cardinality(roles) > 0)
    );
    create table sessions (
      id text primary key,
      data jsonb not null,
      expires_at timestamptz not null
    );
    create index sessions_expiry on sessions (expires_at);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table sessions, users`.execute(db)
}
