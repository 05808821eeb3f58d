/**
 * `/health`, `/health/ready` and `/info`: for load balancers, orchestrators
 * and whoever runs the service. Registered before sessions and sign-in, so
 * they work without either and never touch the session store.
 *
 * - `/health` is liveness: the process is up and its event loop answers.
 *   It asks nothing of the database, so an orchestrator never restarts
 *   every instance because the database is away (restarting would not
 *   bring it back).
 * - `/health/ready` is readiness: 503 while the database does not answer
 *   or has migrations this code needs still to apply; a balancer sends
 *   such an instance no traffic until it answers 200 again.
 */
import type { FastifyInstance } from 'fastify'
import packageJson from '../../../package.json' with { type: 'json' }
import type { Database } from '../../db/connect.ts'
import { readiness } from '../../db/health.ts'
import type { LiveRules } from '../../rules/live-rules.ts'
import { paths } from '../paths.ts'

export interface HealthDependencies {
  readonly database: Database
  /** The rule set in force: /info gives its version. */
  readonly rules: Pick<LiveRules, 'version'>
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDependencies): Promise<void> {
  // Real elapsed time: the service clock's date may be fixed for a demo.
  const startedAt = performance.now()

  // Probes call these every few seconds: log their requests only when something is wrong.
  app.get(paths.health(), { logLevel: 'warn', config: { public: true } }, async () => ({ status: 'UP' }))

  app.get(paths.healthReady(), { logLevel: 'warn', config: { public: true } }, async (request, reply) => {
    const state = await readiness(deps.database.db)
    if (state.ready) return { status: 'UP', components: { database: { status: 'UP' } } }
    request.log.warn({ ...state }, 'not ready')
    const database =
      state.reason === 'database-unreachable'
        ? { status: 'DOWN', reason: 'the database did not answer' }
        : { status: 'DOWN', reason: 'migrations are pending', pending: state.pending }
    return reply.code(503).send({ status: 'DOWN', components: { database } })
  })

  app.get(paths.info(), { logLevel: 'warn', config: { public: true } }, async () => ({
    name: packageJson.name,
    description: packageJson.description,
    version: packageJson.version,
    ruleSetVersion: deps.rules.version,
    uptimeSeconds: Math.floor((performance.now() - startedAt) / 1000),
  }))
}
