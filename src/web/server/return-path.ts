/**
 * Where to send a user after signing in, and where a case page's "Back"
 * link goes. The value arrives from the browser (a query parameter, then a
 * hidden field), so it is trusted only if it is a path on this service.
 *
 * The check is made on the path as a browser would resolve it, not on the
 * text as it came: "/.//evil.example" does not start with "//", but its dot
 * segment resolves away and leaves "//evil.example", which a browser reads
 * as another host. So the value is first resolved against a probe origin
 * (the WHATWG URL rules browsers follow), and only then is the result
 * required to be one plain path on that origin.
 */
import { paths } from '../paths.ts'

const PROBE_ORIGIN = 'http://ipic.invalid'
const MAX_LENGTH = 2000
// Browsers treat a backslash as a slash and drop tabs and newlines inside URLs,
// so either can turn a harmless-looking path into another host.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const UNSAFE_CHARACTERS = /[\\\u0000-\u001f\u007f]/

/** Pages it makes no sense to come back to after signing in. */
const NOT_RETURNABLE = new Set([
  paths.signIn(),
  paths.signOut(),
  paths.signedOut(),
  paths.timedOut(),
  paths.sessionStatus(),
  paths.sessionKeepAlive(),
])

/** The text with its percent-escapes decoded, or undefined if they are malformed. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

// A browser never escapes these in a path, and this service's own paths hold
// none; a proxy or server that decodes them before routing could read the
// path differently ("/%2e%2e%2f%2fevil" is "/..//evil" to it).
const ESCAPED_SEPARATOR = /%(2f|5c|2e)/i

/** One plain path: a single leading slash, no escaped separators, and no control character even once decoded. */
function isPlainLocalPath(pathname: string): boolean {
  const plain = decoded(pathname)
  return (
    plain !== undefined &&
    pathname.startsWith('/') &&
    !pathname.startsWith('//') &&
    !ESCAPED_SEPARATOR.test(pathname) &&
    !UNSAFE_CHARACTERS.test(plain)
  )
}

function resolved(value: string): URL | undefined {
  try {
    return new URL(value, PROBE_ORIGIN)
  } catch {
    return undefined
  }
}

export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return undefined
  // Only an absolute path: no scheme ("https:evil"), no relative path, nothing a browser would clean up first.
  if (!value.startsWith('/') || UNSAFE_CHARACTERS.test(value)) return undefined
  const url = resolved(value)
  if (!url || url.origin !== PROBE_ORIGIN || !isPlainLocalPath(url.pathname)) return undefined
  if (NOT_RETURNABLE.has(url.pathname)) return undefined
  return `${url.pathname}${url.search}`
}
