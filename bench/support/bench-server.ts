/**
 * The service as the web benchmarks serve it: production settings
 * (templates compiled once and cached, as a real server runs them), the
 * database brought up to date as the real server does on start
 * (src/runtime.ts), the benchmark's fixed day, and the floor page
 * (floor-page.ts) registered with the service's guards.
 */
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { clockFixedTo } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import { type Database, openDatabase } from '../../src/db/connect.ts'
import { prepareDatabase } from '../../src/db/prepare.ts'
import { createLogger } from '../../src/logger.ts'
import { buildServices } from '../../src/services.ts'
import { buildApp } from '../../src/web/app.ts'
import { floorPage } from './floor-page.ts'
import { BENCH_TODAY } from './web-fixture.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')

export interface BenchServer {
  readonly app: FastifyInstance
  readonly database: Database
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number
}

export async function serveForBench(url: string): Promise<BenchServer> {
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: url,
    // The load generator stands in for the TLS proxy (it sends X-Forwarded-Proto).
    TRUST_PROXY: 'loopback',
    IPIC_DEMO: '0',
    LOG_LEVEL: 'warn',
    IPIC_TODAY: BENCH_TODAY,
    // The API benchmark's clients make thousands of requests a second: no limit gets in the way of measuring them.
    IPIC_API_RATE_LIMIT: '1000000',
  })
  const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 10 })
  // A reused database gets the migrations added since it was filled.
  const { reference } = await prepareDatabase(database.db, join(ROOT, 'reference'))
  const clock = clockFixedTo(BENCH_TODAY)
  const services = await buildServices({ config, clock, database, reference })
  const app = await buildApp({
    config,
    clock,
    database,
    logger: createLogger('warn'),
    services,
    extraRoutes: [floorPage],
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  return { app, database, port: typeof address === 'object' && address ? address.port : 0 }
}
