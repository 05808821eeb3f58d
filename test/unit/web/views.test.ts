import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import nunjucks from 'nunjucks'
import { configureEnvironment, TEMPLATE_SEARCH_PATH } from '../../../src/web/templates/views.ts'

function environment() {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_SEARCH_PATH), {
    autoescape: true,
  })
  configureEnvironment(env, { production: false, demo: false })
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

  describe('imports', () => {
    /** Templates from memory, and a global that counts how often an imported file is run. */
    function counting() {
      const sources: Record<string, string> = {
        'macros.njk': '{% set ran = count() %}{% macro hello(name) %}Hello {{ name }}{% endmacro %}',
        'page.njk': '{% from "macros.njk" import hello %}{{ hello(person) }}',
        'with-context.njk': '{% from "macros.njk" import hello with context %}{{ hello(person) }}',
      }
      const loader = {
        getSource: (name: string) => {
          const src = sources[name]
          return src === undefined ? null : { src, path: name, noCache: false }
        },
      }
      const env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, { autoescape: true })
      configureEnvironment(env, { production: true, demo: false })
      let runs = 0
      env.addGlobal('count', () => {
        runs += 1
        return runs
      })
      return { env, runs: () => runs }
    }

    it('run an imported file once, however many pages import it', () => {
      const { env, runs } = counting()
      assert.equal(env.render('page.njk', { person: 'Ada' }), 'Hello Ada')
      assert.equal(env.render('page.njk', { person: 'Grace' }), 'Hello Grace')
      assert.equal(
        env.renderString('{% from "macros.njk" import hello %}{{ hello("Joan") }}', {}),
        'Hello Joan',
      )
      assert.equal(runs(), 1)
    })

    it('still run an import with context every time, since it sees the page', () => {
      const { env, runs } = counting()
      env.render('with-context.njk', { person: 'Ada' })
      env.render('with-context.njk', { person: 'Grace' })
      assert.equal(runs(), 2)
    })

    it('keep nothing from an imported file that failed, and run it again next time', () => {
      const { env, runs } = counting()
      let failing = true
      env.addGlobal('count', () => {
        if (failing) throw new Error('not yet')
        return 1
      })
      assert.throws(() => env.render('page.njk', { person: 'Ada' }), /not yet/)
      failing = false
      assert.equal(env.render('page.njk', { person: 'Grace' }), 'Hello Grace')
      assert.equal(runs(), 0)
    })

    it('render GOV.UK components the same the second time', () => {
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
})
