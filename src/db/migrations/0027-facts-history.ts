import { type Kysely, sql } from 'kysely'
import { FACTS_VERSION_SEQUENCE, HISTORY_COLUMNS } from '../person-facts.ts'

/**
 * Explanations derived on demand (docs/decisions/0026-explanations-on-demand.md).
 *
 * - `person_facts.facts_version`: the version of each person's facts, from
 *   one sequence, a new one whenever what an explanation reads changes.
 * - `person_facts_history`: every version's values, appended when a
 *   version is made and never changed, keyed by version. Filled here with
 *   the current rows.
 * - `tasks.facts_version` and `tasks.evaluated_on`: the facts and the day a
 *   task was recommended (or last re-prioritised) on. A task made before
 *   keeps its stored explanation, which is shown as it is; it is pointed at
 *   its person's current version only where that explanation agrees: the
 *   person's data has not changed since it was made, and its rule set is
 *   kept. New tasks store no explanation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const columns = sql.join(HISTORY_COLUMNS.map((column) => sql.ref(column)))
  const sequence = sql.lit(FACTS_VERSION_SEQUENCE)
  await sql`create sequence ${sql.table(FACTS_VERSION_SEQUENCE)} as bigint`.execute(db)
  await sql`alter table person_facts add column facts_version bigint`.execute(db)
  await sql`alter sequence ${sql.table(FACTS_VERSION_SEQUENCE)} owned by person_facts.facts_version`.execute(
    db,
  )
  await sql`update person_facts set facts_version = nextval(${sequence})`.execute(db)
  await sql`alter table person_facts
    alter column facts_version set not null,
    alter column facts_version set default nextval(${sequence})`.execute(db)
  await sql`create table person_facts_history as
    select person_id, facts_version, ${columns} from person_facts`.execute(db)
  await sql`alter table person_facts_history add primary key (facts_version)`.execute(db)
  await sql`alter table tasks
    add column facts_version bigint,
    add column evaluated_on date,
    alter column explanation drop not null`.execute(db)
  await sql`update tasks t
    set facts_version = f.facts_version, evaluated_on = (t.explanation ->> 'evaluatedOn')::date
    from person_facts f
    where f.person_id = t.person_id
      and jsonb_typeof(t.explanation -> 'evaluatedOn') = 'string'
      and jsonb_typeof(t.explanation -> 'dataChangedAt') = 'string'
      and (t.explanation ->> 'dataChangedAt')::timestamptz = f.data_changed_at
      and exists (select 1 from rule_sets r where r.version = t.rule_set_version)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // A task made since stored no explanation: it keeps an empty one, shown as one with nothing recorded.
  await sql`update tasks set explanation = '{}'::jsonb where explanation is null`.execute(db)
  await sql`alter table tasks drop column facts_version, drop column evaluated_on,
    alter column explanation set not null`.execute(db)
  await sql`drop table person_facts_history`.execute(db)
  // Drops its sequence with it.
  await sql`alter table person_facts drop column facts_version`.execute(db)
}
