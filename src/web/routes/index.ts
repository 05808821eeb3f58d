/**
 * Every journey's routes, registered in one place. A journey is a module in
 * this folder exporting `async (app, deps) => { … }`; add it to the list.
 * Every route says who may use it: `config: { permission: … }`, or
 * `config: { public: true }` for a page anyone may reach (server/guards.ts).
 */
import type { FastifyInstance } from 'fastify'
import { apiClientRoutes } from './api-clients.ts'
import { auditRoutes } from './audit.ts'
import { caseRoutes } from './case.ts'
import { comingSoonRoutes } from './coming-soon.ts'
import { contestRoutes } from './contests.ts'
import { decisionRoutes } from './decisions.ts'
import type { RouteDependencies } from './dependencies.ts'
import { helpRoutes } from './help.ts'
import { homeRoutes } from './home.ts'
import { jobRoutes } from './jobs.ts'
import { miDashboardRoutes } from './mi/dashboard.ts'
import { miDataQualityRoutes } from './mi/data-quality.ts'
import { miDecisionsRoutes } from './mi/decisions.ts'
import { miReportRoutes } from './mi/report.ts'
import { assignmentRoutes } from './review/assignment.ts'
import { bulkHoldRoutes } from './review/bulk-hold.ts'
import { reviewListRoutes } from './review/list.ts'
import { reviewRegionRoutes } from './review/region.ts'
import { reviewSearchRoutes } from './review/search.ts'
import { ruleChangesRoutes } from './rule-changes.ts'
import { rulesRoutes } from './rules.ts'
import { sessionTimeoutRoutes } from './session-timeout.ts'
import { signInRoutes } from './sign-in.ts'
import { singleSignOnRoutes } from './single-sign-on.ts'
import { subscriberRoutes } from './subscribers.ts'
import { transparencyRoutes } from './transparency.ts'
import { userDetailsRoutes } from './user-details.ts'
import { userRoutes } from './users.ts'

export async function registerRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  await app.register(homeRoutes, deps)
  await app.register(signInRoutes, deps)
  await app.register(sessionTimeoutRoutes, deps)
  await app.register(singleSignOnRoutes, deps)
  await app.register(comingSoonRoutes, deps)
  await app.register(rulesRoutes, deps)
  await app.register(ruleChangesRoutes, deps)
  await app.register(miReportRoutes, deps)
  await app.register(miDashboardRoutes, deps)
  await app.register(miDataQualityRoutes, deps)
  await app.register(miDecisionsRoutes, deps)
  await app.register(helpRoutes, deps)
  await app.register(reviewRegionRoutes, deps)
  await app.register(reviewSearchRoutes, deps)
  await app.register(reviewListRoutes, deps)
  await app.register(assignmentRoutes, deps)
  await app.register(bulkHoldRoutes, deps)
  await app.register(caseRoutes, deps)
  await app.register(decisionRoutes, deps)
  await app.register(contestRoutes, deps)
  await app.register(userRoutes, deps)
  await app.register(userDetailsRoutes, deps)
  await app.register(auditRoutes, deps)
  await app.register(jobRoutes, deps)
  await app.register(subscriberRoutes, deps)
  await app.register(apiClientRoutes, deps)
  await app.register(transparencyRoutes, deps)
}
