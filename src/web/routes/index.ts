/**
 * Every journey's routes, registered in one place. A journey is a module in
 * this folder exporting `async (app, deps) => { … }`; add it to the list.
 * Routes need a signed-in user unless they say `config: { public: true }`.
 */
import type { FastifyInstance } from 'fastify'
import { caseRoutes } from './case.ts'
import { comingSoonRoutes } from './coming-soon.ts'
import { decisionRoutes } from './decisions.ts'
import type { RouteDependencies } from './dependencies.ts'
import { homeRoutes } from './home.ts'
import { miRoutes } from './mi.ts'
import { reviewRoutes } from './review.ts'
import { rulesRoutes } from './rules.ts'
import { signInRoutes } from './sign-in.ts'

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
