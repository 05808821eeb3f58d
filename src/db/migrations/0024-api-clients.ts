import { type Kysely, sql } from 'kysely'

/**
 * Machine clients of the API (docs/decisions/0023-machine-clients.md).
 *
 * - `api_clients`: each system allowed to call /api/v1, with the scopes it
 *   was granted and the regions it may see (as users have). `secret_hash` is
 *   scrypt like a password's, and null for a client whose tokens come only
 *   from the configured OpenID provider. A client is revoked, never deleted:
 *   the audit names it afterwards.
 * - `api_token_keys`: the keys the service signs its own access tokens with.
 *   Kept in the database so that every instance verifies every other's
 *   tokens; a token names its key, so a new key can be added beside the old.
 * - `audit_events.client_id`: the client that acted (or was acted on), found
 *   by its own index as users' events are; and the kinds 'client-added',
 *   'client-revoked' and 'api-refused', added to whatever kinds the check
 *   already allows, read from the catalogue as 0023 does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_clients (
      client_id text primary key,
      name text not null,
      secret_hash text,
      scopes text[] not null check (cardinality(scopes) > 0),
      regions text[] not null default '{}',
      all_regions boolean not null default false,
      created_at timestamptz not null,
      -- Null when a command added it.
      created_by text,
      revoked_at timestamptz,
      revoked_by text,
      -- When the client last got a token from the service.
      last_token_at timestamptz
    );
    create table api_token_keys (
      key_id text primary key,
      -- 32 random bytes, base64url: an HMAC key.
      secret text not null,
      created_at timestamptz not null
    );
    alter table audit_events add column client_id text;
    create index audit_events_client on audit_events (client_id, at, id) where client_id is not null;
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[',
          'ARRAY[''client-added''::text, ''client-revoked''::text, ''api-refused''::text, ');
    end
    $$;
  `.execute(db)
}

/** Refused by the check while any event of the new kinds is kept: the trail is never rewritten to undo it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition,
          'ARRAY[''client-added''::text, ''client-revoked''::text, ''api-refused''::text, ', 'ARRAY[');
    end
    $$;
    drop index audit_events_client;
    alter table audit_events drop column client_id;
    drop table api_token_keys;
    drop table api_clients;
  `.execute(db)
}
