/**
 * Every resource of the API, registered in one place: a module exporting
 * `async (api, deps) => { addOperation(api, …) }`; add it to the list.
 */
import type { ApiRouteModule } from './plugin.ts'

export const API_RESOURCES: readonly ApiRouteModule[] = []
