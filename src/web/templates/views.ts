/**
 * Nunjucks, set up for the GOV.UK Design System: templates are looked for in
 * this service's views, then govuk-frontend's (`govuk/…`), then MoJ
 * Frontend's (`moj/…`). Escaping is on for everything; the path builders and
 * the service's name are globals so no template hard-codes a URL.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { FastifyViewOptions } from '@fastify/view'
import nunjucks, { type Environment } from 'nunjucks'
import { paths } from '../paths.ts'
import type { TimeoutWarning } from '../view-models/session-timeout.ts'
import { frontendPackages } from './frontend-packages.ts'
import { layoutParts } from './layout-parts.ts'

export const SERVICE_NAME = 'Identify and prioritise immigration cases'

export const VIEWS_DIR = join(import.meta.dirname, '..', 'views')

const require = createRequire(import.meta.url)

export interface ViewOptions {
  readonly production: boolean
  /** Shows the phase banner that says the data is synthetic. */
  readonly demo: boolean
  /** The timings and words of the timeout warning on signed-in pages. */
  readonly sessionTimeout: TimeoutWarning
}

type Filters = Record<string, (...args: never[]) => unknown>

/** This service's views first, so a view may override a package's template of the same name. */
export const TEMPLATE_SEARCH_PATH = [
  VIEWS_DIR,
  frontendPackages.govukTemplates,
  frontendPackages.mojTemplates,
]

export function viewPluginOptions(options: ViewOptions): FastifyViewOptions {
  return {
    engine: { nunjucks },
    templates: TEMPLATE_SEARCH_PATH,
    production: options.production,
    options: {
      autoescape: true,
      // Outside production a changed template shows on the next request.
      noCache: !options.production,
      onConfigure: (env: Environment) => configureEnvironment(env, options),
    },
  }
}

export function configureEnvironment(env: Environment, options: ViewOptions): void {
  env.addGlobal('paths', paths)
  env.addGlobal('serviceName', SERVICE_NAME)
  env.addGlobal('demo', options.demo)
  env.addGlobal('sessionTimeout', options.sessionTimeout)
  const mojFilters = (require(frontendPackages.mojFilters) as () => Filters)()
  for (const [name, filter] of Object.entries(mojFilters)) {
    env.addFilter(name, filter as (...args: unknown[]) => unknown)
  }
  env.addFilter('trim', trim)
  env.addGlobal('layoutParts', layoutParts(env))
}

/**
 * Nunjucks's own `trim`, without its regular expression: GOV.UK's macros trim
 * every piece of markup they build, and /^\s*|\s*$/ rescans the whitespace
 * from every position (measured: the search page, with its 200 countries,
 * rendered in about 14 ms with Nunjucks's and 2 ms with this).
 * String.prototype.trim removes the same characters. Markup marked safe stays
 * safe, as in the original. Set through addFilter, as any filter is.
 */
export function trim(value: unknown): unknown {
  if (value instanceof nunjucks.runtime.SafeString)
    return new nunjucks.runtime.SafeString(String(value).trim())
  return String(value).trim()
}
