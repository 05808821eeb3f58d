/**
 * A Kysely dialect for PGlite, the in-process PostgreSQL.
 *
 * Kysely ships a PGlite dialect of its own, but it cannot serve us (see
 * docs/decisions/0000-architecture.md): it sends every query through the
 * extended protocol, so a migration of several statements fails, and it
 * refuses to stream, which the MI report does on both engines. This driver
 * does those two things; the rest is Kysely's. Its PGlite adapter tells
 * Kysely there is only one connection, so Kysely hands it to one query or
 * transaction at a time and every other waits its turn, as a pool of one.
 */
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PGliteAdapter,
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

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(): Promise<void> {}

  /** The PGlite instance belongs to whoever opened it (connect.ts closes it). */
  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  createAdapter() {
    return new PGliteAdapter()
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
