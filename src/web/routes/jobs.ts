/**
 * The Background jobs page for administrators (`jobs:read`): the newest
 * jobs of every instance, by group of states, as a GET with the tab in the
 * URL (it changes nothing and can be bookmarked); and "Retry" for a failed
 * job (`jobs:retry`), which gives it another attempt, recorded in the
 * audit trail as the signed-in user's, and shows it among the queued or
 * running ones.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '../../access/permissions.ts'
import { recordJobRetry } from '../../audit/job-retries.ts'
import { isJobId } from '../../jobs/job-list.ts'
import { JOB_NOT_FAILED } from '../job-messages.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { JOBS_SHOWN, type JobListTab, jobListPage, jobListTab, statesOf } from '../view-models/jobs.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function jobRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { jobs } = deps.services

  async function showJobs(
    request: FastifyRequest,
    reply: FastifyReply,
    tab: JobListTab,
    problem?: { status: number; text: string },
  ) {
    const states = statesOf(tab)
    // One more than shown, to know whether to say there are more.
    const list = await jobs.recent({ limit: JOBS_SHOWN + 1, ...(states ? { states } : {}) })
    const canRetry = can(signedInUser(request), 'jobs:retry')
    return reply
      .code(problem?.status ?? 200)
      .view('jobs/list', jobListPage({ tab, jobs: list, canRetry, problem: problem?.text }))
  }

  app.get(paths.jobs(), { config: { permission: 'jobs:read' } }, async (request, reply) =>
    showJobs(request, reply, jobListTab((request.query as { show?: unknown }).show)),
  )

  app.post(paths.jobRetry(':jobId'), { config: { permission: 'jobs:retry' } }, async (request, reply) => {
    const { jobId } = request.params as { jobId?: unknown }
    if (typeof jobId !== 'string' || !isJobId(jobId)) notFound('not a job ID')
    const outcome = await jobs.retry(
      jobId,
      recordJobRetry(deps.clock, { userId: signedInUser(request).id, through: 'page' }),
    )
    if (outcome === 'not-found') notFound('no such job')
    if (outcome === 'not-failed')
      return showJobs(request, reply, 'all', { status: 409, text: JOB_NOT_FAILED })
    request.log.info({ userId: signedInUser(request).id, jobId }, 'background job retried')
    return reply.redirect(paths.jobs('unfinished'), 303)
  })
}
