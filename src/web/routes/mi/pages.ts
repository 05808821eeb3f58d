/**
 * What the MI route modules share: the permission each MI page needs, the links
 * between them, and the filters the dashboard and the data-quality list
 * read from the URL.
 *
 *   /mi, /mi/download, /mi/report.xlsx, /mi/report.csv    the report: report.ts
 *   /mi/dashboard                                         dashboard.ts
 *   /mi/data-quality, /mi/data-quality.csv                data-quality.ts
 */
import type { FastifyRequest } from 'fastify'
import { can } from '../../../access/permissions.ts'
import type { User } from '../../../access/users.ts'
import { paths } from '../../paths.ts'
import { signedInUser } from '../../server/guards.ts'
import { readMiFilters } from '../../view-models/mi-filters.ts'
import type { RouteDependencies } from '../dependencies.ts'

export const mayDownloadReport = { config: { permission: 'mi:download' } } as const
export const mayOversee = { config: { permission: 'mi:read' } } as const

/** The other MI pages the report page links to, for someone who may see them. */
export function otherPages(user: User): { href: string; text: string }[] {
  if (!can(user, 'mi:read')) return []
  return [
    { href: paths.miDashboard(), text: 'MI dashboard' },
    { href: paths.miDataQuality(), text: 'Data-quality list' },
  ]
}

/** The user, the regions to choose from, and the dashboard's or data-quality list's filters as checked. */
export async function miFilters(request: FastifyRequest, deps: RouteDependencies) {
  const user = signedInUser(request)
  const regions = await deps.services.mi.regions()
  const filters = readMiFilters(request.query, {
    today: deps.clock.today(),
    scope: user.regions,
    maxDays: deps.config.miMaxDays,
    regionCodes: regions.map((region) => region.code),
  })
  return { user, regions, filters }
}
