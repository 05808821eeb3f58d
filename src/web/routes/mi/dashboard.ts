/** The MI dashboard: decisions, times to decide and fairness figures for a date range and region. */
import type { FastifyInstance } from 'fastify'
import { messages } from '../../messages.ts'
import { paths } from '../../paths.ts'
import type { FormProblem } from '../../view-models/forms.ts'
import { dashboardPage } from '../../view-models/mi-dashboard.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayOversee, miFilters } from './pages.ts'

export async function miDashboardRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { mi } = deps.services

  app.get(paths.miDashboard(), mayOversee, async (request, reply) => {
    const { user, regions, filters } = await miFilters(request, deps)
    const taskTypes = await mi.taskTypes()
    const problems: FormProblem[] = filters.ok ? [] : [...filters.problems]
    const taskType = filters.values.taskType
    if (taskType !== '' && !taskTypes.some((type) => type.code === taskType)) {
      problems.push({ field: 'taskType', message: messages.mi.taskTypeUnknown })
    }
    const criteria =
      filters.ok && problems.length === 0
        ? { ...filters.criteria, taskType: taskType || undefined }
        : undefined
    const dashboard = criteria
      ? await mi.dashboard(criteria, { minimumGroupSize: deps.config.equalityMinimumGroup })
      : undefined
    const rubberStamp = criteria
      ? await mi.rubberStamp(criteria, deps.config.reviewEvidence.quickDecisionSeconds)
      : undefined
    const contests = criteria ? await mi.contests(criteria) : undefined
    const overdue = criteria ? await mi.overdue(criteria) : undefined
    const page = dashboardPage({
      scope: user.regions,
      regions,
      taskTypes,
      values: filters.values,
      problems,
      dashboard,
      rubberStamp,
      contests,
      overdue,
    })
    return reply.code(problems.length > 0 ? 400 : 200).view('mi-dashboard', page)
  })
}
