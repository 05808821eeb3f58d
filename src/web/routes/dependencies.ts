/**
 * What every route module is given, in a module of its own so that the
 * modules and the list that registers them (index.ts) import it, not each
 * other.
 */
import type { FastifyInstance } from 'fastify'
import type { Clock } from '../../clock.ts'
import type { Config } from '../../config.ts'
import type { Database } from '../../db/connect.ts'

export interface RouteDependencies {
  readonly config: Config
  readonly clock: Clock
  /** Real time, for session ages and sign-in throttling (see server/sessions.ts). */
  readonly sessionClock: Clock
  readonly database: Database
}

/** A journey's routes: `async (app, deps) => { … }`, registered in index.ts. */
export type RouteModule = (app: FastifyInstance, deps: RouteDependencies) => Promise<void>
