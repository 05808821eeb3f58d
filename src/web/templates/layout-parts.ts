/**
 * The parts of the page layout that are the same on every page, rendered
 * once rather than on every request: the GOV.UK header and the footer in its
 * two forms (signed in, with the link to the business rules, and signed
 * out). They are made of the same govuk-frontend macros as the rest of the
 * page (partials/govuk-header.njk, partials/govuk-footer.njk); rendering them
 * was over a third of a signed-in home page's render time (measured: 150 µs
 * a render with them, 90 µs with them rendered once).
 *
 * Each is rendered on its first use and kept for as long as the template
 * environment lives, in development as in production: a change to either
 * partial shows once the server restarts.
 */
import nunjucks, { type Environment } from 'nunjucks'

type Markup = InstanceType<typeof nunjucks.runtime.SafeString>

export interface LayoutParts {
  readonly header: Markup
  footer(signedIn: boolean): Markup
}

export function layoutParts(env: Environment): LayoutParts {
  const kept = new Map<string, Markup>()
  // `key` names the part with its context, a constant per part so that finding it costs no more than a lookup.
  const part = (key: string, template: string, context: object = {}): Markup => {
    const known = kept.get(key)
    if (known) return known
    const markup = new nunjucks.runtime.SafeString(env.render(template, context).trim())
    kept.set(key, markup)
    return markup
  }
  return {
    get header() {
      return part('header', 'partials/govuk-header.njk')
    },
    footer: (signedIn) =>
      part(signedIn ? 'footer, signed in' : 'footer', 'partials/govuk-footer.njk', { signedIn }),
  }
}
