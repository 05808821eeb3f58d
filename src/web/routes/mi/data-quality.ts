/**
 * The data-quality list: the page, and the same list as a CSV for the
 * owning system's team, on record as a download like the MI report.
 */
import { stringify } from 'csv-stringify/sync'
import type { FastifyInstance } from 'fastify'
import { paths } from '../../paths.ts'
import {
  DATA_QUALITY_CSV_HEADER,
  dataQualityCsvRecord,
  dataQualityPage,
} from '../../view-models/mi-data-quality.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayOversee, miFilters } from './pages.ts'

export async function miDataQualityRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { mi } = deps.services

  app.get(paths.miDataQuality(), mayOversee, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request, deps)
    const items = filters.ok ? await mi.dataQuality(filters.criteria) : []
    const page = dataQualityPage({
      scope: user.regions,
      regions,
      values: filters.values,
      problems: filters.ok ? [] : filters.problems,
      items,
    })
    return reply.code(filters.ok ? 200 : 400).view('mi-data-quality', page)
  })

  app.get(paths.miDataQuality('csv'), mayOversee, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request, deps)
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
    const { from, to } = filters.criteria
    const download = await mi.downloadDataQuality({
      userId: user.id,
      criteria: filters.criteria,
      unrecorded: (error) =>
        request.log.error({ err: error }, 'data-quality list download could not be recorded'),
    })
    const rows = download.items.length
    request.log.info({ userId: user.id, from, to, rows }, 'data-quality list downloaded')
    // Completed only once the whole body went out; a browser that went away first aborted it.
    let sent = false
    reply.raw.once('finish', () => {
      sent = true
    })
    reply.raw.once('close', () => {
      void download.ended(sent ? 'COMPLETED' : 'ABORTED')
    })
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${download.fileName}"`)
      .send(
        stringify([[...DATA_QUALITY_CSV_HEADER], ...download.items.map(dataQualityCsvRecord)], {
          bom: true,
          record_delimiter: 'windows',
          // A line break inside a field (details typed by a caseworker) must be quoted, or Excel ends the row there.
          quote_record_delimiter: true,
        }),
      )
  })
}
