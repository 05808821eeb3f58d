/**
 * A caseworker signed in to the web benchmark's server as a browser would
 * be (sign-in form, CSRF token, session cookie), and a check that a page
 * answers as expected before it is timed.
 */
import { paths } from '../../src/web/paths.ts'

/**
 * The server runs with production settings, so its session cookie is Secure:
 * every request says it came through a TLS-terminating proxy, as in production.
 */
export const PROXY = { 'x-forwarded-proto': 'https' }

export interface Session {
  readonly cookie: string
  readonly csrfToken: string
}

function cookiesFrom(response: Response, jar: Map<string, string>): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';')
    const at = pair?.indexOf('=') ?? -1
    if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1))
  }
}

const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('no CSRF field on the page')
  return token
}

export async function signIn(baseUrl: string, userId: string, password: string): Promise<Session> {
  const jar = new Map<string, string>()
  const form = await fetch(`${baseUrl}${paths.signIn()}`, { headers: PROXY })
  cookiesFrom(form, jar)
  const signedIn = await fetch(`${baseUrl}${paths.signIn()}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...PROXY, 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ _csrf: csrfIn(await form.text()), userId, password }).toString(),
  })
  if (signedIn.status !== 303) throw new Error(`${userId} could not sign in (${signedIn.status})`)
  cookiesFrom(signedIn, jar)
  // A page with a form (sign-out) gives the token this session's posts carry.
  const home = await fetch(`${baseUrl}${paths.home()}`, { headers: { ...PROXY, cookie: cookieHeader(jar) } })
  cookiesFrom(home, jar)
  return { cookie: cookieHeader(jar), csrfToken: csrfIn(await home.text()) }
}

export async function expectPage(
  baseUrl: string,
  session: Session,
  path: string,
  marker: string,
  /** Text whose presence means the page is not the one to time, though it has the marker. */
  absent?: string,
): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { cookie: session.cookie },
    redirect: 'manual',
  })
  const body = await response.text()
  if (response.status !== 200 || !body.includes(marker)) {
    throw new Error(
      `${path} answered ${response.status} without "${marker}": the benchmark would time the wrong page`,
    )
  }
  if (absent !== undefined && body.includes(absent)) {
    throw new Error(`${path} says "${absent}": the benchmark would time the wrong page`)
  }
}
