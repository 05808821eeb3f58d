/**
 * The rule runs: GET /rule-runs (newest first, paged by run ID), GET
 * /rule-runs/{runId}, and POST /rule-runs, which queues a run of the live
 * rule set through the job queue, as an import does. A run's counts are
 * per task type and region: the client sees its own regions' only.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { canSee, type RegionScope } from '../../access/region-scope.ts'
import { recordAuditEvent } from '../../audit/events.ts'
import type { RuleRunRecord } from '../../rules/overview.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { clientOf, clientScope } from './client.ts'
import { addOperation } from './operations.ts'
import { sendProblem } from './problem-details.ts'
import { problem } from './problem-types.ts'
import { RULE_RUN_EXAMPLES, RULE_RUN_LIST_EXAMPLES, RULE_RUN_QUEUE_EXAMPLES } from './resource-examples.ts'
import { timestampSchema } from './schemas.ts'

const runSchema = z.object({
  id: z.number().int(),
  ruleSetVersion: z.string(),
  trigger: z
    .string()
    .describe(
      'What started it: manual (a command), import, start (the service starting), schedule or api (an API client).',
    ),
  status: z.enum(['RUNNING', 'COMPLETED', 'FAILED']),
  startedAt: timestampSchema,
  finishedAt: timestampSchema.nullable(),
  personsEvaluated: z.number().int().nullable(),
  counts: z
    .array(
      z.object({
        taskType: z.string(),
        romRegion: z.string(),
        new: z.number().int(),
        unchanged: z.number().int(),
        withdrawn: z.number().int(),
        suppressed: z.number().int(),
      }),
    )
    .describe(
      'What the run did per task type and region, in the client’s regions; empty unless it completed.',
    ),
  failure: z.string().nullable(),
})

const listQuery = z.object({
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Only runs older than this run ID: the `next` of the previous answer.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

const listAnswer = z.object({
  runs: z.array(runSchema),
  next: z.number().int().nullable().describe('Pass as `before` for older runs; null after the oldest.'),
})

const runParams = z.object({ runId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })

const queueBody = z
  .object({
    full: z
      .boolean()
      .default(false)
      .describe('Evaluate every person, not only those changed since the last run.'),
  })
  .optional()

const queuedAnswer = z.object({
  jobId: z.string().describe('The background job that will run the rules.'),
  status: z.literal('queued'),
})

function runOf(run: RuleRunRecord, scope: RegionScope): z.infer<typeof runSchema> {
  return {
    ...run,
    status: run.status as z.infer<typeof runSchema>['status'],
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    counts: run.counts.filter((count) => canSee(scope, count.romRegion)),
  }
}

export async function ruleRunRoutes(api: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { rules, jobs } = deps.services

  addOperation(
    api,
    {
      method: 'GET',
      url: '/rule-runs',
      operationId: 'listRuleRuns',
      tag: 'Rule runs',
      summary: 'List the rule runs',
      description: 'Rule runs, newest first, with what each did in the client’s regions.',
      scope: 'rules:read',
      query: listQuery,
      responses: { 200: listAnswer.describe('The runs, newest first.') },
      problems: [],
      examples: RULE_RUN_LIST_EXAMPLES,
    },
    async (request) => {
      const query = request.query as z.infer<typeof listQuery>
      const runs = await rules.runs({ beforeId: query.before, limit: query.limit })
      const last = runs.at(-1)
      return {
        runs: runs.map((run) => runOf(run, clientScope(request))),
        next: runs.length === query.limit && last ? last.id : null,
      }
    },
  )

  addOperation(
    api,
    {
      method: 'GET',
      url: '/rule-runs/:runId',
      operationId: 'getRuleRun',
      tag: 'Rule runs',
      summary: 'Read a rule run',
      description: 'One rule run: its rule set version, status, and what it did in the client’s regions.',
      scope: 'rules:read',
      params: runParams,
      responses: { 200: runSchema.describe('The run.') },
      problems: ['not-found'],
      examples: RULE_RUN_EXAMPLES,
    },
    async (request, reply) => {
      const { runId } = request.params as z.infer<typeof runParams>
      const run = await rules.run(runId)
      if (!run) return sendProblem(reply, problem('not-found', `There is no rule run ${runId}.`))
      return runOf(run, clientScope(request))
    },
  )

  addOperation(
    api,
    {
      method: 'POST',
      url: '/rule-runs',
      operationId: 'startRuleRun',
      tag: 'Rule runs',
      summary: 'Start a run of the live rule set',
      description:
        'Queues a run of the live rule set, as an import does: a worker of any instance runs it, one at a time. The answer names the job; the run is listed once it starts.',
      scope: 'rules:run',
      body: queueBody,
      responses: { 202: queuedAnswer.describe('The run is queued.') },
      problems: [],
      examples: RULE_RUN_QUEUE_EXAMPLES,
    },
    async (request, reply) => {
      const body = request.body as z.infer<typeof queueBody>
      const full = body?.full ?? false
      const { clientId } = clientOf(request)
      const jobId = await jobs.queueRuleRun(full)
      await recordAuditEvent(deps.database.db, {
        kind: 'rule-run-queued',
        at: deps.clock.now(),
        userId: null,
        clientId,
        jobId,
        full,
      })
      request.log.info({ clientId, jobId }, 'rule run queued through the API')
      return reply.code(202).send({ jobId, status: 'queued' as const })
    },
  )
}
