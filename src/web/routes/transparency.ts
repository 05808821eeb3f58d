/**
 * The public transparency record (no sign-in, no personal data): the page,
 * and the same record as JSON and Markdown for whoever compares or
 * publishes records. A reference file with problems makes the record
 * unavailable (503) rather than wrong; the problems go to the log, where
 * the people who can fix them look, and `ipic transparency` names them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatLongDate } from '../../dates.ts'
import type { TransparencyRecord } from '../../transparency/record.ts'
import { recordAsJson, recordAsMarkdown } from '../../transparency/text-formats.ts'
import { paths } from '../paths.ts'
import type { RouteDependencies } from './dependencies.ts'

export async function transparencyRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const withRecord =
    (send: (record: TransparencyRecord, reply: FastifyReply) => unknown) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await deps.services.transparency.record()
      if (result.ok) return send(result.record, reply)
      request.log.error(
        { file: result.path, problems: result.problems },
        'the transparency reference file has problems',
      )
      return reply.code(503).view('transparency/unavailable')
    }

  app.get(
    paths.transparency(),
    { config: { public: true } },
    withRecord((record, reply) =>
      reply.view('transparency/page', { record, generatedOn: formatLongDate(record.generatedOn) }),
    ),
  )
  app.get(
    paths.transparencyFile('json'),
    { config: { public: true } },
    withRecord((record, reply) => reply.type('application/json; charset=utf-8').send(recordAsJson(record))),
  )
  app.get(
    paths.transparencyFile('md'),
    { config: { public: true } },
    withRecord((record, reply) => reply.type('text/markdown; charset=utf-8').send(recordAsMarkdown(record))),
  )
}
