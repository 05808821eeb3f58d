/**
 * The search form of a region, /review-tasks/:region/search: its buttons
 * (add or remove a country, search) post back to it, and a valid search
 * goes to the Recommended tab's first page with the whole search in the
 * URL. /review-tasks/clear-data forgets the saved search.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { checkCountryToAdd, EMPTY_SEARCH_INPUT, validateSearch } from '../../../review/search.ts'
import {
  hasSearchQuery,
  searchInputFromForm,
  searchInputFromQuery,
  searchToQuery,
} from '../../forms/search-form.ts'
import { paths } from '../../paths.ts'
import { notFound } from '../../server/not-found.ts'
import { NO_FORM_ERRORS } from '../../view-models/forms.ts'
import { searchErrors } from '../../view-models/review.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayReview, regionParams, reviewPages } from './pages.ts'
import { forgetSearch, rememberRegion, rememberSearch, savedSearch } from './saved-review.ts'

const searchButtons = z.object({
  action: z.enum(['search', 'add-country']).catch('search').optional().default('search'),
  addCountry: z.string().max(20).catch('').optional().default(''),
  remove: z.string().max(20).catch('').optional(),
})

export async function reviewSearchRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { regionOrNotFound, contextOf, renderSearch } = reviewPages(deps)

  app.get(paths.reviewSearch(':region'), mayReview, async (request, reply) => {
    const params = regionParams.safeParse(request.params)
    if (!params.success) notFound('not a region code')
    const options = regionOrNotFound(request, params.data.region)
    rememberRegion(request, options.region.code)
    // "Change search" links carry the search; otherwise show the saved one, if any.
    const saved = savedSearch(request, options.region.code)
    const input = hasSearchQuery(request.query)
      ? searchInputFromQuery(request.query)
      : saved
        ? searchInputFromQuery(saved)
        : EMPTY_SEARCH_INPUT
    return renderSearch(request, reply, options, input, NO_FORM_ERRORS)
  })

  app.post(paths.reviewSearch(':region'), mayReview, async (request, reply) => {
    const params = regionParams.safeParse(request.params)
    if (!params.success) notFound('not a region code')
    const options = regionOrNotFound(request, params.data.region)
    const input = searchInputFromForm(request.body)
    const buttons = searchButtons.parse(request.body ?? {})
    const context = contextOf(options)

    if (buttons.remove !== undefined && buttons.remove !== '') {
      const countries = input.countries.filter((code) => code !== buttons.remove)
      return renderSearch(request, reply, options, { ...input, countries }, NO_FORM_ERRORS)
    }

    const toAdd = buttons.addCountry.trim()
    if (buttons.action === 'add-country') {
      const problem = checkCountryToAdd(input, toAdd, context)
      if (problem) return renderSearch(request, reply, options, input, searchErrors([problem]))
      const countries = input.countries.includes(toAdd) ? input.countries : [...input.countries, toAdd]
      return renderSearch(request, reply, options, { ...input, countries }, NO_FORM_ERRORS)
    }

    // A country chosen but not yet added is surely meant to be part of the search.
    const withChosen =
      toAdd !== '' && !input.countries.includes(toAdd)
        ? { ...input, countries: [...input.countries, toAdd] }
        : input
    const result = validateSearch(withChosen, context)
    if (!result.ok) return renderSearch(request, reply, options, withChosen, searchErrors(result.problems))
    const query = searchToQuery(result.search)
    rememberSearch(request, options.region.code, query)
    return reply.redirect(paths.reviewList(options.region.code, 'recommended', query), 303)
  })

  app.post(paths.reviewClear(), mayReview, async (request, reply) => {
    const region = forgetSearch(request)
    return reply.redirect(region ? paths.reviewSearch(region) : paths.reviewRegion(), 303)
  })
}
