/**
 * GET /mi/report: the MI report for the client's regions (or one of them)
 * over a range of dates, as CSV or JSON lines, streamed as it is read with
 * the MI download's own query (CSV by COPY on PostgreSQL), never held in
 * memory. Audited as an MI download by the client before any row is read.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { MI_EXPORT_TYPES } from '../../mi/report.ts'
import { checkMiRange } from '../../mi/report-request.ts'
import { miRequestMessage } from '../messages.ts'
import type { RouteDependencies } from '../routes/dependencies.ts'
import { clientOf, clientScope } from './client.ts'
import { addOperation } from './operations.ts'
import { sendProblem } from './problem-details.ts'
import { fieldsProblem } from './problem-types.ts'
import { MI_EXAMPLES } from './resource-examples.ts'
import { isoDateSchema } from './schemas.ts'

const reportQuery = z.object({
  from: isoDateSchema.describe('The first day of decisions and recommendations to include.'),
  to: isoDateSchema.describe('The last day to include.'),
  format: z
    .enum(['csv', 'jsonl'])
    .default('csv')
    .describe('CSV (as the MI report page’s), or one JSON object per line.'),
  region: z.string().max(20).optional().describe('One of the client’s ROM regions; all of them when absent.'),
})

export async function miRoutes(api: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { mi } = deps.services
  addOperation(
    api,
    {
      method: 'GET',
      url: '/mi/report',
      operationId: 'exportMiReport',
      tag: 'MI',
      summary: 'Export the MI report',
      description:
        'Every recommendation and decision in the range, one row each with the MI report’s columns, for the client’s regions. Streamed: the answer starts at once and ends with the last row.',
      scope: 'mi:export',
      query: reportQuery,
      responses: {},
      streamed: {
        'text/csv': 'The MI report’s CSV, with a header line.',
        'application/jsonl': 'One JSON object per row, keyed by the CSV’s headers.',
      },
      problems: ['invalid-report-range'],
      examples: MI_EXAMPLES,
    },
    async (request, reply) => {
      const query = request.query as z.infer<typeof reportQuery>
      const regionCodes = (await mi.regions()).map((region) => region.code)
      const range = checkMiRange(
        { ...query, region: query.region },
        clientScope(request),
        deps.config.miMaxDays,
        regionCodes,
      )
      if (!range.ok) {
        const errors = range.problems.map((p) => ({
          field: p.field,
          code: p.code,
          message: miRequestMessage(p),
        }))
        return sendProblem(reply, fieldsProblem('invalid-report-range', 'The report cannot be made', errors))
      }
      const { clientId } = clientOf(request)
      const file = await mi.exportReport({ clientId, criteria: range.criteria, format: query.format })
      file.finished.then(
        (end) => {
          if (end.outcome === 'FAILED') request.log.error({ err: end.error, clientId }, 'MI export failed')
          else request.log.info({ outcome: end.outcome, rows: end.rows, clientId }, 'MI export ended')
        },
        (error: unknown) => request.log.error({ err: error }, 'MI export did not end'),
      )
      return reply.header('content-type', MI_EXPORT_TYPES[query.format]).send(file.body)
    },
  )
}
