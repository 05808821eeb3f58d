/**
 * Review tasks: choose a ROM region, search, and go through the tabs.
 *
 *   /review-tasks                      where the user left off (region, then search)
 *   /review-tasks/region               choose a region (skipped with only one)
 *   /review-tasks/clear-data           forget the saved search (POST)
 *   /review-tasks/:tab                 a tab of the region in the session (the decision pages link here)
 *   /review-tasks/:region/search       the search form (GET) and its buttons (POST)
 *   /review-tasks/:region/:tab         a tab's list: the whole search is in the query string
 *
 * The region in the URL is checked against the user's regions on every
 * request (a region they may not see is "page not found"), and the lists are
 * scoped to it in SQL as well. The search is kept in the session so that the
 * pages can come back to it, and in the results URL so it can be shared.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { scopeOf } from '../../access/region-scope.ts'
import { NATIONAL_ROLES } from '../../access/roles.ts'
import type { User } from '../../access/users.ts'
import type { ListWhere } from '../../review/list-query.ts'
import { isReviewTab, lastPage, listTasks, type ReviewTab } from '../../review/lists.ts'
import { pageIndexesOf } from '../../review/page-index-cache.ts'
import {
  checkCountryToAdd,
  EMPTY_SEARCH_INPUT,
  MAX_COUNTRIES,
  type SearchInput,
  validateSearch,
} from '../../review/search.ts'
import {
  type Option,
  regionsFor,
  type SearchOptions,
  searchContext,
  searchOptionsFor,
} from '../../review/search-options.ts'
import {
  hasSearchQuery,
  type SearchQuery,
  searchInputFromForm,
  searchInputFromQuery,
  searchToQuery,
} from '../forms/search-form.ts'
import { messages } from '../messages.ts'
import { paths } from '../paths.ts'
import { ForbiddenError, requireRole } from '../server/guards.ts'
import { type FormErrors, formErrors, NO_FORM_ERRORS } from '../view-models/forms.ts'
import {
  pagination,
  regionPage,
  reviewTabs,
  searchErrors,
  searchForm,
  showingResults,
  TAB_HEADINGS,
  TAB_LABELS,
  taskTable,
} from '../view-models/review.ts'
import type { RouteDependencies } from './dependencies.ts'

/** Where in the lists of a search the user last was: "Back to recommended cases" returns there. */
interface ListPlace {
  readonly tab: ReviewTab
  readonly page: number
}

declare module 'fastify' {
  interface Session {
    /** The region the user is working in, their last valid search in it, and where in its lists they were. */
    review?: { region: string; search?: SearchQuery; place?: ListPlace }
  }
}

class NotFoundError extends Error {
  readonly statusCode = 404
}

/** Caseworkers and managers review tasks; national roles may too, in a region they choose. */
const mayReview = requireRole('CASEWORKER', 'MANAGER', ...NATIONAL_ROLES)

const regionForm = z.object({ region: z.string().max(50).catch('').optional().default('') })
const regionParams = z.object({ region: z.string().regex(/^[A-Z0-9_]{1,20}$/) })
const listParams = regionParams.extend({ tab: z.string() })
const tabParams = z.object({ tab: z.string() })
const pageQuery = z.object({
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .optional()
    .default(1),
})
const searchButtons = z.object({
  action: z.enum(['search', 'add-country']).catch('search').optional().default('search'),
  addCountry: z.string().max(20).catch('').optional().default(''),
  remove: z.string().max(20).catch('').optional(),
})

function user(request: FastifyRequest): User {
  // The sign-in guard has run: every page here has a user.
  if (!request.user) throw new ForbiddenError('not signed in')
  return request.user
}

/** Remembers the region; a search made in another region does not carry over (its locations differ). */
function rememberRegion(request: FastifyRequest, region: string): void {
  const current = request.session.review
  if (current?.region !== region) request.session.review = { region }
}

/** A user with one region needs no choice: remember it and return its code. */
function onlyRegion(request: FastifyRequest, regions: readonly Option[]): string | undefined {
  const only = regions.length === 1 ? regions[0] : undefined
  if (only) rememberRegion(request, only.code)
  return only?.code
}

function rememberSearch(
  request: FastifyRequest,
  region: string,
  search: SearchQuery,
  place?: ListPlace,
): void {
  request.session.review = place ? { region, search, place } : { region, search }
}

function savedSearch(request: FastifyRequest, region: string): SearchQuery | undefined {
  const saved = request.session.review
  return saved?.region === region ? saved.search : undefined
}

export async function reviewRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { db } = deps.database
  const pageIndexes = pageIndexesOf(deps.database.db)

  async function regionOrNotFound(request: FastifyRequest, region: string): Promise<SearchOptions> {
    const options = await searchOptionsFor(db, scopeOf(user(request)), region)
    if (!options) throw new NotFoundError(`no region ${region} for this user`)
    return options
  }

  function where(request: FastifyRequest, region: string, search: ListWhere['search']): ListWhere {
    return {
      region,
      scope: scopeOf(user(request)),
      today: deps.clock.today(),
      retention: deps.config.retention,
      search,
    }
  }

  /** The region bar every review page shows: the region, and a way to change it when there is a choice. */
  async function regionBar(request: FastifyRequest, options: SearchOptions) {
    const regions = await regionsFor(db, scopeOf(user(request)))
    return {
      regionName: options.region.name,
      changeRegionHref: regions.length > 1 ? paths.reviewRegion() : null,
    }
  }

  /** Validates a saved or linked search again: reference data may have changed since it was saved. */
  function checkedSearch(options: SearchOptions, query: SearchQuery | undefined) {
    if (!query) return null
    const result = validateSearch(
      searchInputFromQuery(query),
      searchContext(options, deps.clock.today(), deps.config.searchMaxDays),
    )
    return result.ok ? result.search : null
  }

  async function renderSearch(
    request: FastifyRequest,
    reply: FastifyReply,
    options: SearchOptions,
    input: SearchInput,
    errors: FormErrors,
  ) {
    const saved = checkedSearch(options, savedSearch(request, options.region.code))
    const [counts, bar] = await Promise.all([
      pageIndexes
        .stampOf(db)
        .then((stamp) => pageIndexes.countsFor(db, where(request, options.region.code, saved), stamp)),
      regionBar(request, options),
    ])
    return reply.code(errors.errors.length > 0 ? 400 : 200).view('review/search', {
      ...errors,
      ...bar,
      region: options.region,
      tabs: reviewTabs(options.region.code, counts, 'recommended', saved ? searchToQuery(saved) : undefined),
      searched: saved !== null,
      form: searchForm(options, input, errors),
      maxDays: deps.config.searchMaxDays,
      maxCountries: MAX_COUNTRIES,
    })
  }

  // Where the user left off: the page of the list they last saw (the case pages' "Back to
  // recommended cases" lead here), or the search, or the choice of region.
  app.get(paths.reviewTasks(), { preHandler: mayReview }, async (request, reply) => {
    const saved = request.session.review
    if (!saved) return reply.redirect(paths.reviewRegion(), 303)
    const options = await searchOptionsFor(db, scopeOf(user(request)), saved.region)
    if (!options) return reply.redirect(paths.reviewRegion(), 303)
    const search = checkedSearch(options, saved.search)
    if (!search) return reply.redirect(paths.reviewSearch(saved.region), 303)
    const { tab, page } = saved.place ?? { tab: 'recommended', page: 1 }
    // Decisions since may have shortened the list: the last page that still exists.
    const index = await pageIndexes.indexFor(
      db,
      tab,
      where(request, saved.region, search),
      await pageIndexes.stampOf(db),
    )
    const onPage = Math.min(page, lastPage(index.total))
    return reply.redirect(paths.reviewList(saved.region, tab, searchToQuery(search), onPage), 303)
  })

  app.get(paths.reviewRegion(), { preHandler: mayReview }, async (request, reply) => {
    const regions = await regionsFor(db, scopeOf(user(request)))
    if (regions.length === 0) throw new ForbiddenError('the user has no ROM region')
    const only = onlyRegion(request, regions)
    if (only) return reply.redirect(paths.reviewSearch(only), 303)
    return reply.view('review/region', regionPage(regions, request.session.review?.region, NO_FORM_ERRORS))
  })

  app.post(paths.reviewRegion(), { preHandler: mayReview }, async (request, reply) => {
    const { region } = regionForm.parse(request.body ?? {})
    const regions: Option[] = await regionsFor(db, scopeOf(user(request)))
    if (region === '') {
      const errors = formErrors([{ field: 'region', message: messages.review.regionMissing }])
      return reply.code(400).view('review/region', regionPage(regions, undefined, errors))
    }
    // Only a tampered form can name a region that was not offered.
    if (!regions.some((option) => option.code === region)) {
      throw new ForbiddenError(`region ${region} is not one of the user's`)
    }
    rememberRegion(request, region)
    return reply.redirect(paths.reviewSearch(region), 303)
  })

  app.post(paths.reviewClear(), { preHandler: mayReview }, async (request, reply) => {
    const saved = request.session.review
    if (saved) request.session.review = { region: saved.region }
    return reply.redirect(saved ? paths.reviewSearch(saved.region) : paths.reviewRegion(), 303)
  })

  // A tab of the region in the session: the decision pages link here, not knowing the region.
  app.get(paths.reviewTab(':tab' as ReviewTab), { preHandler: mayReview }, async (request, reply) => {
    const { tab } = tabParams.parse(request.params)
    if (!isReviewTab(tab)) throw new NotFoundError(`no tab ${tab}`)
    const saved = request.session.review
    if (saved) return reply.redirect(paths.reviewList(saved.region, tab, saved.search), 303)
    // No region chosen yet in this session: someone with one region needs no choice to see the tab.
    const only = onlyRegion(request, await regionsFor(db, scopeOf(user(request))))
    if (!only) return reply.redirect(paths.reviewRegion(), 303)
    return reply.redirect(paths.reviewList(only, tab), 303)
  })

  app.get(paths.reviewSearch(':region'), { preHandler: mayReview }, async (request, reply) => {
    const params = regionParams.safeParse(request.params)
    if (!params.success) throw new NotFoundError('not a region code')
    const options = await regionOrNotFound(request, params.data.region)
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

  app.post(paths.reviewSearch(':region'), { preHandler: mayReview }, async (request, reply) => {
    const params = regionParams.safeParse(request.params)
    if (!params.success) throw new NotFoundError('not a region code')
    const options = await regionOrNotFound(request, params.data.region)
    const input = searchInputFromForm(request.body)
    const buttons = searchButtons.parse(request.body ?? {})
    const context = searchContext(options, deps.clock.today(), deps.config.searchMaxDays)

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

  app.get(paths.reviewList(':region', ':tab'), { preHandler: mayReview }, async (request, reply) => {
    const params = listParams.safeParse(request.params)
    const page = pageQuery.safeParse(request.query)
    if (!params.success || !isReviewTab(params.data.tab) || !page.success) {
      throw new NotFoundError('not a review list')
    }
    const tab: ReviewTab = params.data.tab
    const [options, stamp] = await Promise.all([
      regionOrNotFound(request, params.data.region),
      pageIndexes.stampOf(db),
    ])
    const region = options.region.code
    rememberRegion(request, region)

    let search: ListWhere['search'] = null
    if (hasSearchQuery(request.query)) {
      const input = searchInputFromQuery(request.query)
      const result = validateSearch(
        input,
        searchContext(options, deps.clock.today(), deps.config.searchMaxDays),
      )
      // A mistyped or out-of-date link: show the search with what was wrong, as the form would.
      if (!result.ok) return renderSearch(request, reply, options, input, searchErrors(result.problems))
      search = result.search
    } else if (tab === 'recommended') {
      return reply.redirect(paths.reviewSearch(region), 303)
    }

    const listWhere = where(request, region, search)
    const index = await pageIndexes.indexFor(db, tab, listWhere, stamp)
    if (page.data.page > lastPage(index.total)) {
      throw new NotFoundError(`page ${page.data.page} of ${lastPage(index.total)}`)
    }
    if (search) rememberSearch(request, region, searchToQuery(search), { tab, page: page.data.page })
    const [counts, list, bar] = await Promise.all([
      pageIndexes.countsFor(db, listWhere, stamp),
      // A page of a list is an ordered index scan whatever the search: planned once (see Database.planOnce).
      listTasks(deps.database.planOnce, tab, listWhere, page.data.page, index),
      regionBar(request, options),
    ])
    const pages = lastPage(list.total, list.pageSize)

    const query = search ? searchToQuery(search) : undefined
    return reply.view('review/list', {
      ...bar,
      region: options.region,
      tab,
      title: `${TAB_HEADINGS[tab]}${pages > 1 ? ` (page ${page.data.page} of ${pages})` : ''} – Review tasks`,
      tabLabel: TAB_LABELS[tab],
      heading: TAB_HEADINGS[tab],
      searched: search !== null,
      tabs: reviewTabs(region, counts, tab, query),
      table: taskTable(tab, list.rows),
      total: list.total,
      showing: showingResults(list.page, list.pageSize, list.total),
      pagination: pagination(list.page, pages, (number) => paths.reviewList(region, tab, query, number)),
      changeSearchHref: paths.reviewSearch(region, query),
    })
  })
}
