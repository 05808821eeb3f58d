/**
 * The real web server on a test database, listening on a spare port, for
 * browser tests. Journey tests start one per file and add the users and
 * data they need.
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { type Clock, frozenClock } from '../../../src/clock.ts'
import { loadConfig } from '../../../src/config.ts'
import { buildServices } from '../../../src/services.ts'
import { buildApp } from '../../../src/web/app.ts'
import { openTestDatabase, type TestDatabase } from '../../support/database.ts'
import { LogCapture, referenceDataIn } from '../../support/web.ts'

export interface RunningServer {
  readonly database: TestDatabase
  readonly app: FastifyInstance
  readonly logs: LogCapture
  /** e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string
  close(): Promise<void>
}

export interface ServerOptions {
  /** The service's "today" (YYYY-MM-DD); 25 July 2018 unless given. */
  readonly today?: string
  /** Show the demo phase banner. */
  readonly demo?: boolean
  /** More settings, as environment variables (an OpenID provider's, say). */
  readonly env?: NodeJS.ProcessEnv
  /** A port chosen beforehand, where the settings must name the service's address; a spare one unless given. */
  readonly port?: number
  /** Real time for session ages, which a test may move by hand with the browser's clock; the system's unless given. */
  readonly sessionClock?: Clock
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const database = await openTestDatabase()
  const logs = new LogCapture()
  const config = loadConfig({ IPIC_DEMO: options.demo ? '1' : '0', LOG_LEVEL: 'info', ...options.env })
  const clock = frozenClock(new Date(`${options.today ?? '2018-07-25'}T09:00:00Z`))
  const reference = await referenceDataIn(config.referenceDir)
  const services = await buildServices({ config, clock, database, reference })
  const app = await buildApp({
    config,
    clock,
    database,
    logger: logs.logger,
    services,
    ...(options.sessionClock ? { sessionClock: options.sessionClock } : {}),
  })
  // A journey test emptying the tables leaves the lists' cached counts behind: forget them with it.
  database.afterReset(() => services.reviewLists.forgetAll())
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    database,
    app,
    logs,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close()
      await database.close()
    },
  }
}
