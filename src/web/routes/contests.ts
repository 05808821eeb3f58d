/**
 * Representations and contests: recording them from a task, the region's
 * list, one contest with its review, and the printable information page
 * for the person. A task or contest in another region answers exactly like
 * one that does not exist. The original decider sees why they may not
 * review a contest, and a post from them (crafted or not) is refused with
 * the same words and nothing written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { scopeOf } from '../../access/region-scope.ts'
import type { ContestListFilter, ContestView } from '../../review/contest-view.ts'
import type { TaskView } from '../../review/task-view.ts'
import { explanationOrNothing } from '../../rules/stored-explanation.ts'
import type { ContestInput } from '../../tasks/contest-input.ts'
import { outcomeRefusal } from '../../tasks/contests.ts'
import { BadRequestError, backLink, taskIdIn } from '../case/request.ts'
import { contestMessage, outcomeMessage, REFUSALS } from '../contest-messages.ts'
import { readContestForm, readOutcomeForm } from '../forms/contest-form.ts'
import { staleDecisionMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { signedInUser } from '../server/guards.ts'
import { notFound } from '../server/not-found.ts'
import { caseFrame } from '../view-models/case.ts'
import {
  contestListPage,
  contestPage,
  type OutcomeValues,
  recordContestPage,
} from '../view-models/contests.ts'
import type { FormProblem } from '../view-models/forms.ts'
import { informationPage } from '../view-models/information.ts'
import type { RouteDependencies } from './dependencies.ts'

const contestParams = z.object({
  contestId: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number),
})

const SHOW: readonly ContestListFilter[] = ['open', 'mine', 'queue', 'decided']

export async function contestRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { tasks, contests } = deps.services
  const mayRecord = { config: { permission: 'contests:record' } } as const
  const mayReview = { config: { permission: 'contests:review' } } as const
  const mayRead = { config: { permission: 'cases:read' } } as const

  const userOf = (request: FastifyRequest) => {
    const user = signedInUser(request)
    return { id: user.id, name: user.name, regions: scopeOf(user) }
  }

  async function taskInUrl(request: FastifyRequest): Promise<TaskView> {
    return (
      (await tasks.find(taskIdIn(request.params), userOf(request).regions)) ??
      notFound('no such task in the user’s regions')
    )
  }

  async function showRecordForm(
    request: FastifyRequest,
    reply: FastifyReply,
    task: TaskView,
    form: { values?: ContestInput; problems?: readonly FormProblem[]; status: number },
  ) {
    const user = userOf(request)
    const { back, backParam } = backLink(request.query)
    const [holder, reviewers, open] = await Promise.all([
      tasks.holder(task),
      contests.reviewersFor(task),
      contests.ofTask(task, user.regions),
    ])
    const frame = caseFrame({ task, current: undefined, back, backParam, holder, userId: user.id })
    return reply.code(form.status).view(
      'contests/record',
      recordContestPage({
        frame,
        decided: (task.status === 'ACCEPTED' || task.status === 'REJECTED') && task.statusChangedBy !== null,
        openContestId: open.find((c) => c.outcome === null)?.id,
        reviewers,
        values: form.values,
        problems: form.problems,
        backParam,
      }),
    )
  }

  app.get(paths.taskRepresentations(':taskId'), mayRecord, async (request, reply) => {
    const user = userOf(request)
    // Opening the form shows the person's name and task: recorded and audited as a page of the case.
    const opened =
      (await tasks.open(taskIdIn(request.params), user, 'representations')) ??
      notFound('no such task in the user’s regions')
    return showRecordForm(request, reply, opened.task, { status: 200 })
  })

  app.post(paths.taskRepresentations(':taskId'), mayRecord, async (request, reply) => {
    const task = await taskInUrl(request)
    const values = readContestForm(request.body)
    const result = await contests.record(task.id, values, userOf(request))
    switch (result.kind) {
      case 'recorded':
        return reply.redirect(paths.contest(result.contestId), 303)
      case 'not-found':
        return notFound('the task left the user’s regions')
      case 'invalid': {
        const problems = result.problems.map((p) => ({ field: p.field, message: contestMessage(p) }))
        return showRecordForm(request, reply, task, { values, problems, status: 400 })
      }
    }
  })

  app.get(paths.contests(), mayReview, async (request, reply) => {
    const user = userOf(request)
    const raw = (request.query as { show?: unknown }).show
    const show = SHOW.find((s) => s === raw) ?? 'open'
    const [counts, list] = await Promise.all([
      contests.counts(user.regions, user.id),
      contests.list(user.regions, show, user.id),
    ])
    return reply.view('contests/list', contestListPage({ show, counts, contests: list }))
  })

  async function contestInUrl(request: FastifyRequest): Promise<ContestView> {
    const parsed = contestParams.safeParse(request.params)
    if (!parsed.success) return notFound('not a contest ID')
    return (
      (await contests.find(parsed.data.contestId, userOf(request).regions)) ??
      notFound('no such contest in the user’s regions')
    )
  }

  async function showContest(
    request: FastifyRequest,
    reply: FastifyReply,
    contest: ContestView,
    form: { values?: OutcomeValues; problems?: readonly FormProblem[]; refusal?: string; status: number },
  ) {
    const user = userOf(request)
    const [task, reasons] = await Promise.all([
      tasks.find(contest.taskId, user.regions),
      tasks.rejectionReasons(),
    ])
    const refusal =
      form.refusal ??
      (() => {
        const code = outcomeRefusal(
          {
            outcome: contest.outcome?.outcome ?? null,
            original_decider: contest.originalDecider.id,
            assigned_to: contest.assignedTo?.id ?? null,
          },
          user.id,
        )
        // A decided contest simply shows its outcome: nothing is wrong.
        return code && code !== 'alreadyDecided' ? REFUSALS[code] : undefined
      })()
    return reply.code(form.status).view(
      'contests/contest',
      contestPage({
        contest,
        refusal,
        refusalIsError: form.refusal !== undefined,
        taskVersion: task?.version ?? contest.contestedVersion,
        rejectionReasons: reasons,
        values: form.values,
        problems: form.problems,
      }),
    )
  }

  app.get(paths.contest(':contestId'), mayReview, async (request, reply) =>
    showContest(request, reply, await contestInUrl(request), { status: 200 }),
  )

  app.post(paths.contest(':contestId'), mayReview, async (request, reply) => {
    const contest = await contestInUrl(request)
    const posted = readOutcomeForm(request.body)
    if (!posted) throw new BadRequestError('outcome form with a missing or malformed version')
    const values: OutcomeValues = {
      outcome: posted.outcome,
      reasons: posted.reasons,
      rejectionReasons: posted.rejectionReasons,
      checksConfirmed: posted.checksConfirmed,
    }
    const result = await contests.decide(contest.id, posted, userOf(request))
    switch (result.kind) {
      case 'decided':
        return reply.redirect(paths.contest(contest.id), 303)
      case 'not-found':
        return notFound('the contest left the user’s regions')
      case 'refused': {
        const current = (await contests.find(contest.id, userOf(request).regions)) ?? contest
        const status = result.refusal === 'alreadyDecided' ? 409 : 403
        return showContest(request, reply, current, { values, refusal: REFUSALS[result.refusal], status })
      }
      case 'invalid':
        return showContest(request, reply, contest, {
          values,
          problems: result.problems.map(outcomeMessage),
          status: 400,
        })
      case 'stale':
        return showContest(request, reply, contest, {
          values,
          refusal: staleDecisionMessage(result.result.current),
          status: 409,
        })
    }
  })

  app.get(paths.taskInformation(':taskId'), mayRead, async (request, reply) => {
    const user = userOf(request)
    const task = await taskInUrl(request)
    const [decision, explanation] = await Promise.all([
      contests.informationViewed(task, user.id),
      tasks.explanation(task),
    ])
    return reply.view(
      'contests/information',
      informationPage({
        task,
        explanation: explanationOrNothing(explanation),
        decision,
        contact: contests.contact,
        today: deps.clock.today(),
      }),
    )
  })
}
