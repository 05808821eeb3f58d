/**
 * The last stop for every request: "page not found" for unknown URLs, and an
 * error page for everything that went wrong. A problem the user can fix (an
 * expired form, a page they may not see) gets a page that says what to do; a
 * bug gets the "problem with the service" page with a reference that is also
 * in the log line holding the error. A lost database connection is not a bug
 * but a moment's outage: 503 and "try again in a few minutes", with a
 * reference all the same.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isLostConnection } from '../../db/lost-connection.ts'
import { newErrorReference } from './error-reference.ts'

const CSRF_ERRORS = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET'])

interface ErrorPage {
  readonly status: number
  readonly template: string
  readonly data: Record<string, unknown>
}

export function registerErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler(async (_request, reply) =>
    render(reply, { status: 404, template: 'errors/not-found', data: {} }),
  )
  app.setErrorHandler(async (error: FastifyError, request, reply) => render(reply, errorPage(error, request)))
}

function errorPage(error: FastifyError, request: FastifyRequest): ErrorPage {
  if (error.code && CSRF_ERRORS.has(error.code)) {
    request.log.warn({ code: error.code }, 'form refused: missing or wrong CSRF token')
    return { status: 403, template: 'errors/form-expired', data: {} }
  }
  const status = error.statusCode ?? 500
  if (status === 403) {
    request.log.warn({ reason: error.message }, 'forbidden')
    return { status, template: 'errors/forbidden', data: {} }
  }
  if (status === 404) return { status, template: 'errors/not-found', data: {} }
  if (status >= 400 && status < 500) {
    request.log.info({ err: error }, 'bad request')
    return { status, template: 'errors/bad-request', data: {} }
  }
  const reference = newErrorReference()
  if (isLostConnection(error)) {
    request.log.error({ err: error, reference }, `database connection lost, reference ${reference}`)
    return { status: 503, template: 'errors/temporarily-unavailable', data: { reference } }
  }
  request.log.error({ err: error, reference }, `unexpected error, reference ${reference}`)
  return { status: 500, template: 'errors/server-error', data: { reference } }
}

async function render(reply: FastifyReply, page: ErrorPage): Promise<FastifyReply> {
  let html: string
  try {
    // The nonce is passed again because an error can come before the page context is set.
    html = await reply.viewAsync(page.template, { cspNonce: reply.cspNonce?.script, ...page.data })
  } catch (error) {
    // The error page itself failed: say so in plain text, with the reference if there is one.
    const reference = (page.data.reference as string | undefined) ?? newErrorReference()
    reply.log.error({ err: error, reference }, `error page failed to render, reference ${reference}`)
    return reply
      .code(500)
      .type('text/plain; charset=utf-8')
      .send(`Sorry, there is a problem with the service. Reference: ${reference}\n`)
  }
  return reply.code(page.status).type('text/html; charset=utf-8').send(html)
}
