/**
 * The web benchmark's floor: the least an audited page of personal data can
 * do through the service's own stack, registered only in the benchmark's
 * server. It passes the same layers as every page (session and signed-in
 * user read from the database, security headers, the sign-in and permission
 * guards), reads one row (the task's person, in the user's regions), writes
 * one durable audit event (its own commit) once that read has found it, and
 * renders a short page in the service's layout. What a case page takes
 * beyond it is the page's own work; the floor itself is the stack's, on the
 * machine as it is in that run.
 */
import type { FastifyInstance } from 'fastify'
import { inScope, scopeOf } from '../../src/access/region-scope.ts'
import { recordAuditEvent } from '../../src/audit/events.ts'
import type { RouteDependencies } from '../../src/web/routes/dependencies.ts'
import { signedInUser } from '../../src/web/server/guards.ts'
import { notFound } from '../../src/web/server/not-found.ts'

export const FLOOR_PATH = '/bench/floor/:taskId'
export const floorPath = (taskId: number) => `/bench/floor/${taskId}`

export async function floorPage(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { db } = deps.database
  app.get(FLOOR_PATH, { config: { permission: 'cases:read' } }, async (request, reply) => {
    const user = signedInUser(request)
    const taskId = Number((request.params as { taskId: string }).taskId)
    const row = await db
      .selectFrom('tasks')
      .select(['id', 'person_id'])
      .where('id', '=', taskId)
      .where((eb) => inScope(eb, 'rom_region', scopeOf(user)))
      .executeTakeFirst()
    if (!row) notFound('no such task in the user’s regions')
    await recordAuditEvent(db, {
      kind: 'case-viewed',
      at: deps.clock.now(),
      userId: user.id,
      personId: row.person_id,
      taskId: row.id,
      section: 'bench-floor',
    })
    return reply.view('coming-soon', { title: `Task ${row.id}`, text: `Person ${row.person_id}` })
  })
}

/** The scenario's name in the benchmark's table. */
export const FLOOR_SCENARIO = 'Floor: audited page, same stack'
