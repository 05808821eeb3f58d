/**
 * The TRUST_PROXY setting in the form Fastify takes. config.ts reads and
 * checks the setting, and says why nothing is believed unless configured.
 */
import type { TrustedProxies } from '../../config.ts'

/** Whether to believe the sender at `hop` (0: the connection's peer, 1: the last address it forwarded, …). */
type TrustFunction = (address: string, hop: number) => boolean

/**
 * Fastify's `trustProxy` option for the setting. A hop count is given as a
 * function because Fastify itself now ignores a bare number (it cannot tell
 * a proxy from a client connecting directly): counting hops is only right
 * where the service cannot be reached except through its proxies, which
 * the README says.
 */
export function fastifyTrustProxy(trusted: TrustedProxies): false | string[] | TrustFunction {
  switch (trusted.kind) {
    case 'none':
      return false
    case 'hops': {
      const { hops } = trusted
      return (_address, hop) => hop < hops
    }
    case 'addresses':
      return [...trusted.addresses]
  }
}
