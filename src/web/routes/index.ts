/**
 * Every journey's routes, registered in one place. A journey is a module in
 * this folder exporting `async (app, deps) => { … }`; add it to the list.
 * Routes need a signed-in user unless they say `config: { public: true }`.
 */
import type { FastifyInstance } from 'fastify'
import type { Clock } from '../../clock.ts'
import type { Config } from '../../config.ts'
import type { Database } from '../../db/connect.ts'
import { caseRoutes } from './case.ts'
import { comingSoonRoutes } from './coming-soon.ts'
import { decisionRoutes } from './decisions.ts'
import { homeRoutes } from './home.ts'
import { miRoutes } from './mi.ts'
import { reviewRoutes } from './review.ts'
import { rulesRoutes } from './rules.ts'
import { signInRoutes } from './sign-in.ts'

export interface RouteDependencies {
  readonly config: Config
  readonly clock: Clock
  /** Real time, for session ages and sign-in throttling (see sessions.ts). */
  readonly sessionClock: Clock
  readonly database: Database
}

export type RouteModule = (app: FastifyInstance, deps: RouteDependencies) => Promise<void>

export async function registerRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  await app.register(homeRoutes, deps)
  await app.register(signInRoutes, deps)
  await app.register(comingSoonRoutes, deps)
  await app.register(rulesRoutes, deps)
  await app.register(miRoutes, deps)
  await app.register(reviewRoutes, deps)
  await app.register(caseRoutes, deps)
  await app.register(decisionRoutes, deps)
}
