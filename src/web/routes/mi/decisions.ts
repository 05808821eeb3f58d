/** The decisions behind a dashboard figure: one user's, or those on one rule version's tasks. */
import type { FastifyInstance } from 'fastify'
import { can } from '../../../access/permissions.ts'
import { formatLongDate } from '../../../dates.ts'
import type { DecisionsOf } from '../../../mi/decision-list.ts'
import { messages } from '../../messages.ts'
import { paths } from '../../paths.ts'
import { decisionsPage, decisionsProblemPage } from '../../view-models/mi-decisions.ts'
import { filterQueryOf } from '../../view-models/mi-filters.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayOversee, miFilters } from './pages.ts'

/** A user ID or rule version from the address: present, of a sane length, or not at all. */
function queryText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  return text !== '' && text.length <= 100 ? text : undefined
}

/** Exactly one of `user` and `ruleVersion`, as the dashboard's links give. */
export function decisionsOf(query: unknown): DecisionsOf | undefined {
  const { user, ruleVersion } = (query ?? {}) as Record<string, unknown>
  const userId = queryText(user)
  const version = queryText(ruleVersion)
  if (userId !== undefined && version === undefined && ruleVersion === undefined) return { userId }
  if (version !== undefined && userId === undefined && user === undefined) return { ruleVersion: version }
  return undefined
}

export async function miDecisionsRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { mi } = deps.services

  app.get(paths.miDecisions(), mayOversee, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request, deps)
    const dashboardQuery = filterQueryOf(filters.values)
    const of = decisionsOf(request.query)
    if (of === undefined) {
      return reply
        .code(400)
        .view('mi-decisions', decisionsProblemPage(messages.mi.decisionsWhose, dashboardQuery))
    }
    const taskTypes = await mi.taskTypes()
    const taskType = filters.values.taskType
    const type = taskTypes.find((one) => one.code === taskType)
    if (!filters.ok || (taskType !== '' && type === undefined)) {
      return reply
        .code(400)
        .view('mi-decisions', decisionsProblemPage(messages.mi.decisionsFilters, dashboardQuery))
    }
    const list = await mi.decisions({ ...filters.criteria, taskType: type?.code }, of)
    const region = regions.find((one) => one.code === filters.values.region)
    const range = [
      `${formatLongDate(filters.criteria.from)} to ${formatLongDate(filters.criteria.to)}`,
      region ? region.name : user.regions.all ? 'all regions' : 'your regions',
      type ? type.name : 'all task types',
    ].join(', ')
    const whose: Record<string, string> =
      'userId' in of ? { user: of.userId } : { ruleVersion: of.ruleVersion }
    const page = decisionsPage({
      of,
      list,
      range,
      dashboardQuery,
      self: paths.miDecisions({ ...dashboardQuery, ...whose }),
      mayReadCases: can(user, 'cases:read'),
    })
    return reply.view('mi-decisions', page)
  })
}
