/**
 * Whether a URL may receive the decision events: an absolute http(s) URL,
 * not the service itself. Deliveries to the service's own address would
 * post every decision back into it (and, unsigned-in, be refused for ever);
 * a refused subscriber is told why rather than left failing.
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'

/** The addresses a host name resolves to (node:dns by default; tests give their own, without a network). */
export type HostLookup = (hostname: string) => Promise<readonly string[]>

export const systemLookup: HostLookup = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((found) => found.address)

/** Where the service answers: its port, and the names it is known by (the public one, if configured). */
export interface ServiceAddress {
  readonly port: number
  /** Host names and addresses that reach this machine (lower case). */
  readonly localHosts: readonly string[]
  /** The origin users reach the service at (e.g. from the single sign-on callback), if known. */
  readonly publicOrigin: string | undefined
  /** How host names are resolved to addresses; the system's resolver when absent. */
  readonly lookup?: HostLookup | undefined
}

export type SubscriberUrlProblem =
  | { readonly field: 'url'; readonly code: 'required' }
  | { readonly field: 'url'; readonly code: 'tooLong'; readonly params: { readonly maxLength: number } }
  | { readonly field: 'url'; readonly code: 'invalid' }
  | { readonly field: 'url'; readonly code: 'notHttp'; readonly params: { readonly scheme: string } }
  | { readonly field: 'url'; readonly code: 'credentials' }
  | { readonly field: 'url'; readonly code: 'pointsAtService' }
  | {
      readonly field: 'url'
      readonly code: 'resolvesToService'
      readonly params: { readonly host: string; readonly address: string }
    }

export const MAX_URL_LENGTH = 2000

/** Names and addresses that always mean "this machine". */
const LOOPBACK_NAMES = ['localhost', 'localhost.localdomain', 'ip6-localhost', '0.0.0.0', '[::]', '[::1]']

export function checkSubscriberUrl(
  text: string,
  service: ServiceAddress,
): { ok: true; url: string } | { ok: false; problem: SubscriberUrlProblem } {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, problem: { field: 'url', code: 'required' } }
  if (trimmed.length > MAX_URL_LENGTH) {
    return { ok: false, problem: { field: 'url', code: 'tooLong', params: { maxLength: MAX_URL_LENGTH } } }
  }
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return { ok: false, problem: { field: 'url', code: 'invalid' } }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      problem: { field: 'url', code: 'notHttp', params: { scheme: url.protocol.slice(0, -1) } },
    }
  }
  // A password in the URL would be shown on the page and kept in the audit trail.
  if (url.username !== '' || url.password !== '')
    return { ok: false, problem: { field: 'url', code: 'credentials' } }
  if (pointsAtService(url, service)) return { ok: false, problem: { field: 'url', code: 'pointsAtService' } }
  return { ok: true, url: url.href }
}

function pointsAtService(url: URL, service: ServiceAddress): boolean {
  if (service.publicOrigin !== undefined && url.origin === new URL(service.publicOrigin).origin) return true
  if (!onServicePort(url, service)) return false
  const host = url.hostname.toLowerCase()
  return LOOPBACK_NAMES.includes(host) || isLoopbackAddress(host) || service.localHosts.includes(host)
}

function onServicePort(url: URL, service: ServiceAddress): boolean {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port)
  return port === service.port
}

/**
 * The address through which a URL's host name reaches the service itself,
 * if it does: a name on the service's port that resolves to a loopback
 * address, an unspecified one, or one of this machine's. Asked when a
 * subscriber is added and again before each delivery, as a name's
 * addresses can change after it was checked (DNS rebinding). A name that
 * does not resolve is not refused here: its deliveries fail, and say why.
 */
export async function serviceAddressOfName(
  url: string,
  service: ServiceAddress,
): Promise<string | undefined> {
  const parsed = new URL(url)
  const host = parsed.hostname.toLowerCase()
  if (!onServicePort(parsed, service) || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return undefined
  let addresses: readonly string[]
  try {
    addresses = await (service.lookup ?? systemLookup)(host)
  } catch {
    return undefined
  }
  return addresses.find(
    (address) =>
      isLoopbackAddress(address) ||
      address === '0.0.0.0' ||
      address === '::' ||
      service.localHosts.includes(address.toLowerCase()),
  )
}

/** The URL's problem when its host name resolves to the service itself. */
export async function resolvedUrlProblem(
  url: string,
  service: ServiceAddress,
): Promise<SubscriberUrlProblem | undefined> {
  const address = await serviceAddressOfName(url, service)
  if (address === undefined) return undefined
  return { field: 'url', code: 'resolvesToService', params: { host: new URL(url).hostname, address } }
}

/** 127.0.0.0/8, and IPv6's ::1 and IPv4-mapped loopback (URL keeps IPv6 in brackets). */
function isLoopbackAddress(host: string): boolean {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || bare === '::' || /^::ffff:(127\.|7f)/.test(bare)
  return false
}
