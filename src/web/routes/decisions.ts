/**
 * Accept, reject and place on hold: a GET shows the form with the task
 * version the caseworker is looking at; the POST validates the form (zod),
 * asks decideTask, and either redirects to the confirmation (post, redirect,
 * get) or shows the form again with the problem and everything the user
 * entered. A decision on a task that changed meanwhile is refused with who
 * changed it and when.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { scopeOf } from '../../access/region-scope.ts'
import { CASE_ROLES } from '../../access/roles.ts'
import { findCaseHolder } from '../../review/claims.ts'
import { openCase } from '../../review/open-case.ts'
import { findTaskView, listRejectionReasons, type TaskView } from '../../review/task-view.ts'
import type { Decision } from '../../tasks/decisions.ts'
import { BadRequestError, backLink, taskParams } from '../case/request.ts'
import { DECISION_ACTIONS, DECISION_OF_ACTION, type DecisionAction } from '../case/sections.ts'
import { messages, staleDecisionMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { requireRole } from '../server/guards.ts'
import { caseFrame, isActionAvailable, statusTag } from '../view-models/case.ts'
import {
  confirmationPage,
  type DecisionInput,
  decisionPage,
  decisionProblems,
} from '../view-models/decisions.ts'
import type { FormProblem } from '../view-models/forms.ts'
import type { RouteDependencies } from './dependencies.ts'

const text = z.string().optional().default('')
const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))

/**
 * The posted form. The version is a hidden field: anything but a whole
 * number means the page was tampered with, which is a bad request rather
 * than something the user can fix on the form.
 */
const decisionForm = z.object({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/)
    .transform(Number),
  reasons: oneOrMany,
  details: text,
  note: text,
  checksConfirmed: z.string().optional(),
})

function decisionFrom(action: DecisionAction, input: DecisionInput): Decision {
  switch (action) {
    case 'accept':
      // The service checks the confirmation again; an unticked box arrives as absent.
      return { status: 'ACCEPTED', checksConfirmed: input.checksConfirmed as true }
    case 'reject':
      return {
        status: 'REJECTED',
        reasons: input.reasons,
        details: input.details,
        checksConfirmed: input.checksConfirmed as true,
      }
    case 'hold':
      return { status: 'ON_HOLD', note: input.note }
  }
}

export async function decisionRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const db = deps.database.db
  const preHandler = requireRole(...CASE_ROLES)

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      action: DecisionAction
      task: TaskView
      version: number
      input?: DecisionInput
      problems?: readonly FormProblem[]
      refusal?: string
      status: number
    },
  ) {
    const user = request.user
    if (!user) return reply.callNotFound()
    const { back, backParam } = backLink(request.query)
    const [reasons, holder] = await Promise.all([
      options.action === 'reject' ? listRejectionReasons(db) : [],
      findCaseHolder(db, {
        taskId: options.task.id,
        statusChangedAt: options.task.statusChangedAt,
        clock: deps.clock,
      }),
    ])
    const frame = caseFrame({
      task: options.task,
      current: undefined,
      back,
      backParam,
      holder,
      userId: user.id,
    })
    return reply.code(options.status).view(
      'case/decision',
      decisionPage({
        action: options.action,
        frame,
        backParam,
        version: options.version,
        caseManagementSystem: deps.config.caseManagementSystem,
        reasons,
        ...(options.input ? { input: options.input } : {}),
        ...(options.problems ? { problems: options.problems } : {}),
        ...(options.refusal ? { refusal: options.refusal } : {}),
      }),
    )
  }

  for (const action of DECISION_ACTIONS) {
    app.get(paths.taskDecision(':taskId', action), { preHandler }, async (request, reply) => {
      const params = taskParams.safeParse(request.params)
      const user = request.user
      if (!params.success || !user) return reply.callNotFound()
      const opened = await openCase(db, {
        taskId: params.data.taskId,
        user: { id: user.id, name: user.name, regions: scopeOf(user) },
        section: action,
        clock: deps.clock,
      })
      if (!opened) return reply.callNotFound()
      const { back, backParam } = backLink(request.query)
      // Nothing to decide (withdrawn) or already decided this way: the case page says where it stands.
      if (!isActionAvailable(opened.task.status, action)) {
        return reply.redirect(paths.task(opened.task.id, backParam), 303)
      }
      const frame = caseFrame({
        task: opened.task,
        current: undefined,
        back,
        backParam,
        holder: opened.holder,
        userId: user.id,
      })
      const reasons = action === 'reject' ? await listRejectionReasons(db) : []
      return reply.view(
        'case/decision',
        decisionPage({
          action,
          frame,
          backParam,
          version: opened.task.version,
          caseManagementSystem: deps.config.caseManagementSystem,
          reasons,
        }),
      )
    })

    app.post(paths.taskDecision(':taskId', action), { preHandler }, async (request, reply) => {
      const params = taskParams.safeParse(request.params)
      const user = request.user
      if (!params.success || !user) return reply.callNotFound()
      const scope = scopeOf(user)
      const task = await findTaskView(db, params.data.taskId, scope)
      if (!task) return reply.callNotFound()
      const form = decisionForm.safeParse(request.body ?? {})
      if (!form.success) throw new BadRequestError('decision form with a missing or malformed field')
      const input: DecisionInput = {
        reasons: form.data.reasons,
        details: form.data.details,
        note: form.data.note,
        checksConfirmed: form.data.checksConfirmed === 'yes',
      }
      const { version } = form.data

      // Deciding what the task already is would only bump its version: say so instead.
      if (
        version === task.version &&
        !isActionAvailable(task.status, action) &&
        task.status !== 'WITHDRAWN'
      ) {
        return renderForm(request, reply, {
          action,
          task,
          version,
          input,
          refusal: messages.decisions.alreadyInStatus(statusTag(task.status).text.toLowerCase()),
          status: 409,
        })
      }

      const result = await deps.services.tasks.decide({
        taskId: task.id,
        expectedVersion: version,
        decision: decisionFrom(action, input),
        user: { id: user.id, regions: scope },
      })
      switch (result.kind) {
        case 'decided': {
          const { backParam } = backLink(request.query)
          return reply.redirect(paths.taskDecided(task.id, action, backParam), 303)
        }
        case 'not-found':
          return reply.callNotFound()
        case 'invalid':
          return renderForm(request, reply, {
            action,
            task,
            version,
            input,
            problems: decisionProblems(result.problems),
            status: 400,
          })
        case 'stale': {
          // Show the task as it is now, with the user's input kept and the version they saw:
          // submitting again is refused again until they go back and look at the case.
          const current = (await findTaskView(db, task.id, scope)) ?? task
          return renderForm(request, reply, {
            action,
            task: current,
            version,
            input,
            refusal: staleDecisionMessage(result.current),
            status: 409,
          })
        }
      }
    })

    app.get(paths.taskDecided(':taskId', action), { preHandler }, async (request, reply) => {
      const params = taskParams.safeParse(request.params)
      const user = request.user
      if (!params.success || !user) return reply.callNotFound()
      const task = await findTaskView(db, params.data.taskId, scopeOf(user))
      if (!task) return reply.callNotFound()
      const { back, backParam } = backLink(request.query)
      // Only confirm what is true now: a bookmarked confirmation of a changed task shows the case instead.
      if (task.status !== DECISION_OF_ACTION[action]) {
        return reply.redirect(paths.task(task.id, backParam), 303)
      }
      return reply.view(
        'case/decided',
        confirmationPage({
          action,
          personName: task.personName,
          taskTypeName: task.taskType.name,
          back,
        }),
      )
    })
  }
}
