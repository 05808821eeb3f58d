/**
 * Accept, reject and place on hold: a GET shows the form with the task
 * version the caseworker is looking at; the POST reads the form, asks the
 * tasks service to decide, and either redirects to the confirmation (post,
 * redirect, get) or shows the form again with the problem and everything the
 * user entered. A decision on a task that changed meanwhile is refused with
 * who changed it and when.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { scopeOf } from '../../access/region-scope.ts'
import type { CaseHolder } from '../../review/claims.ts'
import type { TaskView } from '../../review/task-view.ts'
import { BadRequestError, backLink, taskIdIn } from '../case/request.ts'
import { DECISION_ACTIONS, DECISION_OF_ACTION, type DecisionAction } from '../case/sections.ts'
import { decisionFrom, readDecisionForm } from '../forms/decision-form.ts'
import { messages, staleDecisionMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { caseFrame, isActionAvailable, statusTag } from '../view-models/case.ts'
import {
  confirmationPage,
  type DecisionInput,
  decisionPage,
  decisionProblems,
} from '../view-models/decisions.ts'
import type { FormProblem } from '../view-models/forms.ts'
import type { RouteDependencies } from './dependencies.ts'

interface DecisionForm {
  readonly action: DecisionAction
  readonly task: TaskView
  /** Who has the case open; the GET has just recorded its own opening. */
  readonly holder: CaseHolder | undefined | Promise<CaseHolder | undefined>
  readonly version: number
  readonly input?: DecisionInput
  readonly problems?: readonly FormProblem[]
  readonly refusal?: string
  readonly status: number
}

export async function decisionRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks } = deps.services
  const mayDecide = { config: { permission: 'tasks:decide' } } as const

  async function showForm(request: FastifyRequest, reply: FastifyReply, form: DecisionForm) {
    const { back, backParam } = backLink(request.query)
    const [reasons, holder] = await Promise.all([
      form.action === 'reject' ? tasks.rejectionReasons() : [],
      form.holder,
    ])
    const userId = signedInUser(request).id
    const frame = caseFrame({ task: form.task, current: undefined, back, backParam, holder, userId })
    return reply.code(form.status).view(
      'case/decision',
      decisionPage({
        action: form.action,
        frame,
        backParam,
        version: form.version,
        caseManagementSystem: deps.config.caseManagementSystem,
        acceptNote: deps.config.reviewEvidence.acceptNote,
        reasons,
        ...(form.input ? { input: form.input } : {}),
        ...(form.problems ? { problems: form.problems } : {}),
        ...(form.refusal ? { refusal: form.refusal } : {}),
      }),
    )
  }

  /** The task in the URL, in the user's regions; "page not found" otherwise. */
  async function taskInUrl(request: FastifyRequest): Promise<TaskView> {
    const task = await tasks.find(taskIdIn(request.params), scopeOf(signedInUser(request)))
    return task ?? notFound('no such task in the user’s regions')
  }

  for (const action of DECISION_ACTIONS) {
    app.get(paths.taskDecision(':taskId', action), mayDecide, async (request, reply) => {
      const user = signedInUser(request)
      const opener = { id: user.id, name: user.name, regions: scopeOf(user) }
      const opened =
        (await tasks.open(taskIdIn(request.params), opener, action)) ??
        notFound('no such task in the user’s regions')
      // Nothing to decide (withdrawn) or already decided this way: the case page says where it stands.
      if (!isActionAvailable(opened.task.status, action)) {
        return reply.redirect(paths.task(opened.task.id, backLink(request.query).backParam), 303)
      }
      const { task, holder } = opened
      return showForm(request, reply, { action, task, holder, version: task.version, status: 200 })
    })

    app.post(paths.taskDecision(':taskId', action), mayDecide, async (request, reply) => {
      const scope = scopeOf(signedInUser(request))
      const task = await taskInUrl(request)
      const posted = readDecisionForm(request.body)
      if (!posted) throw new BadRequestError('decision form with a missing or malformed field')
      const { version, input } = posted
      const refused = (form: Pick<DecisionForm, 'task' | 'problems' | 'refusal' | 'status'>) =>
        showForm(request, reply, { action, version, input, holder: tasks.holder(form.task), ...form })

      // Deciding what the task already is would only bump its version: say so instead.
      if (
        version === task.version &&
        !isActionAvailable(task.status, action) &&
        task.status !== 'WITHDRAWN'
      ) {
        const refusal = messages.decisions.alreadyInStatus(statusTag(task.status).text.toLowerCase())
        return refused({ task, refusal, status: 409 })
      }

      const result = await tasks.decide({
        taskId: task.id,
        expectedVersion: version,
        decision: decisionFrom(action, input),
        user: { id: signedInUser(request).id, regions: scope },
        acceptNote: deps.config.reviewEvidence.acceptNote,
        decideAnyway: input.decideAnyway,
      })
      switch (result.kind) {
        case 'decided':
          return reply.redirect(paths.taskDecided(task.id, action, backLink(request.query).backParam), 303)
        case 'not-found':
          return notFound('the task left the user’s regions')
        case 'invalid':
          return refused({ task, problems: decisionProblems(result.problems), status: 400 })
        case 'stale': {
          // Show the task as it is now, with the user's input kept and the version they saw:
          // submitting again is refused again until they go back and look at the case.
          const current = (await tasks.find(task.id, scope)) ?? task
          return refused({ task: current, refusal: staleDecisionMessage(result.current), status: 409 })
        }
      }
    })

    app.get(paths.taskDecided(':taskId', action), mayDecide, async (request, reply) => {
      const task = await taskInUrl(request)
      const { back, backParam } = backLink(request.query)
      // Only confirm what is true now: a bookmarked confirmation of a changed task shows the case instead.
      if (task.status !== DECISION_OF_ACTION[action]) {
        return reply.redirect(paths.task(task.id, backParam), 303)
      }
      const { personName } = task
      return reply.view(
        'case/decided',
        confirmationPage({ action, personName, taskTypeName: task.taskType.name, back }),
      )
    })
  }
}
