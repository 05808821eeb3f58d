import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { addTestUser, startTestApp, type TestApp, titleOf, WebClient } from '../support/web.ts'

async function failingPages(app: FastifyInstance): Promise<void> {
  app.get('/test/broken', { config: { permission: 'rules:read' } }, async () => {
    throw new Error('the database said no: secret detail')
  })
}

describe('web app foundations', () => {
  let database: TestDatabase
  let web: TestApp
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { extraRoutes: [failingPages] })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    web.logs.lines.length = 0
  })

  describe('health and info', () => {
    it('reports UP, alive and ready, without a session cookie', async () => {
      for (const url of [paths.health(), paths.healthReady()]) {
        const response = await web.app.inject({ url })
        assert.equal(response.statusCode, 200, url)
        assert.equal(response.json().status, 'UP')
        assert.equal(response.headers['set-cookie'], undefined)
      }
    })

    it('describes the service without sign-in', async () => {
      const response = await web.app.inject({ url: paths.info() })
      assert.equal(response.statusCode, 200)
      const info = response.json()
      assert.equal(info.name, 'ipic')
      assert.match(info.version, /^\d+\.\d+\.\d+/)
      assert.equal(info.ruleSetVersion, web.services.rules.version, 'the rule set loaded at start')
      assert.equal(typeof info.ruleSetVersion, 'string')
      assert.equal(typeof info.uptimeSeconds, 'number')
    })
  })

  describe('request IDs', () => {
    it('gives every response an x-request-id that labels its log lines', async () => {
      const response = await web.app.inject({ url: paths.home() })
      const id = response.headers['x-request-id']
      assert.equal(typeof id, 'string')
      assert.ok(web.logs.lines.some((line) => line.reqId === id))
    })

    it('is always our own: an incoming ID is only logged beside it, as clientRequestId', async () => {
      const response = await web.app.inject({ url: paths.home(), headers: { 'x-request-id': 'lb-1234.abc' } })
      const id = String(response.headers['x-request-id'])
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      const lines = web.logs.lines.filter((line) => line.reqId === id)
      assert.ok(lines.length > 0)
      for (const line of lines) assert.equal(line.clientRequestId, 'lb-1234.abc')
    })

    it('never answers with or logs an incoming ID as it came', async () => {
      const hostile = `bad id\u0007<script>\u001b[31m${'x'.repeat(200)}`
      const response = await web.app.inject({ url: paths.home(), headers: { 'x-request-id': hostile } })
      const id = String(response.headers['x-request-id'])
      assert.match(id, /^[0-9a-f-]{36}$/)
      const line = web.logs.lines.find((logged) => logged.reqId === id)
      assert.equal(line?.clientRequestId, `badidscript31m${'x'.repeat(50)}`)
      const plain = await web.app.inject({ url: paths.home() })
      const plainLine = web.logs.lines.find((logged) => logged.reqId === plain.headers['x-request-id'])
      assert.ok(plainLine && !('clientRequestId' in plainLine))
    })

    it('is ours even when a client reuses another request’s ID', async () => {
      const first = await web.app.inject({ url: paths.home() })
      const reused = await web.app.inject({
        url: paths.home(),
        headers: { 'x-request-id': String(first.headers['x-request-id']) },
      })
      assert.notEqual(reused.headers['x-request-id'], first.headers['x-request-id'])
    })

    it('differs from one request to the next', async () => {
      const first = await web.app.inject({ url: paths.home() })
      const second = await web.app.inject({ url: paths.home() })
      assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id'])
    })
  })

  describe('content security policy', () => {
    it('allows scripts from the service and inline ones carrying this response’s nonce', async () => {
      const response = await web.app.inject({ url: paths.signIn() })
      const policy = String(response.headers['content-security-policy'])
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1]
      assert.ok(nonce, `no script nonce in ${policy}`)
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/)
      const scripts = [...response.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0])
      const inline = scripts.filter((tag) => !tag.includes('src='))
      assert.ok(inline.length >= 2, 'the js-enabled snippet and the initialiser')
      for (const tag of inline) assert.ok(tag.includes(`nonce="${nonce}"`), `${tag} lacks the nonce`)
    })

    it('uses a new nonce for each response', async () => {
      const first = await web.app.inject({ url: paths.signIn() })
      const second = await web.app.inject({ url: paths.signIn() })
      assert.notEqual(first.headers['content-security-policy'], second.headers['content-security-policy'])
    })

    it('sends the other security headers', async () => {
      const response = await web.app.inject({ url: paths.home() })
      assert.equal(response.headers['x-content-type-options'], 'nosniff')
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/)
    })
  })

  describe('static assets', () => {
    it('serves the front-end packages’ built CSS and JavaScript, and the fonts their CSS asks for', async () => {
      for (const url of [
        paths.assets.govukFrontendCss(),
        paths.assets.govukFrontendJs(),
        paths.assets.mojFrontendCss(),
        paths.assets.mojFrontendJs(),
        paths.assets.accessibleAutocompleteJs(),
        paths.assets.applicationCss(),
      ]) {
        const response = await web.app.inject({ url })
        assert.equal(response.statusCode, 200, url)
      }
      const css = (await web.app.inject({ url: paths.assets.govukFrontendCss() })).body
      const font = /url\((\/assets\/fonts\/[^)]+\.woff2)\)/.exec(css)?.[1]
      assert.ok(font)
      assert.equal((await web.app.inject({ url: font })).statusCode, 200)
      // MoJ Frontend's images live in its own package but under the same /assets/ prefix.
      const mojCss = (await web.app.inject({ url: paths.assets.mojFrontendCss() })).body
      const image = /url\((\/assets\/images\/[^)]+)\)/.exec(mojCss)?.[1]
      assert.ok(image)
      assert.equal((await web.app.inject({ url: image })).statusCode, 200)
    })

    it('does not serve the packages’ other files', async () => {
      const response = await web.app.inject({ url: `${paths.assets.govukFrontend()}/index.scss` })
      assert.equal(response.statusCode, 404)
    })
  })

  describe('the layout', () => {
    it('shows the service name, the GOV.UK header and footer, and a page title in the GOV.UK pattern', async () => {
      const response = await web.app.inject({ url: paths.signIn() })
      assert.equal(titleOf(response.body), 'Sign in – Identify and prioritise immigration cases – GOV.UK')
      assert.match(response.body, /govuk-service-navigation__service-name/)
      assert.match(response.body, /Identify and prioritise immigration cases/)
      assert.match(response.body, /class="govuk-header/)
      assert.match(response.body, /<footer class="govuk-template__footer">\s*<div class="govuk-footer/)
      assert.match(response.body, /<header class="govuk-template__header">/)
      assert.match(response.body, /href="#main-content"/)
    })

    it('shows no navigation to someone who is not signed in', async () => {
      const response = await web.app.inject({ url: paths.home() })
      assert.doesNotMatch(response.body, /Review tasks/)
      assert.doesNotMatch(response.body, /Sign out/)
    })

    it('marks the current section in the service navigation', async () => {
      await addTestUser(database, { id: 'nav.user' })
      const client = new WebClient(web.app)
      await client.signIn('nav.user')
      // A page inside the section: the search page of the user's one region.
      const page = await client.get(paths.reviewSearch('LSE'))
      assert.equal(page.statusCode, 200)
      assert.match(
        page.body,
        /<li class="govuk-service-navigation__item govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="\/review-tasks" aria-current="true">/,
      )
      assert.match(page.body, new RegExp(`href="${paths.miReport()}"`))
      assert.equal(titleOf(page.body), 'Review tasks – Identify and prioritise immigration cases – GOV.UK')
    })
  })

  describe('errors', () => {
    it('shows "Page not found" with a 404 for an unknown page, signed in or not', async () => {
      const response = await web.app.inject({ url: '/no-such-page' })
      assert.equal(response.statusCode, 404)
      assert.match(response.body, /Page not found/)
      assert.equal(
        titleOf(response.body),
        'Page not found – Identify and prioritise immigration cases – GOV.UK',
      )
    })

    it('shows the problem page with a reference that is in the log line holding the error', async () => {
      await addTestUser(database, { id: 'unlucky' })
      const client = new WebClient(web.app)
      await client.signIn('unlucky')
      const response = await client.get('/test/broken')
      assert.equal(response.statusCode, 500)
      assert.match(response.body, /Sorry, there is a problem with the service/)
      const reference = /data-testid="error-reference">([^<]+)</.exec(response.body)?.[1]
      assert.ok(reference, 'the page shows a reference')
      assert.doesNotMatch(response.body, /secret detail/, 'the error itself stays in the log')
      const logged = web.logs.lines.find((line) => line.reference === reference)
      assert.ok(logged, 'the reference is in the log')
      assert.equal(logged.level, 50)
      assert.equal(logged.reqId, response.headers['x-request-id'])
      assert.match(String((logged.err as { message: string }).message), /secret detail/)
    })

    it('gives each failure its own reference', async () => {
      await addTestUser(database, { id: 'unlucky' })
      const client = new WebClient(web.app)
      await client.signIn('unlucky')
      const first = await client.get('/test/broken')
      const second = await client.get('/test/broken')
      const referenceOf = (html: string) => /data-testid="error-reference">([^<]+)</.exec(html)?.[1]
      assert.notEqual(referenceOf(first.body), referenceOf(second.body))
    })

    it('answers a malformed request with a 4xx page, not the problem page', async () => {
      const response = await web.app.inject({
        method: 'POST',
        url: paths.signIn(),
        headers: { 'content-type': 'application/x-unknown' },
        payload: 'x',
      })
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, String(response.statusCode))
      assert.doesNotMatch(response.body, /problem with the service/)
    })
  })

  describe('logs', () => {
    it('never contain a password, a session cookie or a CSRF token', async () => {
      await addTestUser(database, { id: 'careful' })
      const client = new WebClient(web.app)
      await new WebClient(web.app).signIn('careful', 'the-wrong-password-123')
      await client.signIn('careful')
      const cookie = client.cookies.get('ipic-session')
      assert.ok(cookie)
      const text = web.logs.text()
      assert.doesNotMatch(text, /correct-horse-battery|the-wrong-password-123/)
      assert.ok(!text.includes(cookie.split('.')[0]!), 'no session ID')
      assert.doesNotMatch(text, /_csrf/)
    })
  })
})

describe('health when the database is down', () => {
  it('stays alive (200) and is not ready (503 DOWN)', async () => {
    const database = await openTestDatabase()
    const web = await startTestApp(database)
    try {
      await database.close()
      const alive = await web.app.inject({ url: paths.health() })
      assert.equal(alive.statusCode, 200)
      assert.equal(alive.json().status, 'UP')
      const ready = await web.app.inject({ url: paths.healthReady() })
      assert.equal(ready.statusCode, 503)
      assert.equal(ready.json().status, 'DOWN')
    } finally {
      await web.close()
    }
  })
})

describe('in production', () => {
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
    // Required by the configuration; the app is given the test database directly.
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    // The TLS-terminating proxy in front, whose X-Forwarded-Proto is believed.
    TRUST_PROXY: '1',
  }

  it('marks the session cookie Secure and tells browsers to keep to HTTPS', async () => {
    const database = await openTestDatabase()
    const web = await startTestApp(database, { env: production })
    try {
      // Behind the TLS-terminating proxy, which says the request came over HTTPS.
      const response = await web.app.inject({
        url: paths.signIn(),
        headers: { 'x-forwarded-proto': 'https' },
      })
      assert.match(String(response.headers['set-cookie']), /; Secure/)
      assert.match(String(response.headers['strict-transport-security']), /max-age=\d+/)
      assert.match(String(response.headers['content-security-policy']), /upgrade-insecure-requests/)
      // Over plain HTTP the session cookie is never sent at all.
      const plain = await web.app.inject({ url: paths.signIn() })
      assert.equal(plain.headers['set-cookie'], undefined)
    } finally {
      await web.close()
      await database.close()
    }
  })

  it('sends neither outside production, where the service runs on http://localhost', async () => {
    const database = await openTestDatabase()
    const web = await startTestApp(database)
    try {
      const response = await web.app.inject({ url: paths.signIn() })
      assert.doesNotMatch(String(response.headers['set-cookie']), /; Secure/)
      assert.equal(response.headers['strict-transport-security'], undefined)
      assert.doesNotMatch(String(response.headers['content-security-policy']), /upgrade-insecure-requests/)
    } finally {
      await web.close()
      await database.close()
    }
  })
})
