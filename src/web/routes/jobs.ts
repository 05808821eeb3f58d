/**
 * The Background jobs page for administrators (`jobs:read`): the newest
 * jobs of every instance, by group of states. A GET with the tab in the
 * URL: it changes nothing and can be bookmarked.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { JOBS_SHOWN, jobListPage, jobListTab, statesOf } from '../view-models/jobs.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function jobRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { jobs } = deps.services

  app.get(paths.jobs(), { config: { permission: 'jobs:read' } }, async (request, reply) => {
    const tab = jobListTab((request.query as { show?: unknown }).show)
    const states = statesOf(tab)
    // One more than shown, to know whether to say there are more.
    const list = await jobs.recent({ limit: JOBS_SHOWN + 1, ...(states ? { states } : {}) })
    return reply.view('jobs/list', jobListPage({ tab, jobs: list }))
  })
}
