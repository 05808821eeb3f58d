/**
 * `/health` and `/info`: for load balancers and whoever runs the service.
 * Registered before sessions and sign-in, so they work without either and
 * never touch the session store.
 */
import type { FastifyInstance } from 'fastify'
import packageJson from '../../../package.json' with { type: 'json' }
import type { Database } from '../../db/connect.ts'
import { databaseResponds } from '../../db/health.ts'
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
  app.get(paths.health(), { logLevel: 'warn', config: { public: true } }, async (request, reply) => {
    const up = await databaseResponds(deps.database.db)
    if (!up) request.log.warn('health check: the database did not answer')
    const status = up ? 'UP' : 'DOWN'
    return reply.code(up ? 200 : 503).send({ status, components: { database: { status } } })
  })

  app.get(paths.info(), { logLevel: 'warn', config: { public: true } }, async () => ({
    name: packageJson.name,
    description: packageJson.description,
    version: packageJson.version,
    ruleSetVersion: deps.rules.version,
    uptimeSeconds: Math.floor((performance.now() - startedAt) / 1000),
  }))
}
