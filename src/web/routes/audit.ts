/**
 * The audit trail for those who may read it (`audit:read`): events found
 * by user, person, kind and days, newest first, a page at a time; the same
 * as CSV, streamed; and one person's page, saying who has seen their
 * record and when. All are GETs: the filters are a search, in the URL.
 */
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { checkAuditFilter } from '../../audit/filter.ts'
import { readAuditFilter, readAuditPage } from '../forms/audit-filter.ts'
import { auditFilterMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { auditListPage, auditPersonPage } from '../view-models/audit.ts'
import { auditCsv } from '../view-models/audit-csv.ts'
import { inWords } from '../view-models/forms.ts'
import type { RouteDependencies } from './dependencies.ts'

const mayReadAudit = { config: { permission: 'audit:read' } } as const

const personParams = z.object({ personId: z.string().regex(/^[A-Za-z0-9-]{1,20}$/) })

export async function auditRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { audit } = deps.services

  app.get(paths.audit(), mayReadAudit, async (request, reply) => {
    const filter = readAuditFilter(request.query)
    const checked = checkAuditFilter(filter, audit.maxDays)
    if (!checked.ok) {
      request.log.info({ problems: checked.problems.map((problem) => problem.code) }, 'audit filter refused')
      const problems = inWords(checked.problems, auditFilterMessage)
      return reply
        .code(400)
        .view('audit/list', auditListPage({ filter, problems, page: null, maxDays: audit.maxDays }))
    }
    const page = await audit.page(checked.filter, readAuditPage(request.query))
    return reply.view('audit/list', auditListPage({ filter, problems: [], page, maxDays: audit.maxDays }))
  })

  app.get(paths.auditCsv(), mayReadAudit, async (request, reply) => {
    const filter = readAuditFilter(request.query)
    const checked = checkAuditFilter(filter, audit.maxDays)
    if (!checked.ok) {
      const problems = inWords(checked.problems, auditFilterMessage)
      return reply
        .code(400)
        .view('audit/list', auditListPage({ filter, problems, page: null, maxDays: audit.maxDays }))
    }
    request.log.info({ userId: signedInUser(request).id, filter: checked.filter }, 'audit events downloaded')
    const stamp = deps.clock.now().toISOString().slice(0, 10)
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="ipic-audit-${stamp}.csv"`)
      .send(Readable.from(auditCsv(audit.all(checked.filter))))
  })

  app.get(paths.auditPerson(':personId'), mayReadAudit, async (request, reply) => {
    const params = personParams.safeParse(request.params)
    if (!params.success) notFound('not a person ID')
    const { personId } = params.data
    const [viewers, page] = await Promise.all([
      audit.viewersOf(personId),
      audit.page({ personId }, readAuditPage(request.query)),
    ])
    return reply.view('audit/person', auditPersonPage({ personId, viewers, page }))
  })
}
