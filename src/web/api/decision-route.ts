/**
 * POST /tasks/{taskId}/decision: accept, reject or hold, through the same
 * tasks service as the decision pages, so the version guard, the checks,
 * the evidence of review and the audit are theirs. Decisions are made by
 * people: the body names the caseworker (`decidedBy`), who must be an
 * active user allowed to decide in the task's region; the task's event
 * records them, and the audit records them with the client.
 */
import type { FastifyInstance } from 'fastify'
import { can } from '../../access/permissions.ts'
import { canSee, narrowTo, scopeOf } from '../../access/region-scope.ts'
import type { CurrentTaskState } from '../../tasks/decision-refusals.ts'
import type { Decision, DecisionProblem } from '../../tasks/decisions.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { isActionAvailable } from '../view-models/case.ts'
import { apiDecisionMessage, unknownDeciderMessage } from './api-messages.ts'
import { clientOf, clientScope } from './client.ts'
import { addOperation } from './operations.ts'
import { sendProblem } from './problem-details.ts'
import { fieldsProblem, problem } from './problem-types.ts'
import { DECISION_EXAMPLES } from './task-examples.ts'
import { type DecisionBody, decisionAnswer, decisionBody, taskParams } from './task-schemas.ts'

/** The decision as the tasks layer takes it; its own checks run again on every field. */
function decisionOf(body: DecisionBody): Decision {
  switch (body.decision) {
    case 'accept':
      return { status: 'ACCEPTED', checksConfirmed: body.checksConfirmed as true, note: body.note ?? null }
    case 'reject':
      return {
        status: 'REJECTED',
        reasons: body.reasons,
        details: body.details,
        checksConfirmed: body.checksConfirmed as true,
      }
    case 'hold':
      return { status: 'ON_HOLD', note: body.note ?? null }
  }
}

/** The task as it stands, for a 409: what changed it, and the version to decide on now. */
function currentState(current: CurrentTaskState) {
  return {
    task: {
      status: current.status,
      version: current.version,
      changedBy: current.changedBy,
      changedByName: current.changedByName,
      changedAt: current.changedAt.toISOString(),
    },
  }
}

/** The API names fields as its body does: the page's acceptNote is the body's note. */
function fieldErrors(problems: readonly DecisionProblem[]) {
  return problems.map((p) => ({
    field: p.field === 'acceptNote' ? 'note' : p.field,
    code: p.code,
    message: apiDecisionMessage(p),
    ...('params' in p ? { params: p.params } : {}),
  }))
}

export async function decisionRoute(api: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks } = deps.services

  addOperation(
    api,
    {
      method: 'POST',
      url: '/tasks/:taskId/decision',
      operationId: 'decideTask',
      tag: 'Tasks',
      summary: 'Accept, reject or hold a task',
      description:
        'Records a caseworker’s decision, guarded by the task version they saw: if the task changed since, nothing is changed and the answer is 409 with the task’s current state. A rejection gives reason codes from the reference data and details; accepting and rejecting confirm the review the decision page asks for. `decidedBy` is the caseworker, who must be an active user allowed to decide in the task’s region; the decision is theirs in the task’s history and the audit, with the client beside them.',
      scope: 'tasks:decide',
      params: taskParams,
      body: decisionBody,
      responses: { 200: decisionAnswer.describe('The decision is made: the task as it now stands.') },
      problems: ['decider-not-allowed', 'not-found', 'stale-version', 'invalid-decision'],
      examples: DECISION_EXAMPLES,
    },
    async (request, reply) => {
      const { taskId } = request.params as { taskId: number }
      const body = request.body as DecisionBody
      const client = clientOf(request)
      const task = await tasks.find(taskId, clientScope(request))
      if (!task)
        return sendProblem(reply, problem('not-found', `There is no task ${taskId} in the client’s regions.`))

      const decider = await tasks.activeUser(body.decidedBy)
      if (!decider) {
        const message = unknownDeciderMessage(body.decidedBy)
        return sendProblem(
          reply,
          fieldsProblem('invalid-decision', 'The decision cannot be made', [
            { field: 'decidedBy', code: 'deciderUnknown', message },
          ]),
        )
      }
      if (!can(decider, 'tasks:decide') || !canSee(scopeOf(decider), task.romRegion)) {
        return sendProblem(
          reply,
          problem(
            'decider-not-allowed',
            `${decider.id} may not decide tasks in ${task.romRegion}: their roles or regions do not allow it.`,
          ),
        )
      }

      // Deciding what the task already is would only bump its version: refused as the page refuses it.
      const stillTheSame = body.version === task.version
      if (stillTheSame && !isActionAvailable(task.status, body.decision) && task.status !== 'WITHDRAWN') {
        return sendProblem(
          reply,
          problem('stale-version', `The task is already ${task.status}.`, {
            task: {
              status: task.status,
              version: task.version,
              changedBy: task.statusChangedBy?.id ?? null,
              changedByName: task.statusChangedBy?.name ?? null,
              changedAt: task.statusChangedAt.toISOString(),
            },
          }),
        )
      }

      const result = await tasks.decide({
        taskId: task.id,
        expectedVersion: body.version,
        decision: decisionOf(body),
        user: { id: decider.id, regions: narrowTo(scopeOf(decider), task.romRegion) },
        clientId: client.clientId,
        acceptNote: deps.config.reviewEvidence.acceptNote,
      })
      switch (result.kind) {
        case 'decided':
          return {
            id: result.task.id,
            status: result.task.status,
            version: result.task.version,
            statusChangedAt: result.task.statusChangedAt.toISOString(),
            statusChangedBy: decider.id,
          }
        case 'not-found':
          return sendProblem(
            reply,
            problem('not-found', `There is no task ${taskId} in the client’s regions.`),
          )
        case 'stale':
          return sendProblem(
            reply,
            problem(
              'stale-version',
              `The task changed after version ${body.version}: it is now version ${result.current.version}.`,
              currentState(result.current),
            ),
          )
        case 'invalid': {
          const errors = fieldErrors(result.problems)
          return sendProblem(reply, fieldsProblem('invalid-decision', 'The decision cannot be made', errors))
        }
      }
    },
  )
}
