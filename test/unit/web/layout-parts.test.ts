import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import nunjucks from 'nunjucks'
import { sessionLimits } from '../../../src/access/session-timeout.ts'
import { paths } from '../../../src/web/paths.ts'
import { pageContext } from '../../../src/web/server/page-context.ts'
import { type LayoutParts, layoutParts } from '../../../src/web/templates/layout-parts.ts'
import { configureEnvironment, TEMPLATE_SEARCH_PATH } from '../../../src/web/templates/views.ts'
import { timeoutWarning } from '../../../src/web/view-models/session-timeout.ts'

function environment(production: boolean) {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_SEARCH_PATH), {
    autoescape: true,
  })
  configureEnvironment(env, {
    production,
    demo: false,
    sessionTimeout: timeoutWarning(sessionLimits(30, 10)),
  })
  return env
}

const user = { id: 'cw1', name: 'Casey Worker', roles: ['CASEWORKER'], regions: ['LSE'] } as never

function page(env: nunjucks.Environment, signedIn: boolean): string {
  return env.render('home.njk', {
    ...pageContext({ path: paths.home(), user: signedIn ? user : null, cspNonce: 'n', csrfToken: () => 't' }),
    name: 'Casey Worker',
    roles: 'Caseworker',
    sections: [],
  })
}

describe('the layout’s header and footer', () => {
  it('are govuk-frontend’s: the header with its link home, the footer with the licence', () => {
    const parts = layoutParts(environment(true))
    assert.match(String(parts.header), /<div class="govuk-header"/)
    assert.match(
      String(parts.header),
      new RegExp(`href="${paths.home()}" class="govuk-header__homepage-link"`),
    )
    assert.match(String(parts.footer(false)), /<div class="govuk-footer"/)
    assert.match(String(parts.footer(false)), /Open Government Licence/)
  })

  it('link the business rules in the footer only for someone signed in', () => {
    const parts = layoutParts(environment(true))
    assert.match(String(parts.footer(true)), new RegExp(`href="${paths.rules()}"[^>]*>\\s*Business rules`))
    assert.doesNotMatch(String(parts.footer(false)), /Business rules/)
  })

  it('are rendered once by the template environment, in development as in production', () => {
    const production = environment(true).getGlobal('layoutParts') as LayoutParts
    const development = environment(false).getGlobal('layoutParts') as LayoutParts
    for (const parts of [production, development]) {
      assert.equal(parts.header, parts.header)
      assert.equal(parts.footer(true), parts.footer(true))
      assert.equal(parts.footer(false), parts.footer(false))
      assert.notEqual(parts.footer(true), parts.footer(false))
    }
    assert.equal(String(development.header), String(production.header))
    assert.equal(String(development.footer(true)), String(production.footer(true)))
  })

  it('are placed as markup on every page, the footer in the form for who is looking', () => {
    for (const production of [true, false]) {
      const env = environment(production)
      const signedIn = page(env, true)
      assert.match(signedIn, /<header class="govuk-template__header">\s*<div class="govuk-header"/)
      assert.match(signedIn, /<footer class="govuk-template__footer">\s*<div class="govuk-footer"/)
      assert.match(signedIn, /Business rules/)
      const signedOut = page(env, false)
      assert.match(signedOut, /<div class="govuk-footer"/)
      assert.doesNotMatch(signedOut, /Business rules/)
      assert.doesNotMatch(signedOut, /&lt;footer/)
    }
  })
})
