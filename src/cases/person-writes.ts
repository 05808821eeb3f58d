/**
 * Writes one batch's persons, their lists and their facts rows, inside the
 * batch's transaction (src/cases/batch-writer.ts), through staging tables
 * that live for the import's session and empty themselves at each commit.
 *
 * New persons are copied straight into `persons`; changed ones pass through
 * staging to be updated in place. Every list item written passes through
 * staging too, and from there into its table: the batch's facts rows are
 * then computed from the staged items, a few thousand rows in hand, rather
 * than by searching each list table (which grows with the caseload) for
 * every person of the batch (docs/decisions/0028-import-with-facts.md).
 */
import type { BulkSession } from '../db/bulk-session.ts'
import { type StagedItems, upsertFactsStatements } from '../db/person-facts.ts'
import { LIST_TABLES, type ListName, PERSON_COLUMNS } from './person-rows.ts'

const LISTS = Object.entries(LIST_TABLES) as [ListName, (typeof LIST_TABLES)[ListName]][]

/** Columns of a `persons` COPY line: the content, its hash, then the import's own columns. */
export const PERSON_LINE_COLUMNS = [
  ...PERSON_COLUMNS,
  'content_hash',
  'first_imported_at',
  'data_changed_at',
  'present',
] as const

/** The staging table of each list's items: what the facts of the batch's new and changed persons are made from. */
const STAGED_ITEMS: StagedItems = {
  barriers: 'pg_temp.import_barriers',
  offences: 'pg_temp.import_offences',
  children: 'pg_temp.import_children',
  vulnerability_indicators: 'pg_temp.import_vulnerability_indicators',
  referrals: 'pg_temp.import_referrals',
}

/**
 * The staging tables: one for changed persons, one per list. They take the
 * real tables' column types and none of their constraints: those are
 * checked once, when the rows reach the real tables.
 */
export async function createStagingTables(session: BulkSession): Promise<void> {
  await dropStagingTables(session)
  await session.query(
    `create temporary table import_persons on commit delete rows as
       select ${PERSON_LINE_COLUMNS.join(', ')} from persons with no data`,
  )
  for (const [, { table, columns }] of LISTS) {
    await session.query(
      `create temporary table ${STAGED_ITEMS[table]} on commit delete rows as
         select ${['person_id', 'position', ...columns].join(', ')} from ${table} with no data`,
    )
  }
}

export async function dropStagingTables(session: BulkSession): Promise<void> {
  const tables = ['pg_temp.import_persons', ...LISTS.map(([, { table }]) => STAGED_ITEMS[table])]
  await session.query(`drop table if exists ${tables.join(', ')}`)
}

export interface StagedBatch {
  /** COPY lines for `persons`, one per new person, every column given (see PERSON_LINE_COLUMNS). */
  readonly newPersons: Uint8Array
  /** COPY lines in the same form, one per person whose content changed, for the staging table. */
  readonly changedPersons: Uint8Array
  /** COPY lines for each list table: every item of the new and changed persons. */
  readonly lists: Readonly<Record<ListName, Uint8Array>>
  /** Persons whose content changed: their list rows are replaced. */
  readonly changedIds: readonly string[]
  /** Persons marked absent by an earlier full import who are back, unchanged. */
  readonly returningIds: readonly string[]
  /** The new persons, in any order: with the changed and returning ones, whose facts rows are written. */
  readonly newIds: readonly string[]
}

/**
 * Writes a batch's new and changed persons and their lists, then the facts
 * rows of every person written, computed afresh: for new and changed
 * persons from their staged items (all of their items: a changed person's
 * lists are replaced whole), for returning ones, whose lists the batch does
 * not carry, from the list tables.
 */
export async function writePersons(session: BulkSession, batch: StagedBatch, now: Date): Promise<void> {
  if (batch.changedIds.length > 0) {
    // Deleted first, so the fresh rows below never meet the old keys.
    const deletes = LISTS.map(
      ([, { table }]) =>
        `delete_${table} as (delete from ${table} where person_id in (select person_id from changed))`,
    )
    await session.query(
      `with changed as (select jsonb_array_elements_text($1::jsonb) as person_id), ${deletes.join(', ')} select 1`,
      [JSON.stringify(batch.changedIds)],
    )
    await session.copyIn('import_persons', PERSON_LINE_COLUMNS, batch.changedPersons)
    const columns = PERSON_COLUMNS.filter((column) => column !== 'person_id')
    await session.query(
      `update persons p
       set (${columns.join(', ')}, content_hash, data_changed_at, present)
         = (${columns.map((column) => `s.${column}`).join(', ')}, s.content_hash, $1, true)
       from import_persons s
       where p.person_id = s.person_id`,
      [now],
    )
  }
  if (batch.newPersons.length > 0) await session.copyIn('persons', PERSON_LINE_COLUMNS, batch.newPersons)
  for (const [name, { table, columns }] of LISTS) {
    const lines = batch.lists[name]
    if (lines.length === 0) continue
    const itemColumns = ['person_id', 'position', ...columns]
    await session.copyIn(STAGED_ITEMS[table], itemColumns, lines)
    await session.query(
      `insert into ${table} (${itemColumns.join(', ')}) select ${itemColumns.join(', ')} from ${STAGED_ITEMS[table]}`,
    )
  }
  if (batch.returningIds.length > 0) {
    await session.query(
      `update persons set present = true where person_id in (select jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(batch.returningIds)],
    )
  }
  const withItemsStaged = [...batch.newIds, ...batch.changedIds]
  if (withItemsStaged.length > 0) {
    await runAll(session, upsertFactsStatements({ personIds: withItemsStaged, itemsIn: STAGED_ITEMS }))
  }
  if (batch.returningIds.length > 0) {
    await runAll(session, upsertFactsStatements({ personIds: batch.returningIds }))
  }
}

async function runAll(
  session: BulkSession,
  statements: readonly { text: string; parameters: readonly unknown[] }[],
): Promise<void> {
  for (const statement of statements) await session.query(statement.text, statement.parameters)
}
