/**
 * The MI report: the form, the step that checks it, and the file download.
 * The file URL carries ISO dates so it can be bookmarked and re-checked: any
 * problem shows the form again with the GOV.UK error summary, never a file.
 */

import { stringify } from 'csv-stringify/sync'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Role } from '../../access/roles.ts'
import type { User } from '../../access/users.ts'
import { miDashboard, taskTypeOptions } from '../../mi/dashboard.ts'
import { dataQualityItems } from '../../mi/data-quality.ts'
import { recordDownloadEnd, recordDownloadStart } from '../../mi/downloads.ts'
import { romRegionList } from '../../mi/regions.ts'
import { downloadMiReport } from '../../mi/report.ts'
import type { MiFileOutcome } from '../../mi/report-files.ts'
import { checkMiDateFields, checkMiRange, fieldsOfDate } from '../../mi/report-request.ts'
import { messages, miRequestMessage } from '../messages.ts'
import { paths } from '../paths.ts'
import { requireRole } from '../server/guards.ts'
import { type FormProblem, inWords } from '../view-models/forms.ts'
import { dashboardPage } from '../view-models/mi-dashboard.ts'
import {
  DATA_QUALITY_CSV_HEADER,
  dataQualityCsvRecord,
  dataQualityPage,
} from '../view-models/mi-data-quality.ts'
import { dateFieldsOf, miRangeQuery, readMiFilters } from '../view-models/mi-filters.ts'
import { EMPTY_MI_FORM, type MiReportFormValues, miReportPage } from '../view-models/mi-report.ts'
import type { RouteDependencies } from './dependencies.ts'

/** Caseworkers and managers get their own regions' report; national roles any region's. */
export const MI_REPORT_ROLES: readonly Role[] = ['CASEWORKER', 'MANAGER', 'MI_ANALYST', 'ADMIN']
/** The dashboard and the data-quality list: managers and national roles. */
export const MI_OVERSIGHT_ROLES: readonly Role[] = ['MANAGER', 'MI_ANALYST', 'ADMIN']

// A field sent twice, or not at all, reads as empty and is reported as missing.
const text = z.string().catch('')

const downloadForm = miRangeQuery.extend({ format: text })

const fileQuery = z.object({ from: text, to: text, region: text })

function otherPages(user: User): { href: string; text: string }[] {
  if (!user.roles.some((role) => MI_OVERSIGHT_ROLES.includes(role))) return []
  return [
    { href: paths.miDashboard(), text: 'MI dashboard' },
    { href: paths.miDataQuality(), text: 'Data-quality list' },
  ]
}

export async function miRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { db } = deps.database
  const guard = { preHandler: requireRole(...MI_REPORT_ROLES) }

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: MiReportFormValues,
    problems: readonly FormProblem[],
  ) {
    const user = request.user as User
    const page = miReportPage({
      scope: user.regions,
      regions: await romRegionList(db),
      values,
      problems,
      maxDays: deps.config.miMaxDays,
      otherPages: otherPages(user),
    })
    return reply.code(problems.length > 0 ? 400 : 200).view('mi-report', page)
  }

  app.get(paths.miReport(), guard, async (request, reply) => showForm(request, reply, EMPTY_MI_FORM, []))

  app.get(paths.miDownload(), guard, async (request, reply) => {
    const form = downloadForm.parse(request.query ?? {})
    const values: MiReportFormValues = { ...dateFieldsOf(form), region: form.region, format: form.format }
    const range = checkMiDateFields(
      values,
      (request.user as User).regions,
      deps.config.miMaxDays,
      (await romRegionList(db)).map((region) => region.code),
    )
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
    app.get(paths.miReportFile(format), guard, async (request, reply) => {
      const query = fileQuery.parse(request.query ?? {})
      const user = request.user as User
      const range = checkMiRange(
        query,
        user.regions,
        deps.config.miMaxDays,
        (await romRegionList(db)).map((region) => region.code),
      )
      if (!range.ok) {
        const values: MiReportFormValues = {
          from: fieldsOfDate(
            range.problems.some((p) => p.field === 'from') ? undefined : (query.from as never),
          ),
          to: fieldsOfDate(range.problems.some((p) => p.field === 'to') ? undefined : (query.to as never)),
          region: query.region,
          format,
        }
        return showForm(request, reply, values, inWords(range.problems, miRequestMessage))
      }
      const download = await downloadMiReport(deps.database, deps.clock, {
        userId: user.id,
        criteria: range.criteria,
        format,
      })
      request.log.info(
        {
          userId: user.id,
          from: range.criteria.from,
          to: range.criteria.to,
          format,
          region: query.region || 'all',
        },
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

  const oversight = { preHandler: requireRole(...MI_OVERSIGHT_ROLES) }

  async function miFilters(request: FastifyRequest) {
    const user = request.user as User
    const regions = await romRegionList(db)
    const filters = readMiFilters(request.query, {
      today: deps.clock.today(),
      scope: user.regions,
      maxDays: deps.config.miMaxDays,
      regionCodes: regions.map((region) => region.code),
    })
    return { user, regions, filters }
  }

  app.get(paths.miDataQuality(), oversight, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request)
    const items = filters.ok ? await dataQualityItems(db, filters.criteria) : []
    const page = dataQualityPage({
      scope: user.regions,
      regions,
      values: filters.values,
      problems: filters.ok ? [] : filters.problems,
      items,
    })
    return reply.code(filters.ok ? 200 : 400).view('mi-data-quality', page)
  })

  app.get(paths.miDataQuality('csv'), oversight, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request)
    if (!filters.ok) {
      const page = dataQualityPage({
        scope: user.regions,
        regions,
        values: filters.values,
        problems: filters.problems,
        items: [],
      })
      return reply.code(400).view('mi-data-quality', page)
    }
    const { from, to, scope } = filters.criteria
    // On record before any personal data is read, like the MI report: an attempt that fails still shows.
    const downloadId = await recordDownloadStart(db, deps.clock, {
      kind: 'DATA_QUALITY',
      userId: user.id,
      scope,
      from,
      to,
      format: 'csv',
    })
    const recordEnd = (outcome: MiFileOutcome, rows: number) =>
      recordDownloadEnd(db, deps.clock, downloadId, { outcome, rows }).catch((error: unknown) =>
        request.log.error({ err: error }, 'data-quality list download could not be recorded'),
      )
    let items: Awaited<ReturnType<typeof dataQualityItems>>
    try {
      // A list for one team to work through, bounded by the date range: small enough to build whole.
      items = await dataQualityItems(db, filters.criteria)
    } catch (error) {
      await recordEnd('FAILED', 0)
      throw error
    }
    const regionPart = scope.all ? 'ALL' : scope.codes.join('-')
    request.log.info({ userId: user.id, from, to, rows: items.length }, 'data-quality list downloaded')
    // Completed only once the whole body went out; a browser that went away first aborted it.
    let sent = false
    reply.raw.once('finish', () => {
      sent = true
    })
    reply.raw.once('close', () => {
      void recordEnd(sent ? 'COMPLETED' : 'ABORTED', items.length)
    })
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="ipic-data-quality-${regionPart}-${from}-to-${to}.csv"`,
      )
      .send(
        stringify([[...DATA_QUALITY_CSV_HEADER], ...items.map(dataQualityCsvRecord)], {
          bom: true,
          record_delimiter: 'windows',
          // A line break inside a field (details typed by a caseworker) must be quoted, or Excel ends the row there.
          quote_record_delimiter: true,
        }),
      )
  })

  app.get(paths.miDashboard(), oversight, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request)
    const taskTypes = await taskTypeOptions(db)
    const problems: FormProblem[] = filters.ok ? [] : [...filters.problems]
    const taskType = filters.values.taskType
    if (taskType !== '' && !taskTypes.some((type) => type.code === taskType)) {
      problems.push({ field: 'taskType', message: messages.mi.taskTypeUnknown })
    }
    const dashboard =
      filters.ok && problems.length === 0
        ? await miDashboard(db, { ...filters.criteria, taskType: taskType || undefined })
        : undefined
    const page = dashboardPage({
      scope: user.regions,
      regions,
      taskTypes,
      values: filters.values,
      problems,
      dashboard,
    })
    return reply.code(problems.length > 0 ? 400 : 200).view('mi-dashboard', page)
  })
}
