/**
 * The MI report: the form, the step that checks it, and the file download.
 * The file URL carries ISO dates so it can be bookmarked and re-checked: any
 * problem shows the form again with the GOV.UK error summary, never a file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { checkMiDateFields, checkMiRange, fieldsOfDate } from '../../../mi/report-request.ts'
import { messages, miRequestMessage } from '../../messages.ts'
import { paths } from '../../paths.ts'
import { signedInUser } from '../../server/guards.ts'
import { type FormProblem, inWords } from '../../view-models/forms.ts'
import { dateFieldsOf, miRangeQuery } from '../../view-models/mi-filters.ts'
import { EMPTY_MI_FORM, type MiReportFormValues, miReportPage } from '../../view-models/mi-report.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayDownloadReport, otherPages } from './pages.ts'

// A field sent twice, or not at all, reads as empty and is reported as missing.
const text = z.string().catch('')

const downloadForm = miRangeQuery.extend({ format: text })

const fileQuery = z.object({ from: text, to: text, region: text })

export async function miReportRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { mi } = deps.services
  const regionCodes = async () => (await mi.regions()).map((region) => region.code)

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: MiReportFormValues,
    problems: readonly FormProblem[],
  ) {
    const user = signedInUser(request)
    const page = miReportPage({
      scope: user.regions,
      regions: await mi.regions(),
      values,
      problems,
      maxDays: deps.config.miMaxDays,
      otherPages: otherPages(user),
    })
    return reply.code(problems.length > 0 ? 400 : 200).view('mi-report', page)
  }

  app.get(paths.miReport(), mayDownloadReport, async (request, reply) =>
    showForm(request, reply, EMPTY_MI_FORM, []),
  )

  app.get(paths.miDownload(), mayDownloadReport, async (request, reply) => {
    const form = downloadForm.parse(request.query ?? {})
    const values: MiReportFormValues = { ...dateFieldsOf(form), region: form.region, format: form.format }
    const scope = signedInUser(request).regions
    const range = checkMiDateFields(values, scope, deps.config.miMaxDays, await regionCodes())
    const problems: FormProblem[] = range.ok ? [] : inWords(range.problems, miRequestMessage)
    if (form.format !== 'xlsx' && form.format !== 'csv') {
      problems.push({ field: 'format', message: messages.mi.formatMissing })
    }
    if (problems.length > 0 || !range.ok) return showForm(request, reply, values, problems)
    const format = form.format as 'xlsx' | 'csv'
    const { from: fromDate, to: toDate } = range.criteria
    return reply.redirect(
      paths.miReportFile(format, { from: fromDate, to: toDate, region: form.region }),
      303,
    )
  })

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(paths.miReportFile(format), mayDownloadReport, async (request, reply) => {
      const query = fileQuery.parse(request.query ?? {})
      const user = signedInUser(request)
      const range = checkMiRange(query, user.regions, deps.config.miMaxDays, await regionCodes())
      if (!range.ok) {
        const wrong = (field: string) => range.problems.some((p) => p.field === field)
        const values: MiReportFormValues = {
          from: fieldsOfDate(wrong('from') ? undefined : (query.from as never)),
          to: fieldsOfDate(wrong('to') ? undefined : (query.to as never)),
          region: query.region,
          format,
        }
        return showForm(request, reply, values, inWords(range.problems, miRequestMessage))
      }
      const download = await mi.downloadReport({ userId: user.id, criteria: range.criteria, format })
      const { from, to } = range.criteria
      request.log.info(
        { userId: user.id, from, to, format, region: query.region || 'all' },
        'MI report download started',
      )
      download.recorded.then(
        (end) => {
          if (end.outcome === 'FAILED') request.log.error({ err: end.error }, 'MI report download failed')
          else request.log.info({ outcome: end.outcome, rows: end.rows }, 'MI report download ended')
        },
        (error: unknown) => request.log.error({ err: error }, 'MI report download could not be recorded'),
      )
      return reply
        .header('content-type', download.contentType)
        .header('content-disposition', `attachment; filename="${download.fileName}"`)
        .send(download.file.body)
    })
  }
}
