/**
 * The Rule changes pages (rules:changes: rule authors, managers, MI
 * analysts): every published rule-set version, newest first, and each one's
 * impact report as stored when it was published. Nothing is published here:
 * `ipic rules publish` does that, with the rule tests run first.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { notFound } from '../server/not-found.ts'
import { impactReportPage, ruleChangesPage } from '../view-models/rule-changes.ts'
import type { RouteDependencies } from './dependencies.ts'

/** A rule-set version as it may appear in a path: a content hash, or a name a test gave. */
const VERSION = /^[A-Za-z0-9._-]{1,64}$/

export async function ruleChangesRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const config = { permission: 'rules:changes' } as const
  app.get(paths.ruleChanges(), { config }, async (_request, reply) => {
    return reply.view('rule-changes/list', ruleChangesPage(await deps.services.rules.publications()))
  })
  app.get<{ Params: { version: string } }>(
    paths.ruleChange(':version'),
    { config },
    async (request, reply) => {
      const { version } = request.params
      const found = VERSION.test(version) ? await deps.services.rules.publication(version) : undefined
      // A version that ran before publication records began has no report to show.
      if (found?.publication.basis !== 'published') return notFound('no impact report for this version')
      return reply.view('rule-changes/report', impactReportPage(found.publication, found.names))
    },
  )
}
