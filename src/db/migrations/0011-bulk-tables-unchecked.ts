import { type Kysely, sql } from 'kysely'

/**
 * The case tables lose their foreign keys, and task explanations get lz4
 * compression where the server has it.
 *
 * No foreign keys: the importer is the only writer of the case tables, and
 * it checks every code against the same reference data before it writes (a
 * reference row is retired, never deleted, and a person is marked absent,
 * never deleted). PostgreSQL checks a foreign key with a trigger per row,
 * which cost the import four times its own writing time over a national
 * caseload (docs/decisions/0003-import-pipeline.md). The keys are found by
 * table rather than by name, so this holds whatever the server named them.
 *
 * Explanations are a few kilobytes of JSON each and a run writes them in
 * bulk: lz4 compresses them several times faster than the default pglz. Not
 * every build has lz4 (PGlite has not); the default then stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare
      key record;
    begin
      for key in
        select conrelid::regclass as table_name, conname
        from pg_constraint
        where contype = 'f' and conrelid in (
          'persons'::regclass, 'barriers'::regclass, 'offences'::regclass, 'children'::regclass,
          'vulnerability_indicators'::regclass, 'referrals'::regclass
        )
      loop
        execute format('alter table %s drop constraint %I', key.table_name, key.conname);
      end loop;
    end
    $$;

    do $$
    begin
      alter table tasks alter column explanation set compression lz4;
    exception when feature_not_supported then
      null;
    end
    $$;
  `.execute(db)
}
