/**
 * The person facts table (docs/decisions/0024-person-facts.md): one row per
 * person with every value the rules read, its lists folded into a count and
 * one array per item column, sorted by the list's date. This is the one
 * definition of a fresh row: the migration fills the table with it, the
 * importer writes each batch with it, `ipic rules facts --rebuild` replaces
 * every row with it and `--check` compares every row with it.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely'
import { FACTS_REBUILD_LOCK_KEY } from './facts-lock.ts'
import type { PersonRow } from './tables.ts'

/**
 * The `persons` columns kept: presence, region, when the data last changed,
 * and every column the field catalogue reads. A subset of the person's
 * columns, written out rather than derived: what is left out (names,
 * references, gender, nationality) is left out on purpose, and a new column
 * of `persons` is not a fact until a migration adds it here.
 */
export const FACT_PERSON_COLUMNS = [
  'present',
  'rom_region',
  'data_changed_at',
  'date_of_birth',
  'age_disputed',
  'red_notice',
  'case_type',
  'immigration_status',
  'identified_for_removal',
  'voluntary_return_declined_on',
  'travel_document',
  'travel_document_held_by',
  'travel_document_expiry',
  'etd_status',
  'identity_status',
  'reporting_location',
  'reporting_type',
  'reporting_frequency',
  'next_reporting_date',
  'next_reporting_date_2',
  'next_reporting_date_3',
  'last_attended',
  'missed_events_90_days',
  'consecutive_missed',
  'compliance',
  'ever_out_of_contact',
  'whereabouts',
  'residence_condition',
  'electronic_monitoring',
  'curfew',
  'em_last_reviewed',
  'foreign_national_offender',
  'longest_sentence_months',
  'harm_level',
  'deportation_order',
  'on_licence',
  'relationship',
  'primary_carer',
  'family_case',
  'adult_at_risk_level',
  'nrm_status',
  'self_harm_risk',
  'care_leaver',
  'pregnant',
  'em_contraindicated',
] as const satisfies readonly (keyof PersonRow)[]

export type FactListTable = 'barriers' | 'offences' | 'children' | 'vulnerability_indicators' | 'referrals'

export interface FactList {
  readonly table: FactListTable
  /** The items' order in every array: this date, then the item's position in the extract. */
  readonly sortedBy: string
  /** The item columns kept, each as one array column named `<table>_<column>`. */
  readonly columns: readonly string[]
}

export const FACT_LISTS: readonly FactList[] = [
  {
    table: 'barriers',
    sortedBy: 'raised_on',
    columns: ['type', 'suspensive', 'raised_on', 'resolved_on', 'owning_team'],
  },
  { table: 'offences', sortedBy: 'convicted_on', columns: ['category', 'convicted_on', 'sentence_months'] },
  { table: 'children', sortedBy: 'date_of_birth', columns: ['date_of_birth', 'british', 'lives_with'] },
  {
    table: 'vulnerability_indicators',
    sortedBy: 'identified_on',
    columns: ['type', 'identified_on', 'response_recorded'],
  },
  { table: 'referrals', sortedBy: 'referred_on', columns: ['business_area', 'referred_on'] },
]

/** The facts column holding the number of a list's items. */
export function listCountColumn(table: FactListTable): string {
  return `${table}_count`
}

/** The facts column holding one item column of a list, as an array in the list's order. */
export function listArrayColumn(table: FactListTable, column: string): string {
  return `${table}_${column}`
}

/** Every column of `person_facts` after `person_id`, in table order. */
export const FACT_COLUMNS: readonly string[] = [
  ...FACT_PERSON_COLUMNS,
  ...FACT_LISTS.flatMap((list) => [
    listCountColumn(list.table),
    ...list.columns.map((column) => listArrayColumn(list.table, column)),
  ]),
]

/**
 * The columns an explanation reads, kept for every version of a person's
 * facts (person_facts_history): all but presence, which decides who is
 * evaluated, not what a rule reads (docs/decisions/0026-explanations-on-demand.md).
 * A change in any of them makes a new version; absence and return do not.
 */
export const HISTORY_COLUMNS: readonly string[] = FACT_COLUMNS.filter((column) => column !== 'present')

/** The sequence the facts versions come from (migration 0027). */
export const FACTS_VERSION_SEQUENCE = 'person_facts_version'

/**
 * Which persons a fresh computation covers: everyone, the IDs of an array
 * bound as a parameter, or the persons listed in a table's `person_id`
 * column. With `itemsIn`, the IDs' list items are read not from the list
 * tables but from tables holding every item of those persons (an import
 * batch's staging, src/cases/import-store.ts): the same definition over a
 * few thousand rows in hand, instead of one index search per person in each
 * list table.
 */
export type FactsScope =
  | { readonly all: true }
  | { readonly personIds: readonly string[]; readonly itemsIn?: StagedItems }
  | { readonly personsIn: string }

/** For each list, the table holding every item of the persons in scope, and nobody else's. */
export type StagedItems = Readonly<Record<FactListTable, string>>

function scopeFilter(scope: FactsScope, column: string): RawBuilder<unknown> {
  if ('all' in scope) return sql``
  if ('personIds' in scope) {
    return sql` and ${sql.ref(column)} = any(${[...scope.personIds]}::text[])`
  }
  return sql` and ${sql.ref(column)} in (select person_id from ${sql.table(scope.personsIn)})`
}

/** Where a list's items are read: its staged items (already only the persons in scope), or its table, narrowed. */
function itemsOf(scope: FactsScope, table: FactListTable): RawBuilder<unknown> {
  if ('personIds' in scope && scope.itemsIn) return sql`${sql.table(scope.itemsIn[table])} i`
  return sql`${sql.table(table)} i where true${scopeFilter(scope, 'i.person_id')}`
}

/** The fresh facts rows of the persons in scope: `person_id` then FACT_COLUMNS. */
export function freshFacts(scope: FactsScope): RawBuilder<unknown> {
  const lists = FACT_LISTS.map((list, i) => {
    const alias = `l${i + 1}`
    const order = sql`order by ${sql.ref(`i.${list.sortedBy}`)}, i.position`
    return {
      alias,
      columns: [
        sql`coalesce(${sql.ref(`${alias}.n`)}, 0) as ${sql.ref(listCountColumn(list.table))}`,
        ...list.columns.map(
          (column) =>
            sql`${sql.ref(`${alias}.${column}`)} as ${sql.ref(listArrayColumn(list.table, column))}`,
        ),
      ],
      join: sql`left join (
        select i.person_id, count(*)::int as n, ${sql.join(
          list.columns.map(
            (column) => sql`array_agg(${sql.ref(`i.${column}`)} ${order}) as ${sql.ref(column)}`,
          ),
        )}
        from ${itemsOf(scope, list.table)}
        group by i.person_id
      ) ${sql.table(alias)} on ${sql.ref(`${alias}.person_id`)} = p.person_id`,
    }
  })
  return sql`select p.person_id, ${sql.join(FACT_PERSON_COLUMNS.map((column) => sql.ref(`p.${column}`)))},
      ${sql.join(lists.flatMap((list) => list.columns))}
    from persons p
    ${sql.join(
      lists.map((list) => list.join),
      sql`\n`,
    )}
    where true${scopeFilter(scope, 'p.person_id')}`
}

const ALL_COLUMNS = ['person_id', ...FACT_COLUMNS]

/**
 * Writes the fresh facts of the persons in scope (new rows inserted,
 * existing ones replaced) and the history of the versions that made, in one
 * transaction: the caller's, or one of its own. Persons no longer in
 * `persons` keep their row (no path deletes a person); `--rebuild` removes it.
 */
export async function refreshPersonFacts<DB>(db: Kysely<DB>, scope: FactsScope): Promise<void> {
  const write = async (trx: Kysely<DB>) => {
    for (const statement of upsertFactsSql(scope)) await statement.execute(trx)
  }
  if (db.isTransaction) await write(db)
  else await db.transaction().execute(write)
}

/** Compiles statements for writers that hold a raw session rather than Kysely (the importer). */
const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/** A statement as text and parameters, for a raw session. */
export interface CompiledStatement {
  readonly text: string
  readonly parameters: readonly unknown[]
}

/** The statements refreshPersonFacts runs, in order, to be run in one transaction on a raw session. */
export function upsertFactsStatements(scope: FactsScope): CompiledStatement[] {
  return upsertFactsSql(scope).map((statement) => {
    const compiled = statement.compile(compiler)
    return { text: compiled.sql, parameters: compiled.parameters }
  })
}

/**
 * Inserts or replaces the rows, then appends to person_facts_history each
 * version that made: a new person's row takes a new version (the column's
 * default), a changed one a new version only when a column an explanation
 * reads changed. A row written unchanged keeps its version, whose history
 * row is already there.
 *
 * Two statements, not one whose history insert reads the rows the upsert
 * returns: those rows, a hundred-odd columns of arrays each, were held in a
 * tuple store that spilled to disk, which cost more than reading them back
 * by key (docs/decisions/0028-import-with-facts.md).
 */
function upsertFactsSql(scope: FactsScope): RawBuilder<unknown>[] {
  const stored = sql.join(HISTORY_COLUMNS.map((column) => sql.ref(`person_facts.${column}`)))
  const fresh = sql.join(HISTORY_COLUMNS.map((column) => sql.ref(`excluded.${column}`)))
  const history = sql.join(HISTORY_COLUMNS.map((column) => sql.ref(column)))
  return [
    sql`insert into person_facts (${sql.join(ALL_COLUMNS.map((column) => sql.ref(column)))})
      ${freshFacts(scope)}
      on conflict (person_id) do update set (${sql.join(FACT_COLUMNS.map((column) => sql.ref(column)))})
        = (${sql.join(FACT_COLUMNS.map((column) => sql.ref(`excluded.${column}`)))}),
        facts_version = case when (${stored}) is distinct from (${fresh})
          then nextval(${sql.lit(FACTS_VERSION_SEQUENCE)}) else person_facts.facts_version end`,
    sql`insert into person_facts_history (person_id, facts_version, ${history})
      select person_id, facts_version, ${history} from person_facts
      where true${scopeFilter(scope, 'person_facts.person_id')}
      on conflict (facts_version) do nothing`,
  ]
}

/**
 * Every row replaced by a fresh computation, in one transaction holding the
 * rebuild lock: a rule run does not start while it is held, and one rebuild
 * waits for another. Returns the number of rows written.
 */
export async function rebuildAllFacts<DB>(db: Kysely<DB>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.raw(FACTS_REBUILD_LOCK_KEY)})`.execute(trx)
    // Replaced rather than emptied and refilled, so a row that was right keeps its version.
    await sql`delete from person_facts f where not exists (select 1 from persons p where p.person_id = f.person_id)`.execute(
      trx,
    )
    for (const statement of upsertFactsSql({ all: true })) await statement.execute(trx)
    const rows = await sql<{ n: number }>`select count(*)::int as n from person_facts`.execute(trx)
    return rows.rows[0]?.n ?? 0
  })
}

/** A person whose stored facts row is not what a fresh computation gives. */
export interface FactsDifference {
  readonly personId: string
  /** The columns that differ; `person_facts row` when the row is missing, `persons row` when the person is. */
  readonly columns: readonly string[]
}

export const MISSING_FACTS_ROW = 'person_facts row'
export const MISSING_PERSON_ROW = 'persons row'

/** Every person whose facts row differs from a fresh computation, by ID, with the columns that differ. */
export async function factsDifferences<DB>(db: Kysely<DB>): Promise<FactsDifference[]> {
  const differs = FACT_COLUMNS.map(
    (column) =>
      sql`case when ${sql.ref(`s.${column}`)} is distinct from ${sql.ref(`f.${column}`)} then ${column}::text end`,
  )
  const result = await sql<{ person_id: string; columns: string[] }>`
    select coalesce(s.person_id, f.person_id) as person_id,
      case when f.person_id is null then array[${MISSING_FACTS_ROW}::text]
           when s.person_id is null then array[${MISSING_PERSON_ROW}::text]
           else array_remove(array[${sql.join(differs)}]::text[], null) end as columns
    from (${freshFacts({ all: true })}) s
    full join person_facts f on f.person_id = s.person_id
    where s.person_id is null or f.person_id is null or (${sql.join(
      FACT_COLUMNS.map((column) => sql`${sql.ref(`s.${column}`)} is distinct from ${sql.ref(`f.${column}`)}`),
      sql` or `,
    )})
    order by 1`.execute(db)
  return result.rows.map((row) => ({ personId: row.person_id, columns: row.columns }))
}
