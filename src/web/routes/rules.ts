/**
 * The rules page (every role: rules:read): how each task type is decided, in
 * plain English, and what the last rule run did. Rules are public within the
 * service on purpose: a caseworker should be able to see why the machine
 * recommends what it does.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { rulesPage } from '../view-models/rules.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function rulesRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  app.get(paths.rules(), { config: { permission: 'rules:read' } }, async (_request, reply) => {
    return reply.view('rules', rulesPage(await deps.services.rules.overview()))
  })
}
