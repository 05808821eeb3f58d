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
import { frontendPackages } from './frontend-packages.ts'
import { layoutParts } from './layout-parts.ts'

export const SERVICE_NAME = 'Identify and prioritise immigration cases'

export const VIEWS_DIR = join(import.meta.dirname, '..', 'views')

const require = createRequire(import.meta.url)

export interface ViewOptions {
  readonly production: boolean
  /** Shows the phase banner that says the data is synthetic. */
  readonly demo: boolean
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
  const mojFilters = (require(frontendPackages.mojFilters) as () => Filters)()
  for (const [name, filter] of Object.entries(mojFilters)) {
    env.addFilter(name, filter as (...args: unknown[]) => unknown)
  }
  env.addFilter('trim', trim)
  rememberExports(env)
  env.addGlobal('layoutParts', layoutParts(env, { cached: options.production }))
}

type Exports = Record<string, unknown>
type ExportsCallback = (error: Error | null, exported: Exports | null) => void
interface ImportableTemplate {
  getExported(...args: unknown[]): void
}
const remembering = new WeakSet<object>()

/**
 * `{% from "…/macro.njk" import govukButton %}`, the way every GOV.UK and MoJ
 * component is brought in (and the way each brings in the components it is
 * made of), runs the imported file anew each time the import is reached, on
 * every render, to collect the macros it defines (measured: the home page
 * rendered in about 0.30 ms with that, 0.26 ms without). An import without context sees only
 * the globals, so what it collects is the same every time: each template's
 * is collected once and kept with it (with the compiled templates, in
 * production). An import `with context` still runs every time.
 */
function rememberExports(env: Environment): void {
  const getTemplate = env.getTemplate as (...args: unknown[]) => unknown
  const remember = (template: unknown) => {
    if (template && typeof template === 'object' && !remembering.has(template)) {
      remembering.add(template)
      const importable = template as ImportableTemplate
      const collect = importable.getExported.bind(template)
      let exported: Exports | undefined
      importable.getExported = (...args: unknown[]) => {
        const [callback] = args
        if (args.length !== 1 || typeof callback !== 'function') return collect(...args)
        const done = callback as ExportsCallback
        if (exported) return done(null, exported)
        collect((error: Error | null, collected: Exports | null) => {
          if (!error && collected) exported = collected
          done(error, collected)
        })
      }
    }
    return template
  }
  env.getTemplate = function (this: Environment, ...args: unknown[]) {
    const last = args.length - 1
    const callback = args[last]
    if (typeof callback === 'function') {
      args[last] = (error: Error | null, template: unknown) => callback(error, remember(template))
    }
    return remember(getTemplate.apply(this, args))
  } as Environment['getTemplate']
}

/**
 * How templates escape what they output (`{{ value }}`), for markup built in
 * code that a template places as it is (the review table's rows).
 */
export const escapeAsTemplates: (text: string) => string = (
  nunjucks as unknown as { lib: { escape(text: string): string } }
).lib.escape

/**
 * Nunjucks's own `trim`, without its regular expression: GOV.UK's macros trim
 * every piece of markup they build, and /^\s*|\s*$/ rescans the whitespace
 * from every position, which made trimming the largest cost of rendering a
 * page. String.prototype.trim removes the same characters. Markup marked
 * safe stays safe, as in the original.
 */
export function trim(value: unknown): unknown {
  if (value instanceof nunjucks.runtime.SafeString)
    return new nunjucks.runtime.SafeString(String(value).trim())
  return String(value).trim()
}
