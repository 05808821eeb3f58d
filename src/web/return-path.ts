/**
 * Where to send a user after signing in. The value arrives from the browser
 * (a query parameter, then a hidden field), so it is trusted only if it is a
 * path on this service: anything that could leave the site ("//evil.example",
 * "https://…", "/\evil.example") is dropped, which closes the open redirect.
 */
import { paths } from './paths.ts'

const PROBE_ORIGIN = 'http://ipic.invalid'
const MAX_LENGTH = 2000
// Browsers treat a backslash as a slash and ignore tabs and newlines in URLs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const UNSAFE_CHARACTERS = /[\\\u0000-\u001f\u007f]/

/** Pages it makes no sense to come back to after signing in. */
const NOT_RETURNABLE = new Set([paths.signIn(), paths.signOut(), paths.signedOut()])

export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return undefined
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE_CHARACTERS.test(value)) return undefined
  let url: URL
  try {
    url = new URL(value, PROBE_ORIGIN)
  } catch {
    return undefined
  }
  if (url.origin !== PROBE_ORIGIN || NOT_RETURNABLE.has(url.pathname)) return undefined
  return `${url.pathname}${url.search}`
}
