/**
 * The service and a real OpenID provider (identity-provider.ts), both
 * listening on loopback ports, and a visitor that goes between them over
 * real HTTP as a browser would: one cookie jar, redirects followed by hand
 * so a test can stop at, change or replay any step.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { paths } from '../../src/web/paths.ts'
import type { TestDatabase } from './database.ts'
import { startIdentityProvider, type TestIdentityProvider } from './identity-provider.ts'
import { startTestApp, type TestApp, type TestAppOptions } from './web.ts'

export interface SingleSignOnSetup {
  readonly web: TestApp
  readonly provider: TestIdentityProvider
  /** The service's origin, e.g. http://127.0.0.1:41234 */
  readonly origin: string
  close(): Promise<void>
}

/** A port nothing listens on now, for a server whose address must be known before it is built. */
export async function sparePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  probe.close()
  await once(probe, 'close')
  return port
}

/** The service pointed at a test provider that has it registered as a client, both listening. */
export async function startWithIdentityProvider(
  database: TestDatabase,
  options: TestAppOptions = {},
): Promise<SingleSignOnSetup> {
  const port = await sparePort()
  const origin = `http://127.0.0.1:${port}`
  const provider = await startIdentityProvider({ serviceOrigin: origin })
  const web = await startTestApp(database, { ...options, env: { ...provider.env, ...options.env } })
  await web.app.listen({ host: '127.0.0.1', port })
  return {
    web,
    provider,
    origin,
    close: async () => {
      await web.close()
      await provider.close()
    },
  }
}

/** A visitor with one cookie jar for every origin (cookies ignore ports, as browsers' do). */
export class Visitor {
  readonly #cookies = new Map<string, string>()

  get cookieNames(): string[] {
    return [...this.#cookies.keys()]
  }

  /** Copies this visitor's cookies to a new one: another browser holding the same cookies. */
  copy(): Visitor {
    const other = new Visitor()
    for (const [name, value] of this.#cookies) other.#cookies.set(name, value)
    return other
  }

  async get(url: string): Promise<Response> {
    return this.#remember(await fetch(url, { headers: this.#headers(), redirect: 'manual' }))
  }

  async post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.#remember(
      await fetch(url, {
        method: 'POST',
        headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      }),
    )
  }

  /** Follows redirects from `url` (GET) until one answers with a page, or `until` says stop. */
  async follow(url: string, until: (next: string) => boolean = () => false): Promise<FollowedTo> {
    let current = url
    for (let hops = 0; hops < 10; hops += 1) {
      const response = await this.get(current)
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current, response, body: await response.text() }
      }
      await response.body?.cancel()
      current = new URL(location, current).href
      if (until(current)) return { url: current, response: undefined, body: '' }
    }
    throw new Error(`more than 10 redirects from ${url}`)
  }

  #headers(): Record<string, string> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    return cookie ? { cookie } : {}
  }

  #remember(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at).trim()
      const value = pair.slice(at + 1).trim()
      const expired = /;\s*max-age=0/i.test(line) || /;\s*expires=Thu, 01 Jan 1970/i.test(line)
      if (value === '' || expired) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
    return response
  }
}

export interface FollowedTo {
  /** The last URL requested, or the one `until` stopped at (not requested). */
  readonly url: string
  /** Undefined when stopped by `until`. */
  readonly response: Response | undefined
  readonly body: string
}

/**
 * Starts a sign-in at the service and signs in at the provider as
 * `username` (or cancels there), stopping at the provider's answer: the
 * service's callback URL, not yet visited.
 */
export async function answerFromProvider(
  visitor: Visitor,
  origin: string,
  username: string,
  options: { readonly cancel?: boolean; readonly returnTo?: string } = {},
): Promise<string> {
  const isCallback = (url: string) => url.startsWith(`${origin}${paths.signInCallback()}`)
  const form = await visitor.follow(`${origin}${paths.signInWithProvider(options.returnTo)}`, isCallback)
  if (!form.url.includes('/interaction/'))
    throw new Error(`expected the provider's sign-in form, got ${form.url}`)
  const submitted = await visitor.post(form.url, options.cancel ? { cancel: 'yes' } : { username })
  const location = submitted.headers.get('location')
  await submitted.body?.cancel()
  if (!location) throw new Error(`the provider's form answered ${submitted.status}`)
  const answer = await visitor.follow(new URL(location, form.url).href, isCallback)
  if (!isCallback(answer.url)) throw new Error(`the provider did not send the browser back: ${answer.url}`)
  return answer.url
}
