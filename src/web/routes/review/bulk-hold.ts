/**
 * POST /review-tasks/:region/hold: places the recommended tasks ticked on a
 * list on hold, with one note for them all. Each is an ordinary decision
 * (tasks/decisions.ts), guarded by the version its row showed, in a
 * transaction of its own: a task decided, reassigned or withdrawn since the
 * list was read is left as it was, and the summary page names it and says
 * why ("2 placed on hold; 1 not changed"). There is no bulk accept or
 * reject: each of those stays an individually reviewed decision.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { scopeOf } from '../../../access/region-scope.ts'
import { hasHiddenCharacters } from '../../../hidden-characters.ts'
import { MAX_TASKS_AT_ONCE } from '../../../tasks/assignment.ts'
import type { DecisionResult } from '../../../tasks/decisions.ts'
import { MAX_NOTE_LENGTH } from '../../../tasks/decisions.ts'
import { BadRequestError } from '../../case/request.ts'
import { tickedTasks } from '../../forms/ticked-tasks.ts'
import { paths } from '../../paths.ts'
import { signedInUser } from '../../server/guards.ts'
import { notFound } from '../../server/not-found.ts'
import { safeReturnPath } from '../../server/return-path.ts'
import { changeSummary, type TaskOutcome } from '../../view-models/assignment-pages.ts'
import { statusTag } from '../../view-models/case.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { regionParams, reviewPages } from './pages.ts'

const mayDecide = { config: { permission: 'tasks:decide' } } as const

const holdForm = z.object({
  task: tickedTasks,
  note: z.string().optional().default(''),
  returnTo: z.string().max(2000).optional(),
})

/** Why a ticked task was not placed on hold, in words. */
function whyNotHeld(result: Exclude<DecisionResult, { kind: 'decided' }>): string {
  switch (result.kind) {
    case 'stale':
      return `It was changed by someone else after the list was shown: it is now ${statusTag(result.current.status).text.toLowerCase()}`
    case 'not-found':
      return 'There is no such task in this region'
    case 'invalid': {
      const assigned = result.problems.find((problem) => problem.code === 'assignedToSomeoneElse')
      if (assigned?.code === 'assignedToSomeoneElse') {
        return `It is assigned to ${assigned.params.assigneeName}: open it to decide it anyway`
      }
      if (result.problems.some((problem) => problem.code === 'openTaskExists')) {
        return 'The person already has an open task of this type'
      }
      return 'It could not be placed on hold: open it to see why'
    }
  }
}

export async function bulkHoldRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks } = deps.services
  const { regionOrNotFound } = reviewPages(deps)

  app.post(paths.reviewHold(':region'), mayDecide, async (request, reply) => {
    const params = regionParams.safeParse(request.params)
    if (!params.success) notFound('not a region code')
    const options = regionOrNotFound(request, params.data.region)
    const form = holdForm.safeParse(request.body ?? {})
    if (!form.success) throw new BadRequestError('hold form with a missing or malformed field')
    const backHref = safeReturnPath(form.data.returnTo) ?? paths.reviewTasks()
    const note = form.data.note.trim()
    const user = signedInUser(request)
    const region = { all: false, codes: [options.region.code] } as const
    const unique = [...new Map(form.data.task.map((task) => [task.taskId, task])).values()]

    let problem: string | undefined
    if (unique.length === 0) problem = 'Select the tasks to place on hold'
    else if (unique.length > MAX_TASKS_AT_ONCE) problem = `Select ${MAX_TASKS_AT_ONCE} tasks or fewer at once`
    else if (note.length > MAX_NOTE_LENGTH)
      problem = `Note must be ${MAX_NOTE_LENGTH.toLocaleString('en-GB')} characters or fewer`
    else if (hasHiddenCharacters(note, 'multi-line')) {
      problem = 'Note must not include hidden characters, which can come from pasting text'
    }
    const back = { backHref, backText: 'Back to the list' }
    if (problem) {
      return reply.code(400).view('review/assignment-result', {
        ...changeSummary([], new Map(), (count) => `${count} placed on hold`),
        pageTitle: 'No tasks were placed on hold',
        errors: [{ text: problem, href: backHref }],
        ...back,
      })
    }

    const outcomes: TaskOutcome[] = []
    for (const ticked of unique) {
      // Only a recommended task is placed on hold from a list: anything else has been decided since.
      const task = await tasks.find(ticked.taskId, region)
      if (!task) {
        outcomes.push({
          taskId: ticked.taskId,
          changed: false,
          reason: 'There is no such task in this region',
          found: false,
        })
        continue
      }
      if (task.status !== 'RECOMMENDED' && task.version === ticked.expectedVersion) {
        outcomes.push({
          taskId: task.id,
          changed: false,
          reason: 'It is not a recommended task',
          found: true,
        })
        continue
      }
      const result = await tasks.decide({
        taskId: task.id,
        expectedVersion: ticked.expectedVersion,
        decision: { status: 'ON_HOLD', note: note === '' ? null : note },
        user: { id: user.id, regions: region },
      })
      outcomes.push(
        result.kind === 'decided'
          ? { taskId: task.id, changed: true }
          : {
              taskId: task.id,
              changed: false,
              reason: whyNotHeld(result),
              found: result.kind !== 'not-found',
            },
      )
    }
    const names = await tasks.taskNames(
      outcomes.map((outcome) => outcome.taskId),
      scopeOf(user),
    )
    const summary = changeSummary(outcomes, names, (count) => `${count} placed on hold`)
    return reply.code(summary.refusedCount > 0 ? 409 : 200).view('review/assignment-result', {
      ...summary,
      ...back,
    })
  })
}
