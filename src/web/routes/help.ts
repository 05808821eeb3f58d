/**
 * The Help page, for everyone signed in to the service (rules:read, the
 * permission every role holds): generated from the task types, the rule set
 * and the retention in force, so it never tells a different story from the
 * pages it explains.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { helpPage } from '../view-models/help.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function helpRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { rules } = deps.services
  app.get(paths.help(), { config: { permission: 'rules:read' } }, async (_request, reply) => {
    const overview = await rules.overview()
    const page = helpPage({
      taskTypes: overview.taskTypes,
      ruleSet: overview.live.kind === 'loaded' ? overview.live.ruleSet : undefined,
      retention: deps.config.retention,
    })
    return reply.view('help', page)
  })
}
