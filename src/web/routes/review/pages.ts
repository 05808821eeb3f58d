/**
 * Review tasks: choose a ROM region, search, and go through the tabs.
 *
 *   /review-tasks                      where the user left off (region, then search)   list.ts
 *   /review-tasks/region               choose a region (skipped with only one)         region.ts
 *   /review-tasks/clear-data           forget the saved search (POST)                  search.ts
 *   /review-tasks/:tab                 a tab of the region in the session              list.ts
 *   /review-tasks/:region/search       the search form (GET) and its buttons (POST)    search.ts
 *   /review-tasks/:region/:tab         a tab's list: the whole search in the query     list.ts
 *
 * The region in the URL is checked against the user's regions on every
 * request (a region they may not see is "page not found"), and the lists are
 * scoped to it in SQL as well. The search is kept in the session
 * (saved-review.ts) so that the pages can come back to it, and in the
 * results URL so it can be shared.
 *
 * This module holds what the three share: the permission they need, the region in the
 * URL checked, the region bar, a saved or linked search checked again, and
 * the search page, which the list shows too when a link's search is wrong.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { scopeOf } from '../../../access/region-scope.ts'
import type { AssignedFilter } from '../../../review/list-query.ts'
import type { ListRequest } from '../../../review/list-service.ts'
import { MAX_COUNTRIES, type SearchInput, type TaskSearch, validateSearch } from '../../../review/search.ts'
import { type SearchOptions, searchContext } from '../../../review/search-options.ts'
import { type SearchQuery, searchInputFromQuery, searchToQuery } from '../../forms/search-form.ts'
import { paths } from '../../paths.ts'
import { signedInUser } from '../../server/guards.ts'
import { notFound } from '../../server/not-found.ts'
import type { FormErrors } from '../../view-models/forms.ts'
import { reviewTabs, searchForm } from '../../view-models/review.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { savedSearch } from './saved-review.ts'

/** The route options of every review page. */
export const mayReview = { config: { permission: 'tasks:review' } } as const

export const regionParams = z.object({ region: z.string().regex(/^[A-Z0-9_]{1,20}$/) })

export function reviewPages(deps: RouteDependencies) {
  const { searchChoices, reviewLists } = deps.services

  /** The search choices of the region in the URL; "page not found" for one the user may not see. */
  function regionOrNotFound(request: FastifyRequest, region: string): SearchOptions {
    return (
      searchChoices.optionsFor(scopeOf(signedInUser(request)), region) ??
      notFound(`no region ${region} for this user`)
    )
  }

  /** The region bar every review page shows: the region, and a way to change it when there is a choice. */
  function regionBar(request: FastifyRequest, options: SearchOptions) {
    const regions = searchChoices.regionsFor(scopeOf(signedInUser(request)))
    return {
      regionName: options.region.name,
      changeRegionHref: regions.length > 1 ? paths.reviewRegion() : null,
    }
  }

  function contextOf(options: SearchOptions) {
    return searchContext(options, deps.clock.today(), deps.config.searchMaxDays)
  }

  /** Validates a saved or linked search again: reference data may have changed since it was saved. */
  function checkedSearch(options: SearchOptions, query: SearchQuery | undefined): TaskSearch | null {
    if (!query) return null
    const result = validateSearch(searchInputFromQuery(query), contextOf(options))
    return result.ok ? result.search : null
  }

  function listRequest(
    request: FastifyRequest,
    region: string,
    search: TaskSearch | null,
    assigned?: AssignedFilter,
  ): ListRequest {
    return { region, scope: scopeOf(signedInUser(request)), search, ...(assigned ? { assigned } : {}) }
  }

  /** The search form with `input`, and the tabs of the saved search (or of the whole region) above it. */
  async function renderSearch(
    request: FastifyRequest,
    reply: FastifyReply,
    options: SearchOptions,
    input: SearchInput,
    errors: FormErrors,
  ) {
    const saved = checkedSearch(options, savedSearch(request, options.region.code))
    const counts = await reviewLists.counts(listRequest(request, options.region.code, saved))
    return reply.code(errors.errors.length > 0 ? 400 : 200).view('review/search', {
      ...errors,
      ...regionBar(request, options),
      region: options.region,
      tabs: reviewTabs(options.region.code, counts, 'recommended', saved ? searchToQuery(saved) : undefined),
      searched: saved !== null,
      form: searchForm(options, input, errors),
      maxDays: deps.config.searchMaxDays,
      maxCountries: MAX_COUNTRIES,
    })
  }

  return { regionOrNotFound, regionBar, contextOf, checkedSearch, listRequest, renderSearch }
}
