/**
 * The case view: `/tasks/:taskId` opens the first section; each section,
 * "Why recommended" and "History" is its own page. Opening any of them
 * records who has the case open and audits the page shown (src/review).
 * A task in another region answers exactly like one that does not exist.
 */
import type { FastifyInstance } from 'fastify'
import { scopeOf } from '../../access/region-scope.ts'
import { CASE_ROLES } from '../../access/roles.ts'
import { findCaseRecord } from '../../cases/case-record.ts'
import type { CaseHolder } from '../../review/claims.ts'
import { recordOpening } from '../../review/open-case.ts'
import { findTaskView, taskHistory } from '../../review/task-view.ts'
import { explanationForTask } from '../../rules/stored-explanation.ts'
import { backLink, taskParams } from '../case/request.ts'
import { DEFAULT_CASE_SECTION, isCaseSection } from '../case/sections.ts'
import { paths } from '../paths.ts'
import { requireRole } from '../server/guards.ts'
import {
  caseFrame,
  casePage,
  historyTimeline,
  isRecordSection,
  RECORD_SECTIONS,
  SECTION_LISTS,
  whyRecommended,
} from '../view-models/case.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function caseRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const db = deps.database.db
  const preHandler = requireRole(...CASE_ROLES)

  app.get(paths.task(':taskId'), { preHandler }, async (request, reply) => {
    const params = taskParams.safeParse(request.params)
    if (!params.success || !request.user) return reply.callNotFound()
    // Answer for another region's task exactly as for a missing one, before redirecting anywhere.
    const task = await findTaskView(db, params.data.taskId, scopeOf(request.user))
    if (!task) return reply.callNotFound()
    const { backParam } = backLink(request.query)
    return reply.redirect(paths.taskSection(params.data.taskId, DEFAULT_CASE_SECTION, backParam), 303)
  })

  app.get(paths.taskSection(':taskId', ':section'), { preHandler }, async (request, reply) => {
    const params = taskParams.safeParse(request.params)
    const section = (request.params as { section: string }).section
    if (!params.success || !isCaseSection(section)) return reply.callNotFound()
    const user = request.user
    if (!user) return reply.callNotFound()
    const scope = scopeOf(user)
    // Another region's task answers exactly like a missing one, and nothing is recorded for it.
    const task = await findTaskView(db, params.data.taskId, scope)
    if (!task) return reply.callNotFound()
    // Recording the opening (a commit) and reading what the page shows are
    // independent once the task is known: one waits while the other reads.
    const opening = recordOpening(db, {
      task,
      user: { id: user.id, name: user.name, regions: scope },
      section,
      clock: deps.clock,
    })
    const { back, backParam } = backLink(request.query)
    const frameWith = (holder: CaseHolder) =>
      caseFrame({ task, current: section, back, backParam, holder, userId: user.id })
    if (section === 'history') {
      const [holder, events] = await Promise.all([opening, taskHistory(db, task.id)])
      return reply.view(
        'case/section',
        casePage({ frame: frameWith(holder), section, timeline: historyTimeline(events) }),
      )
    }
    const [holder, record] = await Promise.all([
      opening,
      findCaseRecord(db, task.personId, scope, { lists: SECTION_LISTS[section] }),
    ])
    // Only if the person was deleted between the two reads: findTaskView already checked both regions.
    if (!record) return reply.callNotFound()
    const frame = frameWith(holder)
    if (isRecordSection(section)) {
      return reply.view(
        'case/section',
        casePage({ frame, section, content: RECORD_SECTIONS[section](record) }),
      )
    }
    const explanation = await explanationForTask(db, task)
    return reply.view(
      'case/section',
      casePage({ frame, section, why: whyRecommended(task, record.dataChangedAt, explanation) }),
    )
  })
}
