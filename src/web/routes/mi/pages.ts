/**
 * What the MI route modules share: the guards on each MI page, the links
 * between them, and the filters the dashboard and the data-quality list
 * read from the URL.
 *
 *   /mi, /mi/download, /mi/report.xlsx, /mi/report.csv    the report: report.ts
 *   /mi/dashboard                                         dashboard.ts
 *   /mi/data-quality, /mi/data-quality.csv                data-quality.ts
 */
import type { FastifyRequest } from 'fastify'
import { MI_OVERSIGHT_ROLES, MI_REPORT_ROLES } from '../../../access/roles.ts'
import type { User } from '../../../access/users.ts'
import { paths } from '../../paths.ts'
import { requireRole, signedInUser } from '../../server/guards.ts'
import { readMiFilters } from '../../view-models/mi-filters.ts'
import type { RouteDependencies } from '../dependencies.ts'

export const mayDownloadReport = { preHandler: requireRole(...MI_REPORT_ROLES) }
export const mayOversee = { preHandler: requireRole(...MI_OVERSIGHT_ROLES) }

/** The other MI pages the report page links to, for someone who may see them. */
export function otherPages(user: User): { href: string; text: string }[] {
  if (!user.roles.some((role) => MI_OVERSIGHT_ROLES.includes(role))) return []
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
