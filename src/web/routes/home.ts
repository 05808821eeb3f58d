/**
 * The landing page: a start page that leads to sign-in, or, once signed in,
 * the home page with the way into each part of the service.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { homePage } from '../view-models/home.ts'

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get(paths.home(), { config: { public: true } }, async (request, reply) =>
    request.user ? reply.view('home', homePage(request.user)) : reply.view('start'),
  )
}
