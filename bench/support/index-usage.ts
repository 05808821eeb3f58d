/**
 * How often each index of a bench database was scanned, from
 * pg_stat_user_indexes, with its size: printed at the end of a benchmark so
 * that an index no query of the workload used stands out (issue 19: no index
 * that no query uses; the verdicts are in docs/decisions/0029-index-usage.md).
 *
 * A backend hands its counts to the statistics only now and then, and always
 * as it exits, so a snapshot is taken once the connections whose work it
 * should count have closed (the server stopped, the fill's pool ended).
 */
import pg from 'pg'
import { printTable } from './web-fixture.ts'

export interface IndexUsage {
  readonly table: string
  readonly index: string
  readonly bytes: number
  readonly scans: number
  /** A primary key or unique index: inserts use it to refuse duplicates however often it is scanned. */
  readonly unique: boolean
}

/** Every index of the public schema, keyed by its name. */
export type IndexUsageSnapshot = ReadonlyMap<string, IndexUsage>

export async function indexUsage(url: string): Promise<IndexUsageSnapshot> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{
      table: string
      index: string
      bytes: string
      scans: string
      unique: boolean
    }>(
      `select s.relname as table, s.indexrelname as index, pg_relation_size(s.indexrelid) as bytes,
              s.idx_scan as scans, i.indisunique as unique
         from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid
        where s.schemaname = 'public'
        order by s.relname, s.indexrelname`,
    )
    return new Map(
      rows.map((row) => [
        row.index,
        {
          table: row.table,
          index: row.index,
          bytes: Number(row.bytes),
          scans: Number(row.scans),
          unique: row.unique,
        },
      ]),
    )
  } finally {
    await client.end()
  }
}

/** Waits for the backends that just closed to hand over their counts (they do so as they exit). */
export async function settledIndexUsage(url: string): Promise<IndexUsageSnapshot> {
  await new Promise((done) => setTimeout(done, 1500))
  return indexUsage(url)
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${Math.round(bytes / 1024)} kB`
}

/**
 * The scans of each index in two spans: `setup` (from the database's creation
 * to `start`: the fill, through the importer and the rule run, or a
 * generator) and the measured workload (from `start` to `end`), with its size
 * at the end. An index scanned in neither is marked, unique ones apart.
 */
export function printIndexUsage(
  title: string,
  snapshots: { readonly start: IndexUsageSnapshot; readonly end: IndexUsageSnapshot },
): void {
  const rows = [...snapshots.end.values()].map((usage) => {
    const setup = snapshots.start.get(usage.index)?.scans ?? 0
    const workload = usage.scans - setup
    const note = usage.unique
      ? 'unique'
      : usage.scans === 0
        ? 'NOT SCANNED'
        : workload === 0
          ? 'setup only'
          : ''
    return [usage.table, usage.index, size(usage.bytes), String(setup), String(workload), note]
  })
  process.stdout.write(`\n${title}\n`)
  printTable(['Table', 'Index', 'Size', 'Scans: setup', 'Scans: measured', ''], rows)
  process.stdout.write(
    'Scans from pg_stat_user_indexes. "unique": a primary key or unique index, used by every insert\n' +
      'to refuse a duplicate, scanned or not. "NOT SCANNED": no query of the setup or the measured workload used it.\n',
  )
}
