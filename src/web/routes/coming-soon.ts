/**
 * Placeholders for the parts of the service still being built, so the
 * service navigation leads somewhere. Each entry goes when its journey's
 * routes are registered.
 */
import type { FastifyInstance } from 'fastify'

// Empty while every navigation item has its pages; kept for the next part of the service.
const COMING: readonly { readonly path: string; readonly title: string; readonly text: string }[] = []

export async function comingSoonRoutes(app: FastifyInstance): Promise<void> {
  for (const page of COMING) {
    app.get(page.path, async (_request, reply) =>
      reply.view('coming-soon', { title: page.title, text: page.text }),
    )
  }
}
