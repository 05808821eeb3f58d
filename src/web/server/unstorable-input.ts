/**
 * A URL whose path or query holds a NUL character: PostgreSQL text cannot
 * hold one, so a lookup with it would fail in the database as a server
 * error. No page's address or filter contains one, so the path answers
 * "page not found" and the query "the service could not understand that
 * request", before any route sees it. (Forms check their own fields, so
 * that each refusal names the field.)
 */
import type { FastifyRequest } from 'fastify'
import { BadRequestError } from '../case/request.ts'
import { notFound } from './not-found.ts'

const NUL = String.fromCharCode(0)

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL)
  if (Array.isArray(value)) return value.some(holdsNul)
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([name, entry]) => name.includes(NUL) || holdsNul(entry))
  }
  return false
}

export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  if (holdsNul(request.params)) notFound('a NUL in the path')
  if (holdsNul(request.query)) throw new BadRequestError('a NUL in the query')
}
