/**
 * Placeholders for the parts of the service still being built, so the
 * service navigation leads somewhere. Each entry goes when its journey's
 * routes are registered.
 */
import type { FastifyInstance } from 'fastify'
import type { Permission } from '../../access/permissions.ts'

// Empty while every navigation item has its pages; kept for the next part of the service.
const COMING: readonly {
  readonly path: string
  readonly title: string
  readonly text: string
  /** Who will use the journey, and so may see that it is coming. */
  readonly permission: Permission
}[] = []

export async function comingSoonRoutes(app: FastifyInstance): Promise<void> {
  for (const page of COMING) {
    app.get(page.path, { config: { permission: page.permission } }, async (_request, reply) =>
      reply.view('coming-soon', { title: page.title, text: page.text }),
    )
  }
}
