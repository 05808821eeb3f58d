/**
 * What the session keeps of the review pages: the region the user is
 * working in, their last valid search in it, and where in its lists they
 * were, so that "Back to recommended cases" and the decision pages can
 * return there.
 */
import type { FastifyRequest } from 'fastify'
import type { ReviewTab } from '../../../review/lists.ts'
import type { Option } from '../../../review/search-options.ts'
import type { SearchQuery } from '../../forms/search-form.ts'

/** Where in the lists of a search the user last was: "Back to recommended cases" returns there. */
export interface ListPlace {
  readonly tab: ReviewTab
  readonly page: number
}

export interface SavedReview {
  region: string
  search?: SearchQuery
  place?: ListPlace
}

declare module 'fastify' {
  interface Session {
    /** The region the user is working in, their last valid search in it, and where in its lists they were. */
    review?: SavedReview
  }
}

export function savedReview(request: FastifyRequest): SavedReview | undefined {
  return request.session.review
}

/** Remembers the region; a search made in another region does not carry over (its locations differ). */
export function rememberRegion(request: FastifyRequest, region: string): void {
  const current = request.session.review
  if (current?.region !== region) request.session.review = { region }
}

/** A user with one region needs no choice: remember it and return its code. */
export function onlyRegion(request: FastifyRequest, regions: readonly Option[]): string | undefined {
  const only = regions.length === 1 ? regions[0] : undefined
  if (only) rememberRegion(request, only.code)
  return only?.code
}

export function rememberSearch(
  request: FastifyRequest,
  region: string,
  search: SearchQuery,
  place?: ListPlace,
): void {
  request.session.review = place ? { region, search, place } : { region, search }
}

/** The search saved for this region, if the saved one is for it. */
export function savedSearch(request: FastifyRequest, region: string): SearchQuery | undefined {
  const saved = request.session.review
  return saved?.region === region ? saved.search : undefined
}

/** Forgets the search, keeping the region; returns the region, if one was saved. */
export function forgetSearch(request: FastifyRequest): string | undefined {
  const saved = request.session.review
  if (saved) request.session.review = { region: saved.region }
  return saved?.region
}
