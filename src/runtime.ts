/**
 * The composition root for commands: configuration, clock, logger and an
 * open, migrated database, with any rule run a stopped process left
 * RUNNING recorded as failed. Every `ipic` command starts here.
 */
import type { Clock } from './clock.ts'
import { type Config, clockFor, loadConfig } from './config.ts'
import { type Database, openDatabase } from './db/connect.ts'
import { prepareDatabase } from './db/prepare.ts'
import type { ReferenceData } from './db/reference-data.ts'
import { createLogger, type Logger } from './logger.ts'
import { markInterruptedRuns } from './tasks/interrupted-runs.ts'

export interface Runtime {
  readonly config: Config
  readonly clock: Clock
  readonly logger: Logger
  readonly database: Database
  /**
   * The read replica (DATABASE_REPLICA_URL), whose sessions are read-only:
   * what the MI pages read from. Undefined when none is configured.
   */
  readonly replica: Database | undefined
  readonly reference: ReferenceData
  close(): Promise<void>
}

export async function openRuntime(config: Config = loadConfig()): Promise<Runtime> {
  const logger = createLogger(config.logLevel)
  const database = await openDatabase(config.database, {
    // A database host that swallows packets answers as one that is down (the problem page) instead of
    // leaving requests waiting for as long as TCP takes to give up. pg-pool also holds a request waiting
    // for a free connection to this bound, so it is not the 2 seconds a refused connection takes:
    // a busy moment must not turn into errors.
    connectTimeoutMs: 5000,
    // The reason alone: pg-pool hangs the whole client (every statement it prepared) on an idle client's error.
    onLostConnection: (error) =>
      logger.warn(
        { code: (error as { code?: unknown }).code, reason: error.message },
        'a database connection was lost; the next query opens another',
      ),
  })
  let replica: Database | undefined
  try {
    // Connects only when the MI first asks: a replica that is away stops nothing but the MI pages.
    replica =
      config.databaseReplica &&
      (await openDatabase(config.databaseReplica, {
        readOnly: true,
        // MI requests are few; a download holds a connection while it streams.
        poolSize: 4,
        planOncePoolSize: 1,
        // A replica that does not answer at all gives the MI pages the problem page, rather than keep them waiting.
        connectTimeoutMs: 5000,
        onLostConnection: (error) =>
          logger.warn(
            { code: (error as { code?: unknown }).code, reason: error.message },
            'a connection to the read replica was lost; the next MI query opens another',
          ),
      }))
    const { applied, reference } = await prepareDatabase(database.db, config.referenceDir)
    if (applied.length > 0) logger.info({ applied }, 'applied database migrations')
    const clock = clockFor(config)
    const interrupted = await markInterruptedRuns(database.db, clock)
    if (interrupted.length > 0)
      logger.warn({ runIds: interrupted }, 'rule runs interrupted by a stop recorded as failed')
    return {
      config,
      clock,
      logger,
      database,
      replica,
      reference,
      close: async () => {
        await replica?.close()
        await database.close()
      },
    }
  } catch (error) {
    await replica?.close()
    await database.close()
    throw error
  }
}

/** Opens the runtime, runs `work`, and always closes the database. */
export async function withRuntime<T>(work: (runtime: Runtime) => Promise<T>, config?: Config): Promise<T> {
  const runtime = await openRuntime(config)
  try {
    return await work(runtime)
  } finally {
    await runtime.close()
  }
}
