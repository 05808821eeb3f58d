/**
 * Who is working which task:
 *
 *   POST /tasks/:taskId/assignment          "Assign to me" or "Unassign" on the case page
 *   POST /review-tasks/:region/assignment   the same, or a manager's "Assign to", for the tasks ticked on a list
 *   GET  /my-tasks                          the open tasks assigned to the user
 *
 * Each task names the version the user saw (the case page's hidden field,
 * each checkbox's value "id:version") and is changed in a transaction of its
 * own (tasks/assignment.ts): a task decided or reassigned meanwhile is left
 * alone and the page says so, naming it. A change that went through returns
 * to where the user was; anything refused shows what happened to each task.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { can } from '../../../access/permissions.ts'
import { scopeOf } from '../../../access/region-scope.ts'
import type { AssignmentChange, AssignmentResult } from '../../../tasks/assignment.ts'
import { MAX_TASKS_AT_ONCE } from '../../../tasks/assignment.ts'
import { BadRequestError, backLink, taskIdIn } from '../../case/request.ts'
import { tickedTasks } from '../../forms/ticked-tasks.ts'
import { paths } from '../../paths.ts'
import { signedInUser } from '../../server/guards.ts'
import { notFound } from '../../server/not-found.ts'
import { safeReturnPath } from '../../server/return-path.ts'
import { assignmentSummary, myTasksTable } from '../../view-models/assignment-pages.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { regionParams, reviewPages } from './pages.ts'

const mayAssign = { config: { permission: 'tasks:assign' } } as const

const caseForm = z.object({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/)
    .transform(Number),
  action: z.enum(['assign-to-me', 'unassign']),
})

const listForm = z.object({
  task: tickedTasks,
  action: z.enum(['assign-to-me', 'unassign', 'assign-to']),
  assignee: z.string().max(100).optional().default(''),
  returnTo: z.string().max(2000).optional(),
})

export async function assignmentRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks, searchChoices } = deps.services
  const { regionOrNotFound } = reviewPages(deps)

  function assigningUser(request: FastifyRequest) {
    const user = signedInUser(request)
    return { id: user.id, regions: scopeOf(user), mayAssignOthers: can(user, 'tasks:assign-others') }
  }

  /** What happened to each task, when anything was refused: a page naming each task left as it was. */
  async function showSummary(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      readonly results: readonly AssignmentResult[]
      readonly backHref: string
      readonly backText: string
      readonly problem?: { readonly text: string; readonly href: string }
    },
  ) {
    const names = await tasks.taskNames(
      input.results.map((result) => result.taskId),
      scopeOf(signedInUser(request)),
    )
    const summary = assignmentSummary(input.results, names)
    const status = input.problem ? 400 : summary.refusedCount > 0 ? 409 : 200
    return reply.code(status).view('review/assignment-result', {
      ...summary,
      errors: input.problem ? [input.problem] : summary.errors,
      backHref: input.backHref,
      backText: input.backText,
    })
  }

  app.post(paths.taskAssignment(':taskId'), mayAssign, async (request, reply) => {
    const taskId = taskIdIn(request.params)
    const form = caseForm.safeParse(request.body ?? {})
    if (!form.success) throw new BadRequestError('assignment form with a missing or malformed field')
    const user = assigningUser(request)
    const change: AssignmentChange =
      form.data.action === 'unassign' ? { kind: 'unassign' } : { kind: 'assign', assignee: user.id }
    const [result] = await tasks.assign([{ taskId, expectedVersion: form.data.version, change, user }])
    const { backParam } = backLink(request.query)
    const caseHref = paths.task(taskId, backParam)
    if (result?.kind === 'changed') return reply.redirect(caseHref, 303)
    if (result?.kind === 'not-found') notFound('no such task in the user’s regions')
    return showSummary(request, reply, {
      results: result ? [result] : [],
      backHref: caseHref,
      backText: 'Back to the case',
    })
  })

  app.post(paths.reviewAssignment(':region'), mayAssign, async (request, reply) => {
    const params = regionParams.safeParse(request.params)
    if (!params.success) notFound('not a region code')
    const options = regionOrNotFound(request, params.data.region)
    const form = listForm.safeParse(request.body ?? {})
    if (!form.success) throw new BadRequestError('assignment form with a missing or malformed field')
    const { task: ticked, action, assignee } = form.data
    const backHref = safeReturnPath(form.data.returnTo) ?? paths.reviewTasks()
    const back = { backHref, backText: 'Back to the list', results: [] }
    if (ticked.length === 0) {
      return showSummary(request, reply, {
        ...back,
        problem: { text: 'Select the tasks to change', href: backHref },
      })
    }
    if (ticked.length > MAX_TASKS_AT_ONCE) {
      const text = `Select ${MAX_TASKS_AT_ONCE} tasks or fewer at once`
      return showSummary(request, reply, { ...back, problem: { text, href: backHref } })
    }
    const user = assigningUser(request)
    if (action === 'assign-to' && assignee === '') {
      const text = 'Select who to assign the tasks to'
      return showSummary(request, reply, { ...back, problem: { text, href: backHref } })
    }
    const change: AssignmentChange =
      action === 'unassign'
        ? { kind: 'unassign' }
        : { kind: 'assign', assignee: action === 'assign-to' ? assignee : user.id }
    // The region in the URL narrows what the user may change: a task of another region is not found.
    const regionUser = { ...user, regions: { all: false, codes: [options.region.code] } as const }
    const unique = [...new Map(ticked.map((task) => [task.taskId, task])).values()]
    const results = await tasks.assign(unique.map((task) => ({ ...task, change, user: regionUser })))
    if (results.every((result) => result.kind === 'changed')) return reply.redirect(backHref, 303)
    return showSummary(request, reply, { ...back, results })
  })

  app.get(paths.myTasks(), mayAssign, async (request, reply) => {
    const user = signedInUser(request)
    const scope = scopeOf(user)
    const mine = await tasks.myTasks(user.id, scope)
    const regionNames = new Map(searchChoices.regionsFor(scope).map((region) => [region.code, region.name]))
    return reply.view('review/my-tasks', myTasksTable(mine, regionNames))
  })
}
