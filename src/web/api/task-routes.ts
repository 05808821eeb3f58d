/**
 * GET /tasks and GET /tasks/{taskId}: the review lists and a task's case
 * header with why it was recommended, through the same services as the
 * pages, within the client's regions, each read audited with the client.
 */
import type { FastifyInstance } from 'fastify'
import { isReviewTab } from '../../review/lists.ts'
import { type SearchInput, validateSearch } from '../../review/search.ts'
import { searchContext } from '../../review/search-options.ts'
import { explanationOrNothing } from '../../rules/stored-explanation.ts'
import { searchMessage } from '../messages.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { clientOf, clientScope } from './client.ts'
import { cursorSigner } from './cursor.ts'
import { addOperation } from './operations.ts'
import { sendProblem } from './problem-details.ts'
import { fieldsProblem, problem } from './problem-types.ts'
import { TASK_EXAMPLES, TASK_SEARCH_EXAMPLES } from './task-examples.ts'
import {
  taskAnswer,
  taskOf,
  taskParams,
  taskSearchAnswer,
  taskSearchQuery,
  taskSummaryOf,
} from './task-schemas.ts'

type SearchQuery = ReturnType<typeof taskSearchQuery.parse>

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

/** An ISO date as the search form's three boxes. */
function dateParts(date: string | undefined) {
  const [year = '', month = '', day = ''] = (date ?? '').split('-')
  return { day, month, year }
}

/** The criteria that make a search (as against listing a whole tab): any of them given. */
function isSearch(query: SearchQuery): boolean {
  return [query.taskTypes, query.from, query.to, query.countries, query.location].some((v) => v !== undefined)
}

/** What a cursor is bound to: every criterion but the cursor itself. */
function fingerprintOf(query: SearchQuery): string {
  const { cursor: _cursor, ...criteria } = query
  return JSON.stringify(Object.entries(criteria).sort(([a], [b]) => a.localeCompare(b)))
}

export async function taskRoutes(api: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { reviewLists, searchChoices, tasks } = deps.services
  const cursors = cursorSigner(deps.config.sessionSecret)

  addOperation(
    api,
    {
      method: 'GET',
      url: '/tasks',
      operationId: 'searchTasks',
      tag: 'Tasks',
      summary: 'Search the tasks of a region',
      description:
        'The tasks of one tab of a region, highest priority first, as the review lists show them; with task types and reporting dates, the same search as the search page (the dates narrow the Recommended tab only). Paged by an opaque cursor: pass `next` back as `cursor` with the same criteria. Audited as a search.',
      scope: 'tasks:read',
      query: taskSearchQuery,
      responses: { 200: taskSearchAnswer.describe('The tasks, and where the next ones start.') },
      problems: ['invalid-cursor', 'not-found', 'invalid-search'],
      examples: TASK_SEARCH_EXAMPLES,
    },
    async (request, reply) => {
      const query = request.query as SearchQuery
      const client = clientOf(request)
      const scope = clientScope(request)
      const options = searchChoices.optionsFor(scope, query.region)
      if (!options) {
        return sendProblem(reply, problem('not-found', `The client has no region ${query.region}.`))
      }
      const fingerprint = fingerprintOf(query)
      const position = query.cursor === undefined ? null : cursors.read(query.cursor, fingerprint)
      if (position === undefined) {
        return sendProblem(
          reply,
          problem('invalid-cursor', 'The cursor was changed, or was issued for another search.', {
            errors: [{ field: 'cursor', code: 'invalid', message: 'Start again without a cursor.' }],
          }),
        )
      }
      let search = null
      if (isSearch(query)) {
        const input: SearchInput = {
          taskTypes: list(query.taskTypes),
          from: dateParts(query.from),
          to: dateParts(query.to),
          countries: list(query.countries),
          location: query.location ?? '',
        }
        const result = validateSearch(
          input,
          searchContext(options, deps.clock.today(), deps.config.searchMaxDays),
        )
        if (!result.ok) {
          const errors = result.problems.map((p) => ({
            field: p.field === 'taskType' ? 'taskTypes' : p.field === 'country' ? 'countries' : p.field,
            code: p.code,
            message: searchMessage(p),
            ...('params' in p ? { params: p.params } : {}),
          }))
          return sendProblem(reply, fieldsProblem('invalid-search', 'The search is not acceptable', errors))
        }
        search = result.search
      }
      const tab = isReviewTab(query.tab) ? query.tab : 'recommended'
      const found = await reviewLists.tasksFrom(
        tab,
        { region: query.region, scope, search },
        { start: position?.key ?? null, lot: position?.lot ?? 1, limit: query.limit },
        { userId: null, clientId: client.clientId },
      )
      return {
        region: query.region,
        tab,
        tasks: found.rows.map(taskSummaryOf),
        next: found.next
          ? cursors.issue({ key: found.next, lot: (position?.lot ?? 1) + 1 }, fingerprint)
          : null,
      }
    },
  )

  addOperation(
    api,
    {
      method: 'GET',
      url: '/tasks/:taskId',
      operationId: 'getTask',
      tag: 'Tasks',
      summary: 'Read a task, with why it was recommended',
      description:
        'The task as its case page shows it, with the explanation of the recommendation as structured data: each condition of the rule with the person’s value, the safeguards and the priority’s factors. A task outside the client’s regions is not found. Audited as a view of the case.',
      scope: 'tasks:read',
      params: taskParams,
      responses: { 200: taskAnswer.describe('The task, with its explanation.') },
      problems: ['not-found'],
      examples: TASK_EXAMPLES,
    },
    async (request, reply) => {
      const { taskId } = request.params as { taskId: number }
      const client = clientOf(request)
      const task = await tasks.viewedByClient(taskId, clientScope(request), client.clientId)
      if (!task) {
        return sendProblem(reply, problem('not-found', `There is no task ${taskId} in the client’s regions.`))
      }
      return taskOf(task, explanationOrNothing(await tasks.explanation(task)))
    },
  )
}
