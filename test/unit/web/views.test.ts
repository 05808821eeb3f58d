import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import nunjucks from 'nunjucks'
import { sessionLimits } from '../../../src/access/session-timeout.ts'
import { configureEnvironment, TEMPLATE_SEARCH_PATH } from '../../../src/web/templates/views.ts'
import { timeoutWarning } from '../../../src/web/view-models/session-timeout.ts'

function environment() {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_SEARCH_PATH), {
    autoescape: true,
  })
  configureEnvironment(env, {
    production: false,
    demo: false,
    sessionTimeout: timeoutWarning(sessionLimits(30, 10)),
  })
  return env
}

describe('the template environment', () => {
  it('finds govuk-frontend’s macros', () => {
    const html = environment().renderString(
      '{% from "govuk/components/button/macro.njk" import govukButton %}{{ govukButton({ text: "Go" }) }}',
      {},
    )
    assert.match(html, /class="govuk-button"/)
  })

  it('finds MoJ Frontend’s macros, with the date filters its timeline needs', () => {
    const html = environment().renderString(
      `{% from "moj/components/timeline/macro.njk" import mojTimeline %}
       {{ mojTimeline({ items: [{ label: { text: "Accepted" }, datetime: { timestamp: "2018-07-25T12:00:00Z", type: "date" } }] }) }}`,
      {},
    )
    assert.match(html, /moj-timeline__title">Accepted/)
    assert.match(html, /25 July 2018/)
  })

  it('trims as Nunjucks does, keeping markup safe and text escaped', () => {
    const env = environment()
    assert.equal(env.renderString('[{{ value | trim }}]', { value: ' \n\t <b> \u00a0' }), '[&lt;b&gt;]')
    assert.equal(
      env.renderString('[{{ value | safe | trim }}]', { value: '  <b>bold</b>\n' }),
      '[<b>bold</b>]',
    )
    assert.equal(env.renderString('[{{ value | trim }}]', { value: 42 }), '[42]')
    const govukMarkup = env.renderString(
      '{% from "govuk/components/inset-text/macro.njk" import govukInsetText %}{{ govukInsetText({ html: "<p>Checked</p>" }) }}',
      {},
    )
    assert.match(govukMarkup, /<div class="govuk-inset-text">\s*<p>Checked<\/p>\s*<\/div>/)
  })

  it('escapes values by default', () => {
    assert.equal(environment().renderString('{{ value }}', { value: '<b>' }), '&lt;b&gt;')
  })

  it('offers the path builders and the service name to every template', () => {
    assert.equal(
      environment().renderString('{{ paths.signIn() }} {{ serviceName }}', {}),
      '/sign-in Identify and prioritise immigration cases',
    )
  })

  it('renders GOV.UK components the same the second time', () => {
    const env = environment()
    const page =
      '{% from "govuk/components/date-input/macro.njk" import govukDateInput %}' +
      '{{ govukDateInput({ id: "from", namePrefix: "from", fieldset: { legend: { text: "From" } }, errorMessage: { text: "Enter a date" }, items: [{ name: "day", value: day }] }) }}'
    const first = env.renderString(page, { day: '1' })
    const second = env.renderString(page, { day: '2' })
    assert.match(first, /govuk-error-message/)
    assert.equal(second, first.replace('value="1"', 'value="2"'))
  })
})
