/**
 * The rules page (any signed-in user): how each task type is decided, in
 * plain English, and what the last rule run did. Rules are public within the
 * service on purpose: a caseworker should be able to see why the machine
 * recommends what it does.
 */
import type { FastifyInstance } from 'fastify'
import { rulesOverview } from '../../rules/overview.ts'
import { paths } from '../paths.ts'
import { rulesPage } from '../view-models/rules.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function rulesRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  app.get(paths.rules(), async (_request, reply) => {
    const overview = await rulesOverview(deps.database.db, deps.config.rulesDir)
    return reply.view('rules', rulesPage(overview))
  })
}
