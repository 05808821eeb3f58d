/**
 * Where the front-end packages' built files are. Templates and static assets
 * both come straight from the packages' `dist` folders, so upgrading a
 * package is `npm install` and nothing else: there is no build step to rerun.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`))
}

const govuk = packageDir('govuk-frontend')
const moj = packageDir('@ministryofjustice/frontend')
const autocomplete = packageDir('accessible-autocomplete')

export const frontendPackages = {
  /** Nunjucks search path for `govuk/…` templates and macros. */
  govukTemplates: join(govuk, 'dist'),
  govukBuilt: join(govuk, 'dist', 'govuk'),
  govukAssets: join(govuk, 'dist', 'govuk', 'assets'),
  /** Nunjucks search path for `moj/…` templates and macros. */
  mojTemplates: moj,
  mojBuilt: join(moj, 'moj'),
  mojAssets: join(moj, 'moj', 'assets'),
  /** MoJ's Nunjucks filters (`mojDate`, `date`), which its timeline macro needs. */
  mojFilters: join(moj, 'moj', 'filters', 'all.js'),
  accessibleAutocompleteBuilt: join(autocomplete, 'dist'),
} as const
