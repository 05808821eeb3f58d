/**
 * Secondary indexes dropped before a bulk load and built again after it,
 * within one transaction. Building an index over rows already written sorts
 * them once; maintaining it row by row during the load costs about as much
 * as the load itself for each index (docs/decisions/0027-first-run-load-then-index.md).
 *
 * The definitions keep one home, the migrations: they are read from the
 * catalogue (pg_indexes) just before the drop and each `indexdef` is run
 * again as it was. Everything happens in the caller's transaction, so a
 * failure anywhere rolls the drops back and leaves every index as it was.
 * An index that backs a constraint (a primary key, a unique constraint) is
 * left alone: dropping it would drop the constraint, which the catalogue's
 * index definition would not restore.
 */
import { sql, type Transaction } from 'kysely'

/** An index as the catalogue gives it: its name and the statement that creates it. */
export interface IndexDefinition {
  readonly name: string
  readonly definition: string
}

/** The table's indexes that back no constraint, in name order. */
export async function secondaryIndexes<T>(trx: Transaction<T>, table: string): Promise<IndexDefinition[]> {
  const { rows } = await sql<IndexDefinition>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = ${table}
      and not exists (
        select 1 from pg_constraint c
        where c.conrelid = to_regclass(quote_ident(i.tablename))
          and c.conindid = to_regclass(quote_ident(i.indexname))
      )
    order by i.indexname
  `.execute(trx)
  return rows
}

/**
 * Drops the table's secondary indexes, runs `load`, then creates each index
 * again from its catalogue definition. Returns what `load` returned. The
 * drop takes the table's exclusive lock until the transaction ends, so
 * call it only for a table no one else needs while the load runs.
 */
export async function loadThenIndex<T, R>(
  trx: Transaction<T>,
  table: string,
  load: () => Promise<R>,
  timing: { readonly loaded: () => void } = { loaded: () => {} },
): Promise<R> {
  const indexes = await secondaryIndexes(trx, table)
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx)
  const result = await load()
  timing.loaded()
  // Sorting a national caseload's keys wants more than the 64 MB default.
  await sql`select set_config('maintenance_work_mem', '256MB', true)`.execute(trx)
  for (const index of indexes) await sql.raw(index.definition).execute(trx)
  return result
}
