import { type Kysely, sql } from 'kysely'

/**
 * Rule-set publication (docs/decisions/0019-rule-publication.md): a rule set
 * runs only once it has been published, with its impact report, who
 * published it, when and why.
 *
 * - `basis` says how the row came to be. 'published': by `ipic rules
 *   publish`, with the files, the change notes, the account that ran the
 *   command (and the user it was run for, if named) and the impact report,
 *   all required. 'before-records': a version that had already run when
 *   publication records began; the migration writes one for every version
 *   in rule_sets (only versions that ran are there), dated when it first
 *   ran, with nothing else known and nothing invented.
 * - A publication is never changed or deleted (a trigger refuses both):
 *   what was published, by whom and with what expected impact stays as it
 *   was said.
 * - `version` is the rule set's content hash, so a version is published
 *   once; the primary key says so.
 *
 * The audit trail learns the kind 'rule-set-published', added to whatever
 * kinds its check already allows (read from the catalogue, as 0016 does).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rule_set_publications (
      version text primary key,
      basis text not null check (basis in ('published', 'before-records')),
      published_at timestamptz not null,
      -- How it was published, in words: the command and the operating-system account that ran it.
      published_from text check (length(published_from) between 1 and 200),
      -- The user the command was run for (--by), when one was named.
      published_by text references users (id),
      notes text check (length(notes) between 1 and 2000),
      files jsonb,
      impact jsonb,
      check ((basis = 'published') = (published_from is not null)
        and (basis = 'published') = (notes is not null)
        and (basis = 'published') = (files is not null)
        and (basis = 'published') = (impact is not null)
        and (basis = 'published' or published_by is null))
    );
    create index rule_set_publications_newest on rule_set_publications (published_at desc);

    insert into rule_set_publications (version, basis, published_at)
      select version, 'before-records', loaded_at from rule_sets;

    create function rule_set_publications_unchanged() returns trigger language plpgsql as $$
    begin
      raise exception 'rule_set_publications: a publication is never changed or deleted'
        using errcode = 'insufficient_privilege';
    end
    $$;
    create trigger rule_set_publications_unchanged before update or delete on rule_set_publications
      for each row execute function rule_set_publications_unchanged();

    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''rule-set-published''::text, ');
    end
    $$;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table rule_set_publications;
    drop function rule_set_publications_unchanged();
    do $$
    declare definition text;
    begin
      select pg_get_constraintdef(oid) into definition from pg_constraint
        where conrelid = 'audit_events'::regclass and conname = 'audit_events_kind_check';
      alter table audit_events drop constraint audit_events_kind_check;
      execute 'alter table audit_events add constraint audit_events_kind_check '
        || replace(definition, 'ARRAY[''rule-set-published''::text, ', 'ARRAY[');
    end
    $$;
  `.execute(db)
}
