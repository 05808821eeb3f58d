/**
 * The rules page (every role: rules:read): how each task type is decided, in
 * plain English, and what the last rule run did. Rules are public within the
 * service on purpose: a caseworker should be able to see why the machine
 * recommends what it does. Those who may see the rule changes get a link to them.
 */
import type { FastifyInstance } from 'fastify'
import { can } from '../../access/permissions.ts'
import { paths } from '../paths.ts'
import { rulesPage } from '../view-models/rules.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function rulesRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  app.get(paths.rules(), { config: { permission: 'rules:read' } }, async (request, reply) => {
    const { rules } = deps.services
    return reply.view('rules', {
      ...rulesPage(await rules.overview()),
      // A version in force that nobody published does not run: the page says so rather than look current.
      unpublished: rules.version !== null && !(await rules.isPublished(rules.version)),
      ruleChangesHref: can(request.user, 'rules:changes') ? paths.ruleChanges() : null,
    })
  })
}
