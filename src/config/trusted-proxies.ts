/**
 * TRUST_PROXY: which proxies in front of the service to believe.
 *
 * X-Forwarded-For and X-Forwarded-Proto are only headers: any client can
 * send them. Believing them from everyone would let a client choose its own
 * address, dodging the per-address sign-in limit by changing it on every
 * attempt or locking an office out by forging the office's. So nothing is
 * believed unless configured: either how many proxies stand in front of the
 * service (the client is the address the outermost of them saw), or which
 * addresses those proxies have.
 */
import { isIP } from 'node:net'
import { z } from 'zod'

export type TrustedProxies =
  | { readonly kind: 'none' }
  /** This many proxies in front: the address each added to X-Forwarded-For is believed, no further. */
  | { readonly kind: 'hops'; readonly hops: number }
  /** Proxies at these addresses, CIDR ranges or named ranges are believed; any other sender is the client. */
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] }

const TRUST_NO_PROXY: TrustedProxies = { kind: 'none' }

/** Ranges the proxy-addr library (which Fastify uses) knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])
const MAX_HOPS = 10

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry) || isIP(entry) !== 0) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (version === 4 ? 32 : 128)
}

/** The TRUST_PROXY variable: unset, "false" or 0 trusts nothing; a whole number, hops; else a list. */
export const trustProxySetting = z
  .string()
  .optional()
  .transform((value, context): TrustedProxies => {
    const text = value?.trim() ?? ''
    if (text === '' || text === 'false' || text === '0') return TRUST_NO_PROXY
    if (text === 'true') {
      context.addIssue({
        code: 'custom',
        message:
          'must be the number of proxies in front of the service or their addresses: "true" would believe an address any client makes up',
      })
      return z.NEVER
    }
    if (/^\d+$/.test(text)) {
      const hops = Number(text)
      if (hops > MAX_HOPS) {
        context.addIssue({ code: 'custom', message: `must be at most ${MAX_HOPS} proxies` })
        return z.NEVER
      }
      return { kind: 'hops', hops }
    }
    const addresses = text.split(',').map((entry) => entry.trim())
    const wrong = addresses.filter((entry) => !isAddressOrRange(entry))
    if (wrong.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `must be a number of proxies, or IP addresses and CIDR ranges separated by commas (not ${wrong
          .map((entry) => JSON.stringify(entry))
          .join(', ')})`,
      })
      return z.NEVER
    }
    return { kind: 'addresses', addresses }
  })
