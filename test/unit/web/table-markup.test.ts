import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import nunjucks from 'nunjucks'
import { sessionLimits } from '../../../src/access/session-timeout.ts'
import { escapeAsTemplates, govukTableMarkup, type Table } from '../../../src/web/templates/table-markup.ts'
import { configureEnvironment, TEMPLATE_SEARCH_PATH } from '../../../src/web/templates/views.ts'
import { timeoutWarning } from '../../../src/web/view-models/session-timeout.ts'

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_SEARCH_PATH), {
  autoescape: true,
})
configureEnvironment(env, {
  production: true,
  demo: false,
  sessionTimeout: timeoutWarning(sessionLimits(30, 10)),
})

/** The same table through govuk-frontend's own macro. */
function throughMacro(table: Table): string {
  return env.renderString(
    '{% from "govuk/components/table/macro.njk" import govukTable %}{{ govukTable(table) }}',
    { table },
  )
}

/** Whitespace only: none between tags, one space for any run of it elsewhere. */
function normalised(markup: string): string {
  return markup.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim()
}

const AWKWARD = `O'Neil \\ <b>&"`

describe('a GOV.UK table written as markup', () => {
  const cases: Record<string, Table> = {
    'a table with a caption, a head and rows of text': {
      caption: 'Recommended tasks',
      captionClasses: 'govuk-visually-hidden',
      head: [{ text: 'Name' }, { text: 'Priority', format: 'numeric' }],
      rows: [
        [{ text: 'Ada Lovelace' }, { text: '12.5', format: 'numeric' }],
        [{ text: 'Grace Hopper' }, { text: '3', format: 'numeric' }],
      ],
    },
    'markup cells placed as they are, text cells escaped': {
      head: [{ html: '<abbr title="Reference">Ref</abbr>' }, { text: AWKWARD }],
      rows: [[{ html: '<a class="govuk-link" href="/tasks/7">Ada</a>' }, { text: AWKWARD }]],
    },
    'classes and attributes on the table, its headers and its cells': {
      caption: AWKWARD,
      classes: 'app-table app-table--wide',
      attributes: { 'data-module': 'app-table', 'aria-describedby': AWKWARD },
      head: [
        { text: 'Date', classes: 'govuk-!-width-one-quarter', attributes: { 'aria-sort': 'ascending' } },
        { text: 'Count', format: 'numeric', classes: 'app-count' },
      ],
      rows: [
        [
          { text: '5 March 2026', classes: 'app-date', attributes: { 'data-sort-value': '2026-03-05' } },
          { text: '', format: 'numeric', classes: 'app-count' },
        ],
      ],
    },
    'no caption, no head and no rows': { rows: [] },
  }

  for (const [name, table] of Object.entries(cases)) {
    it(`writes what govukTable writes: ${name}`, () => {
      assert.equal(normalised(govukTableMarkup(table)), normalised(throughMacro(table)))
    })
  }

  it('escapes text exactly as a template does', () => {
    assert.equal(escapeAsTemplates(AWKWARD), env.renderString('{{ text }}', { text: AWKWARD }))
  })
})
