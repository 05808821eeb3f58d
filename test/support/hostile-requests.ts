/**
 * Hostile requests against the in-process app, and what every answer must
 * be: never a server error, never markup echoed unescaped, a GOV.UK page
 * with a heading for anything a browser shows, and redirects only within the
 * service.
 */
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify'
import { encodeFields, MARKUP_SIGNS } from './hostile-values.ts'
import { textOf } from './web.ts'

/** A route as the app registered it: one method and its URL pattern. */
export interface RouteSeen {
  readonly method: 'GET' | 'POST'
  readonly url: string
}

/** Every GET and POST the app registers, static files excepted (their own tests cover paths). */
export function routesSeen(routes: readonly RouteOptions[]): RouteSeen[] {
  return routes
    .flatMap((route) => [route.method].flat().map((method) => ({ method, url: route.url ?? '' })))
    .filter((route): route is RouteSeen => route.method === 'GET' || route.method === 'POST')
    .filter((route) => !route.url.endsWith('*'))
}

/** The ":name" parameters of a URL pattern. */
export function parametersOf(pattern: string): string[] {
  return [...pattern.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]!)
}

/** A pattern with its parameters replaced by already-encoded values. */
export function fillPattern(pattern: string, encoded: Readonly<Record<string, string>>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => encoded[name] ?? name)
}

/** The names of every form field and query parameter in a page. */
export function fieldNamesIn(html: string): string[] {
  return [...html.matchAll(/\sname="([^"]+)"/g)].map((match) => match[1]!)
}

/** The [name, value] of every input in a page that carries both: real values a form would send. */
export function fieldValuesIn(html: string): [string, string][] {
  const pairs: [string, string][] = []
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\sname="([^"]+)"/.exec(tag)?.[1]
    const value = /\svalue="([^"]*)"/.exec(tag)?.[1]
    if (name && value !== undefined && name !== '_csrf') pairs.push([name, value])
  }
  return pairs
}

const WEB_SOURCES = resolve(import.meta.dirname, '../../src/web')

/**
 * The names of every field the templates and view models declare (`name="…"`
 * in markup, `name: "…"` in a GOV.UK macro's options or a view model's
 * items): the fields of pages the crawl does not reach, such as forms shown
 * only to a user with a task in hand.
 */
export async function fieldNamesInSources(directory = WEB_SOURCES): Promise<string[]> {
  const names = new Set<string>()
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(njk|ts)$/.test(entry.name)) continue
    const text = await readFile(join(entry.parentPath, entry.name), 'utf8')
    for (const match of text.matchAll(/\bname(?:="|:\s*["'])([A-Za-z][A-Za-z0-9_.-]*)["']/g))
      names.add(match[1]!)
  }
  return [...names]
}

export type BodyKind = 'form' | 'json' | 'text'

/** Sends one request with the client's cookies, the body encoded as asked. */
export async function sendHostile(
  app: FastifyInstance,
  cookies: ReadonlyMap<string, string>,
  request: {
    method: 'GET' | 'POST'
    path: string
    query: Readonly<Record<string, string | readonly string[]>>
    body?: Readonly<Record<string, string | readonly string[]>>
    bodyKind?: BodyKind
  },
): Promise<LightMyRequestResponse> {
  const query = encodeFields(request.query)
  const url = query === '' ? request.path : `${request.path}?${query}`
  const headers: Record<string, string> = {}
  let payload: string | undefined
  if (request.method === 'POST') {
    const body = request.body ?? {}
    const kind = request.bodyKind ?? 'form'
    headers['content-type'] =
      kind === 'form'
        ? 'application/x-www-form-urlencoded'
        : kind === 'json'
          ? 'application/json'
          : 'text/plain'
    payload =
      kind === 'form' ? encodeFields(body) : kind === 'json' ? JSON.stringify(body) : String(body.text ?? '')
  }
  return app.inject({
    method: request.method,
    url,
    headers,
    cookies: Object.fromEntries(cookies),
    ...(payload === undefined ? {} : { payload }),
  })
}

/** Words a page shows only when code leaks a value it failed to handle. */
export const LEAK_WORDS = ['[object Object]', 'TypeError', 'ZodError', 'stack', 'undefined', 'NaN'] as const

/**
 * What every answer to a hostile request must be; throws, naming the request
 * (`what`), when it is not. `sent` is all the text sent so far, this request
 * and those before it: a page may show back a word sent earlier and stored.
 */
export function assertAnswerIsSound(response: LightMyRequestResponse, what: string, sent = what): void {
  assert.ok(
    response.statusCode < 500,
    `${what}: status ${response.statusCode}\n${response.body.slice(0, 2000)}`,
  )
  for (const sign of MARKUP_SIGNS) {
    assert.ok(!response.body.includes(sign), `${what}: the answer carries unescaped markup ${sign}`)
  }
  const location = response.headers.location
  if (location !== undefined) {
    assert.match(String(location), /^\/(?![/\\])/, `${what}: redirects outside the service to ${location}`)
  }
  const type = String(response.headers['content-type'] ?? '')
  if (type.startsWith('text/html')) {
    assert.match(response.body, /class="govuk-template/, `${what}: not a GOV.UK page`)
    const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(response.body)?.[1]
    assert.ok(heading && textOf(heading) !== '', `${what}: the page has no heading`)
    const text = textOf(response.body)
    for (const leak of LEAK_WORDS) {
      // A hostile value shown back may itself hold such words; only a leak nobody sent counts.
      if (text.includes(leak) && !sent.includes(leak)) assert.fail(`${what}: the page shows "${leak}"`)
    }
    if (response.statusCode === 400) {
      assert.ok(
        response.body.includes('govuk-error-summary') ||
          /govuk-heading-l|govuk-heading-xl/.test(response.body),
        `${what}: a refusal without an error summary or an error page`,
      )
    }
  }
}
