/**
 * The import's same-work reference (issue 19 item 6): every row the import
 * wrote (persons, each of their lists, their facts rows and facts history
 * rows) copied with one COPY per table into the same tables, with the same
 * indexes, constraints and triggers, in a scratch database built by the
 * project's own migrations. The fastest the server can take in what the
 * import writes.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { LIST_TABLES, PERSON_COLUMNS } from '../../src/cases/person-rows.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { FACT_COLUMNS, HISTORY_COLUMNS } from '../../src/db/person-facts.ts'
import { prepareDatabase } from '../../src/db/prepare.ts'
import { recreateBenchDatabase } from './database.ts'
import { cpuMillisecondsNowOf } from './process-cpu.ts'

/** Each table the import writes, with the columns it writes, in the order the import writes them. */
const WRITTEN_TABLES: readonly { table: string; columns: readonly string[] }[] = [
  {
    table: 'persons',
    columns: [...PERSON_COLUMNS, 'content_hash', 'first_imported_at', 'data_changed_at', 'present'],
  },
  ...Object.values(LIST_TABLES).map(({ table, columns }) => ({
    table,
    columns: ['person_id', 'position', ...columns],
  })),
  { table: 'person_facts', columns: ['person_id', ...FACT_COLUMNS, 'facts_version'] },
  { table: 'person_facts_history', columns: ['person_id', 'facts_version', ...HISTORY_COLUMNS] },
]

/** How long copying in took: in all, and for each table. */
export interface SameWorkTiming {
  readonly seconds: number
  readonly secondsByTable: ReadonlyMap<string, number>
  /** CPU time of the server backend that took the rows in. */
  readonly serverCpuSeconds: number
}

export class SameWorkCopy {
  readonly #client: pg.Client

  private constructor(client: pg.Client) {
    this.#client = client
  }

  /** Makes (afresh) and migrates the scratch database `name` on the server at `serverUrl`. */
  static async create(serverUrl: string, name: string, referenceDir: string): Promise<SameWorkCopy> {
    const url = await recreateBenchDatabase(serverUrl, name)
    const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 1 })
    try {
      await prepareDatabase(database.db, referenceDir)
    } finally {
      await database.close()
    }
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return new SameWorkCopy(client)
  }

  /**
   * Exports what `source` (the imported database) holds in the written
   * tables to files in `scratchDir` (not timed), empties the scratch
   * tables, then times copying the files in.
   */
  async time(source: pg.Client, scratchDir: string): Promise<SameWorkTiming> {
    const files = WRITTEN_TABLES.map(({ table }) => join(scratchDir, `${table}.copy`))
    try {
      for (const [i, { table, columns }] of WRITTEN_TABLES.entries()) {
        await pipeline(
          source.query(copyTo(`copy (select ${columns.join(', ')} from ${table}) to stdout`)),
          createWriteStream(files[i] as string),
        )
      }
      await this.#client.query(
        `truncate ${WRITTEN_TABLES.map(({ table }) => table).join(', ')} restart identity`,
      )
      await this.#client.query('checkpoint')
      const backend = (this.#client as unknown as { processID: number }).processID
      const cpuBefore = cpuMillisecondsNowOf(backend)
      const secondsByTable = new Map<string, number>()
      for (const [i, { table, columns }] of WRITTEN_TABLES.entries()) {
        const started = performance.now()
        await pipeline(
          createReadStream(files[i] as string, { highWaterMark: 256 * 1024 }),
          this.#client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)),
        )
        secondsByTable.set(table, (performance.now() - started) / 1000)
      }
      const serverCpuSeconds = (cpuMillisecondsNowOf(backend) - cpuBefore) / 1000
      const seconds = [...secondsByTable.values()].reduce((sum, each) => sum + each, 0)
      return { seconds, secondsByTable, serverCpuSeconds }
    } finally {
      await Promise.all(files.map((file) => rm(file, { force: true })))
    }
  }

  async close(): Promise<void> {
    await this.#client.end()
  }
}
