/**
 * A Kysely dialect for PGlite, the in-process PostgreSQL.
 *
 * PGlite is a single connection, so the driver hands it out to one Kysely
 * connection at a time: a transaction holds it from BEGIN to COMMIT and
 * every other query waits its turn, exactly as a pool of one would behave.
 */
import type { PGlite } from '@electric-sql/pglite'
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely'

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, use the simple protocol (as pg does) so that a
    // migration may hold several statements; its result is the last one's.
    const result =
      query.parameters.length === 0
        ? ((await this.#pglite.exec(query.sql)).at(-1) ?? { rows: [] as R[], fields: [] })
        : await this.#pglite.query<R>(query.sql, [...query.parameters])
    const affected = 'affectedRows' in result ? result.affectedRows : undefined
    const rows = result.rows as R[]
    const isWrite = query.query.kind !== 'SelectQueryNode' && query.query.kind !== 'RawNode'
    return {
      rows,
      ...(affected !== undefined && (isWrite || rows.length === 0)
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    }
  }

  /** PGlite holds results in memory anyway, so a stream is the result in chunks. */
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query)
    for (let start = 0; start < rows.length; start += chunkSize) {
      yield { rows: rows.slice(start, start + chunkSize) }
    }
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection
  #queue: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue
    let release!: () => void
    this.#queue = new Promise((resolve) => {
      release = resolve
    })
    await previous
    this.#release = release
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'begin', parameters: [], query: { kind: 'RawNode' } } as never)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'commit', parameters: [], query: { kind: 'RawNode' } } as never)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'rollback', parameters: [], query: { kind: 'RawNode' } } as never)
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release
    this.#release = undefined
    release?.()
  }

  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  createAdapter() {
    return new PostgresAdapter()
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pglite)
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db)
  }
}
