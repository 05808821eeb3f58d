/**
 * Every resource of the API, registered in one place: a module exporting
 * `async (api, deps) => { addOperation(api, …) }`; add it to the list.
 */
import { decisionRoute } from './decision-route.ts'
import { eventRoutes } from './event-routes.ts'
import { miRoutes } from './mi-routes.ts'
import { personRoutes } from './person-routes.ts'
import type { ApiRouteModule } from './plugin.ts'
import { ruleRunRoutes } from './rule-run-routes.ts'
import { taskRoutes } from './task-routes.ts'

export const API_RESOURCES: readonly ApiRouteModule[] = [
  taskRoutes,
  decisionRoute,
  personRoutes,
  ruleRunRoutes,
  miRoutes,
  eventRoutes,
]
