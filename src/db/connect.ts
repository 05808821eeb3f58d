/**
 * Opens the database: PGlite in-process by default, a PostgreSQL server when
 * DATABASE_URL is set. Both are configured to return the same JavaScript
 * values, so nothing above this module needs to know which one it has:
 *   - int8 (count(*), sums) as a number: pg would give a string;
 *   - numeric as a number;
 *   - date as 'YYYY-MM-DD': a JavaScript Date would shift with the time zone.
 */
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../config.ts'
import { type DirectoryLock, lockDirectory } from './directory-lock.ts'
import { watchForLostConnections } from './lost-connection.ts'
import { LostConnectionSafeCursor } from './lost-connection-cursor.ts'
import { PGliteDialect } from './pglite-dialect.ts'
import { PreparingClient } from './prepared-client.ts'
import type { Tables } from './tables.ts'

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const

const parsers: Record<number, (text: string) => unknown> = {
  [OID.INT8]: Number,
  [OID.NUMERIC]: Number,
  [OID.DATE]: (text) => text,
}

export interface Database {
  readonly kind: DatabaseConfig['kind']
  readonly db: Kysely<Tables>
  /**
   * For the few hot page queries whose best plan is the same whatever their
   * values (a page of a review list: an ordered index scan that stops after
   * 100 rows): their prepared statements are planned once per connection
   * instead of on every request. On PostgreSQL a small pool of its own,
   * whose connections plan generically (`plan_cache_mode`); anything else
   * must not go through it, since a generic plan can be a poor one for a
   * query whose values change what the best plan is. On PGlite, `db` itself.
   */
  readonly planOnce: Kysely<Tables>
  /** The server's connection pool, for what Kysely does not do (COPY). Absent on PGlite. */
  readonly pool: pg.Pool | undefined
  /** The embedded database itself, for what only it can do (dump its data directory). Absent on PostgreSQL. */
  readonly pglite: PGlite | undefined
  close(): Promise<void>
}

export interface OpenOptions {
  /** PGlite only: start from this dump of a data directory (tests use a migrated template). */
  readonly loadDataDir?: Blob
  /** PGlite only: keep the database in memory instead of the data directory. */
  readonly inMemory?: boolean
  readonly poolSize?: number
  /** PostgreSQL only: connections of the `planOnce` pool. */
  readonly planOncePoolSize?: number
  /** PostgreSQL only: told when a pooled connection is lost, idle or in use (lost-connection.ts). */
  readonly onLostConnection?: (error: Error) => void
  /**
   * PostgreSQL only: every session is read-only (default_transaction_read_only),
   * so a statement that writes fails there and then, as it would on a hot
   * standby, instead of quietly writing to the wrong database. For the read replica.
   */
  readonly readOnly?: boolean
  /**
   * PostgreSQL only: how long a new connection may take before it counts as
   * lost (pg-pool's connectionTimeoutMillis); unset, it waits as long as the
   * network does. A server that swallows packets then answers as one that is down.
   */
  readonly connectTimeoutMs?: number
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config.url, options) : openPGlite(config.dataDir, options)
}

function openPostgres(url: string, options: OpenOptions): Database {
  const readOnly = options.readOnly ? ['-c default_transaction_read_only=on'] : []
  const poolOf = (max: number, ...settings: string[]) => {
    const pool = new pg.Pool({
      Client: PreparingClient,
      connectionString: url,
      max,
      ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
      ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    })
    // The server may end a connection at any time: a restart, a failover, an
    // administrator, or a database dropped just after the pool closed (pg's end()
    // resolves before its connections have finished closing). With no listener,
    // its error would end the whole process.
    watchForLostConnections(pool, options.onLostConnection)
    return pool
  }
  const pool = poolOf(options.poolSize ?? 10, ...readOnly)
  // The cursor lets a query stream its rows (the MI report) instead of loading them all.
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool, cursor: LostConnectionSafeCursor }) })
  // Connects only when first used. Planning was about 0.8 ms of the 2.1 ms the
  // server spent on a page of a review list, and PostgreSQL's own rule kept
  // planning it afresh; planned generically, the page took 1.3 ms.
  const planOnce = new Kysely<Tables>({
    dialect: new PostgresDialect({
      pool: poolOf(options.planOncePoolSize ?? 4, '-c plan_cache_mode=force_generic_plan', ...readOnly),
    }),
  })
  return {
    kind: 'postgres',
    db,
    planOnce,
    pool,
    pglite: undefined,
    close: async () => {
      await planOnce.destroy()
      await db.destroy()
    },
  }
}

async function openPGlite(dataDir: string, options: OpenOptions): Promise<Database> {
  const lock: DirectoryLock | undefined = options.inMemory ? undefined : lockDirectory(dataDir)
  try {
    const pglite = await PGlite.create(options.inMemory ? undefined : dataDir, {
      parsers,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    })
    const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) })
    return {
      kind: 'pglite',
      db,
      planOnce: db,
      pool: undefined,
      pglite,
      close: async () => {
        await db.destroy()
        await pglite.close()
        lock?.release()
      },
    }
  } catch (error) {
    lock?.release()
    throw error
  }
}
