/**
 * The pull feed of decision events, GET /events, for systems that cannot
 * receive webhooks: the same events as the webhooks carry, in the same
 * order (by the sequencer's passes, each task's in version order), from
 * just after an opaque cursor, in the client's regions only (an event
 * belongs to its task's region). Every answer has a `next` cursor: poll
 * with it for what comes after; a page shorter than `limit` means the
 * client has caught up for now.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { eventCursors } from '../../events/cursor.ts'
import { EVENT_TYPES, FEED_START } from '../../events/event-types.ts'
import { eventMessage } from '../../events/payload.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { clientOf, clientScope } from './client.ts'
import type { ApiExample } from './operations.ts'
import { addOperation } from './operations.ts'
import { PROBLEM_TYPE_BASE, sendProblem } from './problem-details.ts'
import { problem } from './problem-types.ts'
import { timestampSchema } from './schemas.ts'

const feedQuery = z.object({
  after: z
    .string()
    .max(200)
    .optional()
    .describe('The `next` of the previous answer; absent for the first event the feed still holds.'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

const eventSchema = z.object({
  id: z.string().describe('The event’s stable ID, the same as its webhook’s `webhook-id`.'),
  type: z.enum(EVENT_TYPES as [string, ...string[]]),
  timestamp: timestampSchema,
  data: z.object({
    id: z.string(),
    taskId: z.number().int(),
    taskVersion: z
      .number()
      .int()
      .describe(
        'The task’s version this change made: each task’s go up by one. A contest changes no version: its events carry the version the task had.',
      ),
    status: z
      .enum(['RECOMMENDED', 'ACCEPTED', 'REJECTED', 'ON_HOLD', 'WITHDRAWN'])
      .describe('The status set; for a contest’s events, the task’s status when it was recorded or decided.'),
    occurredAt: timestampSchema,
    personId: z.string(),
    taskType: z.string(),
    region: z.string(),
    madeBy: z.union([
      z.object({ kind: z.literal('user'), userId: z.string() }),
      z.object({ kind: z.literal('rule-run'), runId: z.number().int(), ruleSetVersion: z.string() }),
    ]),
    reasons: z.array(z.string()).nullable().describe('Rejection reason codes; null for other statuses.'),
    details: z
      .string()
      .nullable()
      .describe(
        'The caseworker’s details of a rejection, a contest’s summary (task.contested) or its outcome’s reasons (task.contest-decided); null otherwise.',
      ),
    contest: z
      .object({
        id: z.number().int(),
        receivedOn: z.string().describe('The day the representations were received (YYYY-MM-DD).'),
        channel: z.string().describe('How they were received, e.g. LETTER or EMAIL.'),
        from: z.enum(['PERSON', 'REPRESENTATIVE']).describe('The person, or someone for them.'),
        outcome: z
          .enum(['UPHELD', 'CHANGED'])
          .nullable()
          .describe(
            'The review’s outcome, in task.contest-decided; null in task.contested. A changed decision is also its own task.accepted or task.rejected event, just before.',
          ),
      })
      .nullable()
      .describe('The contest, for task.contested and task.contest-decided; null for a change of status.'),
  }),
})

const feedAnswer = z.object({
  events: z.array(eventSchema),
  next: z
    .string()
    .describe('Pass as `after` for the events that follow (now, or later when there are none yet).'),
})

const EVENT_FEED_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'changed-cursor',
    summary: 'A cursor changed by hand',
    query: { after: '1.1.changed', limit: '10' },
    response: { status: 400, body: { type: `${PROBLEM_TYPE_BASE}#invalid-cursor`, status: 400 } },
  },
]

export async function eventRoutes(api: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { events } = deps.services
  const cursors = eventCursors(deps.config.sessionSecret)

  addOperation(
    api,
    {
      method: 'GET',
      url: '/events',
      operationId: 'listDecisionEvents',
      tag: 'Decision events',
      summary: 'Read the decision events',
      description:
        'Every change of a task’s status in the client’s regions (recommended, accepted, rejected, held, withdrawn), and every contest of a decision recorded or decided, oldest first, each task’s in the order of its versions: the same events, with the same IDs, as the webhooks deliver. Poll with `after` set to the previous answer’s `next`; an event is here about a second after its change commits.',
      scope: 'events:read',
      query: feedQuery,
      responses: { 200: feedAnswer },
      problems: ['invalid-cursor'],
      examples: EVENT_FEED_EXAMPLES,
    },
    async (request, reply) => {
      const query = request.query as z.infer<typeof feedQuery>
      const after = query.after === undefined ? FEED_START : cursors.read(query.after)
      if (after === undefined) {
        return sendProblem(
          reply,
          problem('invalid-cursor', 'The cursor was changed, or was not issued by this service.', {
            errors: [{ field: 'after', code: 'invalid', message: 'Start again without a cursor.' }],
          }),
        )
      }
      const page = await events.feed(
        { after, limit: query.limit, regions: clientScope(request), types: null },
        { clientId: clientOf(request).clientId },
      )
      return {
        events: page.events.map((event) => ({ id: eventMessage(event).data.id, ...eventMessage(event) })),
        next: cursors.issue(page.next),
      }
    },
  )
}
