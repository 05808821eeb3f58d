/**
 * The review lists: a tab of a region for a search, page by page, with the
 * whole search in the URL so it can be shared; and the two ways back into
 * them, where the user left off (/review-tasks) and a tab of the region in
 * the session (/review-tasks/:tab, which the decision pages link to).
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { can } from '../../../access/permissions.ts'
import { scopeOf } from '../../../access/region-scope.ts'
import { DEFAULT_ORDER } from '../../../review/list-order.ts'
import { isReviewTab, type ReviewTab } from '../../../review/lists.ts'
import { type TaskSearch, validateSearch } from '../../../review/search.ts'
import { assignedFilter, orderInView, readListView } from '../../forms/list-view.ts'
import { hasSearchQuery, searchInputFromQuery, searchToQuery } from '../../forms/search-form.ts'
import { paths } from '../../paths.ts'
import { signedInUser } from '../../server/guards.ts'
import { notFound } from '../../server/not-found.ts'
import {
  assignedFilterForm,
  assigneeItems,
  pagination,
  reviewTabs,
  searchErrors,
  showingResults,
  TAB_HEADINGS,
  TAB_LABELS,
  tabStay,
} from '../../view-models/review.ts'
import { taskTable } from '../../view-models/review-table.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayReview, regionParams, reviewPages } from './pages.ts'
import { onlyRegion, rememberRegion, rememberSearch, savedReview } from './saved-review.ts'

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

export async function reviewListRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { searchChoices, reviewLists, tasks } = deps.services
  const { regionOrNotFound, regionBar, contextOf, checkedSearch, listRequest, renderSearch } =
    reviewPages(deps)

  // Where the user left off: the page of the list they last saw (the case pages' "Back to
  // recommended cases" lead here), or the search, or the choice of region.
  app.get(paths.reviewTasks(), mayReview, async (request, reply) => {
    const saved = savedReview(request)
    if (!saved) return reply.redirect(paths.reviewRegion(), 303)
    const options = searchChoices.optionsFor(scopeOf(signedInUser(request)), saved.region)
    if (!options) return reply.redirect(paths.reviewRegion(), 303)
    const search = checkedSearch(options, saved.search)
    if (!search) return reply.redirect(paths.reviewSearch(saved.region), 303)
    const { tab, page } = saved.place ?? { tab: 'recommended', page: 1 }
    // Decisions since may have shortened the list: the last page that still exists.
    const last = await reviewLists.lastPage(tab, listRequest(request, saved.region, search))
    return reply.redirect(
      paths.reviewList(saved.region, tab, searchToQuery(search), Math.min(page, last)),
      303,
    )
  })

  app.get(paths.reviewTab(':tab' as ReviewTab), mayReview, async (request, reply) => {
    const { tab } = tabParams.parse(request.params)
    if (!isReviewTab(tab)) notFound(`no tab ${tab}`)
    const saved = savedReview(request)
    if (saved) return reply.redirect(paths.reviewList(saved.region, tab, saved.search), 303)
    // No region chosen yet in this session: someone with one region needs no choice to see the tab.
    const only = onlyRegion(request, searchChoices.regionsFor(scopeOf(signedInUser(request))))
    if (!only) return reply.redirect(paths.reviewRegion(), 303)
    return reply.redirect(paths.reviewList(only, tab), 303)
  })

  app.get(paths.reviewList(':region', ':tab'), mayReview, async (request, reply) => {
    const params = listParams.safeParse(request.params)
    const page = pageQuery.safeParse(request.query)
    if (!params.success || !isReviewTab(params.data.tab) || !page.success) notFound('not a review list')
    const tab: ReviewTab = params.data.tab
    const options = regionOrNotFound(request, params.data.region)
    const region = options.region.code
    rememberRegion(request, region)

    let search: TaskSearch | null = null
    if (hasSearchQuery(request.query)) {
      const input = searchInputFromQuery(request.query)
      const result = validateSearch(input, contextOf(options))
      // A mistyped or out-of-date link: show the search with what was wrong, as the form would.
      if (!result.ok) return renderSearch(request, reply, options, input, searchErrors(result.problems))
      search = result.search
    } else if (tab === 'recommended') {
      return reply.redirect(paths.reviewSearch(region), 303)
    }

    const user = signedInUser(request)
    const read = readListView(request.query)
    const view = read.view
    const assigned = read.ok ? read.assigned : 'anyone'
    const order = read.ok ? read.order : DEFAULT_ORDER
    const shown =
      (await reviewLists.page(
        tab,
        listRequest(request, region, search, assignedFilter(assigned, user.id)),
        page.data.page,
        signedInUser(request).id,
        order,
      )) ?? notFound(`page ${page.data.page} is past the last`)
    if (search) rememberSearch(request, region, searchToQuery(search), { tab, page: page.data.page })
    const { list, counts, lastPage: pages } = shown
    const query = search ? searchToQuery(search) : undefined
    const here = paths.reviewList(region, tab, query, page.data.page, view)
    const selectable =
      can(user, 'tasks:assign') && (tab === 'recommended' || tab === 'on-hold') && list.rows.length > 0
    return reply.code(read.ok ? 200 : 400).view('review/list', {
      errors: read.ok ? [] : read.problems.map(({ text, field }) => ({ text, href: `#${field}` })),
      assignedError: read.ok
        ? undefined
        : read.problems.find((problem) => problem.field === 'assigned')?.text,
      ...regionBar(request, options),
      region: options.region,
      tab,
      title: `${TAB_HEADINGS[tab]}${pages > 1 ? ` (page ${page.data.page} of ${pages})` : ''} – Review tasks`,
      tabLabel: TAB_LABELS[tab],
      heading: TAB_HEADINGS[tab],
      stay: tabStay(tab, deps.config.retention),
      searched: search !== null,
      tabs: reviewTabs(region, counts, tab, query, view),
      table: taskTable(
        tab,
        list.rows,
        { userId: user.id, selectable, mayOpenCases: can(user, 'cases:read') },
        {
          order,
          // A new order starts at page 1, keeping the search and the filter.
          hrefFor: (next) =>
            paths.reviewList(region, tab, query, 1, {
              ...(view.assigned ? { assigned: view.assigned } : {}),
              ...orderInView(next),
            }),
        },
        searchChoices.referralCodes(),
      ),
      referralCodes: searchChoices.referralCodes(),
      filter: assignedFilterForm(paths.reviewList(region, tab), query, assigned),
      assignment: selectable
        ? {
            formAction: paths.reviewAssignment(region),
            // Only recommended tasks are placed on hold from a list; no bulk accept or reject.
            holdAction: tab === 'recommended' && can(user, 'tasks:decide') ? paths.reviewHold(region) : null,
            returnTo: here,
            assignees: can(user, 'tasks:assign-others') ? assigneeItems(await tasks.assignees(region)) : null,
          }
        : null,
      total: list.total,
      showing: showingResults(list.page, list.pageSize, list.total),
      pagination: pagination(list.page, pages, (number) =>
        paths.reviewList(region, tab, query, number, view),
      ),
      changeSearchHref: paths.reviewSearch(region, query),
    })
  })
}
