/**
 * The machine client a request acts for, as the operations need it: who
 * (for the audit) and where (its regions, the same shape as a user's).
 * Authentication has run before any operation (plugin.ts), so a client is
 * always there; its absence is a bug in the plugin's order.
 */
import type { FastifyRequest } from 'fastify'
import type { MachineClient } from '../../access/machine-clients.ts'
import { type RegionScope, scopeOf } from '../../access/region-scope.ts'

export function clientOf(request: FastifyRequest): MachineClient {
  const client = request.machineClient
  if (!client) throw new Error('an API operation ran before its client was authenticated')
  return client
}

export function clientScope(request: FastifyRequest): RegionScope {
  return scopeOf(clientOf(request))
}
