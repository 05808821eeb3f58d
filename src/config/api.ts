/** The JSON API's rate limit (docs/decisions/0021-json-api.md): requests per client, per window, per instance. */
import type { Environment } from './environment.ts'

export interface ApiSettings {
  /** Requests one client may make in a window, on one instance. */
  readonly rateLimit: number
  readonly rateWindowSeconds: number
}

export function apiSettings(e: Environment): ApiSettings {
  return { rateLimit: e.IPIC_API_RATE_LIMIT, rateWindowSeconds: e.IPIC_API_RATE_WINDOW_SECONDS }
}
