/**
 * The case view: `/tasks/:taskId` opens the first section; each section,
 * "Why recommended" and "History" is its own page. Opening any of them
 * records who has the case open and audits the page shown (src/review).
 * A task in another region answers exactly like one that does not exist.
 */
import type { FastifyInstance } from 'fastify'
import { can } from '../../access/permissions.ts'
import { scopeOf } from '../../access/region-scope.ts'
import { backLink, taskIdIn } from '../case/request.ts'
import { DEFAULT_CASE_SECTION, isCaseSection } from '../case/sections.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { assignmentTimeline } from '../view-models/assignment.ts'
import { caseFrame, casePage } from '../view-models/case.ts'
import { historyTimeline } from '../view-models/case-history.ts'
import { RECORD_SECTIONS, SECTION_LISTS } from '../view-models/case-record-sections.ts'
import { contestTimeline, mergeTimelines } from '../view-models/contests.ts'
import { whyRecommended } from '../view-models/why-recommended.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function caseRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks, contests } = deps.services
  const mayRead = { config: { permission: 'cases:read' } } as const

  app.get(paths.task(':taskId'), mayRead, async (request, reply) => {
    const taskId = taskIdIn(request.params)
    // Answer for another region's task exactly as for a missing one, before redirecting anywhere.
    const task = await tasks.find(taskId, scopeOf(signedInUser(request)))
    if (!task) notFound('no such task in the user’s regions')
    const { backParam } = backLink(request.query)
    return reply.redirect(paths.taskSection(taskId, DEFAULT_CASE_SECTION, backParam), 303)
  })

  app.get(paths.taskSection(':taskId', ':section'), mayRead, async (request, reply) => {
    const user = signedInUser(request)
    const taskId = taskIdIn(request.params)
    const section = (request.params as { section: string }).section
    if (!isCaseSection(section)) notFound(`no case section ${section}`)
    const scope = scopeOf(user)
    // Another region's task answers exactly like a missing one, and nothing is recorded for it. The
    // opening and the audit of the page are recorded in the statement that finds the task.
    const opened =
      (await tasks.open(taskId, { id: user.id, name: user.name, regions: scope }, section)) ??
      notFound('no such task in the user’s regions')
    const { task, holder } = opened
    const { back, backParam } = backLink(request.query)
    const frame = caseFrame({
      task,
      current: section,
      back,
      backParam,
      holder,
      userId: user.id,
      mayAssign: can(user, 'tasks:assign'),
      mayAssignOthers: can(user, 'tasks:assign-others'),
    })
    if (section === 'history') {
      const [events, contested, assignments] = await Promise.all([
        tasks.history(task),
        contests.ofTask(task, scope),
        tasks.assignmentHistory(task),
      ])
      const timeline = mergeTimelines(
        mergeTimelines(historyTimeline(events), contestTimeline(contested)),
        assignmentTimeline(assignments),
      )
      return reply.view('case/section', casePage({ frame, section, timeline }))
    }
    if (section === 'why-recommended') {
      // The task is all the explanation needs, and it says when the person's data last changed.
      const why = whyRecommended(task, await tasks.explanation(task))
      return reply.view('case/section', casePage({ frame, section, why }))
    }
    // Only if the person was deleted since the task was found: finding it already checked both regions.
    const record =
      (await tasks.caseRecord(task, scope, SECTION_LISTS[section])) ?? notFound('the person was deleted')
    return reply.view('case/section', casePage({ frame, section, content: RECORD_SECTIONS[section](record) }))
  })
}
