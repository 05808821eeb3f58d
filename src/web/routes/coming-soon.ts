/**
 * Placeholders for the parts of the service still being built, so the
 * service navigation leads somewhere. Each entry goes when its journey's
 * routes are registered.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'

const COMING = [
  {
    path: paths.reviewTasks(),
    title: 'Review tasks',
    text: 'You will be able to search for recommended tasks in your region, review each case and record your decision here.',
  },
  {
    path: paths.miReport(),
    title: 'MI report',
    text: 'You will be able to see and download the decisions made on recommended tasks here.',
  },
] as const

export async function comingSoonRoutes(app: FastifyInstance): Promise<void> {
  for (const page of COMING) {
    app.get(page.path, async (_request, reply) =>
      reply.view('coming-soon', { title: page.title, text: page.text }),
    )
  }
}
