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

/**
 * A backend that is still connected hands over its counts within
 * PostgreSQL's idle interval (10 s), one that exited already has: waiting
 * a little longer than that counts every statement sent so far.
 */
const STATISTICS_SETTLE_MS = 11_000

/** The counts once every statement sent so far is in them. */
export async function settledIndexUsage(url: string): Promise<IndexUsageSnapshot> {
  await new Promise((done) => setTimeout(done, STATISTICS_SETTLE_MS))
  return indexUsage(url)
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${Math.round(bytes / 1024)} kB`
}

/** A snapshot taken at the end of a span of work, named for it. */
export interface IndexUsageSpan {
  readonly label: string
  readonly end: IndexUsageSnapshot
}

/**
 * The scans of each index in each span of work, one after the other (the
 * first from the database's creation), with its size at the end of the
 * last. An index scanned in none is marked, unique ones apart.
 */
export function printIndexUsage(title: string, spans: readonly IndexUsageSpan[]): void {
  const last = spans.at(-1)?.end ?? new Map<string, IndexUsage>()
  const rows = [...last.values()].map((usage) => {
    const scans = spans.map(
      (span, i) => (span.end.get(usage.index)?.scans ?? 0) - (spans[i - 1]?.end.get(usage.index)?.scans ?? 0),
    )
    const note = usage.unique ? 'unique' : usage.scans === 0 ? 'NOT SCANNED' : ''
    return [usage.table, usage.index, size(usage.bytes), ...scans.map(String), note]
  })
  process.stdout.write(`\n${title}\n`)
  printTable(['Table', 'Index', 'Size', ...spans.map((span) => `Scans: ${span.label}`), ''], rows)
  process.stdout.write(
    'Scans from pg_stat_user_indexes. "unique": a primary key or unique index, used by every insert\n' +
      'to refuse a duplicate, scanned or not. "NOT SCANNED": no query in any of these spans used it.\n',
  )
}
