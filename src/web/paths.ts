/**
 * Every URL the service serves or links to, built in one place. Routes
 * register with these, redirects go to them and templates call them (they
 * are a Nunjucks global), so a URL is never concatenated by hand and a
 * renamed page cannot leave a broken link behind.
 */
import type { SessionTimeout } from '../access/session-timeout.ts'
import { SINGLE_SIGN_ON_CALLBACK_PATH } from '../config.ts'
import type { CaseSection, DecisionAction } from './case/sections.ts'
import type { SearchQuery } from './forms/search-form.ts'

/** A task's ID, or the route pattern's placeholder when registering the route. */
type TaskId = number | ':taskId'

/** A user's ID, or the route pattern's placeholder when registering the route. */
type UserId = string | ':userId'

function userPath(userId: UserId, rest = ''): string {
  return `/users/${userId === ':userId' ? userId : encodeURIComponent(userId)}${rest}`
}

/** The tabs of the review tasks page. */
export type ReviewTab = 'recommended' | 'accepted' | 'rejected' | 'on-hold'

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const present = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined)
  return present.length === 0 ? path : `${path}?${new URLSearchParams(present)}`
}

/** How a list is shown besides the search: whose tasks (absent: anyone's) and the order (absent: priority). */
export interface ListView {
  readonly assigned?: 'unassigned' | 'me' | undefined
  readonly sort?: string | undefined
  readonly order?: 'ascending' | 'descending' | undefined
}

/** A search in a query string, repeated fields and all, in a fixed order; `page` only past the first. */
function withSearch(path: string, search: SearchQuery | undefined, page?: number, view?: ListView): string {
  const query = new URLSearchParams()
  if (search) {
    for (const code of search.taskType) query.append('taskType', code)
    if (search.from) query.append('from', search.from)
    if (search.to) query.append('to', search.to)
    for (const code of search.country) query.append('country', code)
    if (search.location) query.append('location', search.location)
  }
  if (view?.assigned) query.append('assigned', view.assigned)
  if (view?.sort) query.append('sort', view.sort)
  if (view?.order) query.append('order', view.order)
  if (page !== undefined && page > 1) query.append('page', String(page))
  const text = query.toString()
  return text === '' ? path : `${path}?${text}`
}

export const paths = {
  home: () => '/',
  /** The sign-in page; `returnTo` is where to go once signed in (a local path, checked on arrival). */
  signIn: (returnTo?: string) => withQuery('/sign-in', { returnTo }),
  /** "Sign in with …": sends the browser to the OpenID provider, then back to `returnTo`. */
  signInWithProvider: (returnTo?: string) => withQuery('/sign-in/provider', { returnTo }),
  /** Where the OpenID provider sends the browser back (the path of OIDC_REDIRECT_URL). */
  signInCallback: () => SINGLE_SIGN_ON_CALLBACK_PATH,
  signOut: () => '/sign-out',
  signedOut: () => '/signed-out',
  /** The public algorithmic transparency record, and the same as a file. */
  transparency: () => '/transparency',
  transparencyFile: (format: 'json' | 'md') => `/transparency.${format}`,
  /** "You have been signed out", after a session timed out: why (when known), and a way back to `returnTo`. */
  timedOut: (reason?: SessionTimeout, returnTo?: string) => withQuery('/timed-out', { reason, returnTo }),
  /** How long the signed-in session has left (JSON), read without keeping it alive: the timeout warning asks. */
  sessionStatus: () => '/session/status',
  /** "Stay signed in": a form post that keeps the session alive. */
  sessionKeepAlive: () => '/session/keep-alive',
  reviewTasks: () => '/review-tasks',
  /** One tab of the review tasks page. */
  reviewTab: (tab: ReviewTab) => `/review-tasks/${tab}`,
  /** Choose the ROM region to work in. */
  reviewRegion: () => '/review-tasks/region',
  /** Forget the saved search ("Clear data"). */
  reviewClear: () => '/review-tasks/clear-data',
  /** The search form for a region, filled in with `search` when given. */
  reviewSearch: (region: string, search?: SearchQuery) =>
    withSearch(`/review-tasks/${region}/search`, search),
  /** One tab's list for a region and search: bookmarkable, the whole search is in the URL. */
  reviewList: (
    region: string,
    tab: ReviewTab | ':tab',
    search?: SearchQuery,
    page?: number,
    view?: ListView,
  ) => withSearch(`/review-tasks/${region}/${tab}`, search, page, view),
  /** Assign, reassign or unassign the tasks ticked on a region's list (POST). */
  reviewAssignment: (region: string) => `/review-tasks/${region}/assignment`,
  /** Place the recommended tasks ticked on a region's list on hold, with one note (POST). */
  reviewHold: (region: string) => `/review-tasks/${region}/hold`,
  /** "My tasks": the open tasks assigned to the user, in all their regions. */
  myTasks: () => '/my-tasks',
  /** The API clients page: the systems registered to call the API. */
  apiClients: () => '/clients',
  /** The form that registers an API client; its answer shows the secret once. */
  apiClientNew: () => '/clients/new',
  /** "Revoke" an API client: the confirmation page, and its POST. */
  apiClientRevoke: (clientId: string) =>
    `/clients/${clientId === ':clientId' ? clientId : encodeURIComponent(clientId)}/revoke`,
  /** The Event subscribers page: the systems that receive decision events as webhooks. */
  subscribers: () => '/subscribers',
  /** The form that adds a subscriber; its answer shows the signing secret once. */
  subscriberNew: () => '/subscribers/new',
  /** Pause or resume a subscriber's deliveries (POST). */
  subscriberPause: (id: string) => `/subscribers/${id}/pause`,
  subscriberResume: (id: string) => `/subscribers/${id}/resume`,
  /** "Replay from a point in time": the form, and its POST. */
  subscriberReplay: (id: string) => `/subscribers/${id}/replay`,
  /** "Remove" a subscriber: the confirmation page, and its POST. */
  subscriberRemove: (id: string) => `/subscribers/${id}/remove`,
  /** The Background jobs page: every job, or those of one group of states. */
  jobs: (show?: 'unfinished' | 'failed' | 'completed') => withQuery('/jobs', { show }),
  /** "Retry" on a failed job: another attempt. */
  jobRetry: (jobId: string) => `/jobs/${jobId}/retry`,
  /** The MI report form (the "MI report" navigation item). */
  miReport: () => '/mi',
  /** Where the MI report form goes: checks the dates, then sends the browser to the file. */
  miDownload: () => '/mi/download',
  /** The MI report file itself, for a range of London days and optionally one region. */
  miReportFile: (format: 'xlsx' | 'csv', query?: { from: string; to: string; region?: string | undefined }) =>
    withQuery(`/mi/report.${format}`, {
      from: query?.from,
      to: query?.to,
      region: query?.region || undefined,
    }),
  /** Rejections that say the source data is wrong; the same filters give the CSV. */
  miDataQuality: (format?: 'csv', query: Record<string, string> = {}) =>
    withQuery(format ? '/mi/data-quality.csv' : '/mi/data-quality', query),
  /** Charts and tables for managers and national roles; the query carries the filters. */
  miDashboard: (query: Record<string, string> = {}) => withQuery('/mi/dashboard', query),
  /** The decisions behind a dashboard figure: the dashboard's filters and `user` or `ruleVersion`. */
  miDecisions: (query: Record<string, string> = {}) => withQuery('/mi/decisions', query),
  /**
   * A task's case view. `back` is the page of results the user came from (a
   * local path, checked on arrival); every case page and form carries it on.
   */
  task: (taskId: TaskId, back?: string) => withQuery(`/tasks/${taskId}`, { back }),
  taskSection: (taskId: TaskId, section: CaseSection | ':section', back?: string) =>
    withQuery(`/tasks/${taskId}/${section}`, { back }),
  /** The accept, reject and place-on-hold forms. */
  taskDecision: (taskId: TaskId, action: DecisionAction, back?: string) =>
    withQuery(`/tasks/${taskId}/${action}`, { back }),
  /** "Assign to me" and "Unassign" on the case page (POST). */
  taskAssignment: (taskId: TaskId, back?: string) => withQuery(`/tasks/${taskId}/assignment`, { back }),
  /** The confirmation shown after a decision. */
  taskDecided: (taskId: TaskId, action: DecisionAction, back?: string) =>
    withQuery(`/tasks/${taskId}/${action}/done`, { back }),
  /** Record that the person made representations or contested the task's decision. */
  taskRepresentations: (taskId: TaskId, back?: string) =>
    withQuery(`/tasks/${taskId}/representations`, { back }),
  /** "Information about this recommendation": a printable page for the person. */
  taskInformation: (taskId: TaskId) => `/tasks/${taskId}/information`,
  /** The region's contests (the "Contests" navigation item); `show` picks the list. */
  contests: (show?: 'mine' | 'queue' | 'decided') => withQuery('/contests', { show }),
  /** One contest: what was said, and its review. */
  contest: (contestId: number | ':contestId') => `/contests/${contestId}`,
  /** Find users (the "Users" navigation item); the query carries the filters and page. */
  users: (query: Record<string, string> = {}) => withQuery('/users', query),
  /** Add a user. "new" is therefore never a user ID (access/user-fields.ts). */
  userNew: () => '/users/new',
  /** A user's details, with links to change them. */
  user: (userId: UserId) => userPath(userId),
  /** Change a user's roles and regions. */
  userAccess: (userId: UserId) => userPath(userId, '/roles-and-regions'),
  /** "Are you sure…", then the deactivation itself. */
  userDeactivate: (userId: UserId) => userPath(userId, '/deactivate'),
  userReactivate: (userId: UserId) => userPath(userId, '/reactivate'),
  /** The audit trail: the query carries the filters and where the page starts. */
  audit: (query: Record<string, string> = {}) => withQuery('/audit', query),
  /** The audit events the filters find, as CSV. */
  auditCsv: (query: Record<string, string> = {}) => withQuery('/audit/events.csv', query),
  /** Who has seen a person's record, and when; the query says where the page of events starts. */
  auditPerson: (personId: string, query: Record<string, string> = {}) =>
    withQuery(`/audit/people/${personId === ':personId' ? personId : encodeURIComponent(personId)}`, query),
  /** The business rules in plain English, and the last rule run. */
  rules: () => '/rules',
  /** What the task types, tabs and priority mean, and whom to ask: linked from the footer. */
  help: () => '/help',
  /** The published rule-set versions, newest first. */
  ruleChanges: () => '/rules/changes',
  /** One published version's impact report. */
  ruleChange: (version: string) =>
    `/rules/changes/${version === ':version' ? version : encodeURIComponent(version)}`,
  health: () => '/health',
  /** Readiness: 503 while the database is away or migrations are pending. */
  healthReady: () => '/health/ready',
  info: () => '/info',

  /** Built front-end files, served from the packages' own `dist` folders. */
  assets: {
    /** Fonts and images: govuk-frontend's and MoJ Frontend's CSS both expect them here. */
    root: () => '/assets',
    govukFrontend: () => '/vendor/govuk-frontend',
    govukFrontendCss: () => '/vendor/govuk-frontend/govuk-frontend.min.css',
    govukFrontendJs: () => '/vendor/govuk-frontend/govuk-frontend.min.js',
    mojFrontend: () => '/vendor/moj-frontend',
    mojFrontendCss: () => '/vendor/moj-frontend/moj-frontend.min.css',
    mojFrontendJs: () => '/vendor/moj-frontend/moj-frontend.min.js',
    accessibleAutocomplete: () => '/vendor/accessible-autocomplete',
    accessibleAutocompleteCss: () => '/vendor/accessible-autocomplete/accessible-autocomplete.min.css',
    accessibleAutocompleteJs: () => '/vendor/accessible-autocomplete/accessible-autocomplete.min.js',
    /** The service's own few styles. */
    application: () => '/public',
    applicationCss: () => '/public/application.css',
    /** The information page's letter, printed without the service's header and navigation. */
    printCss: () => '/public/print.css',
    /** The timeout warning on signed-in pages. */
    sessionTimeoutJs: () => '/public/session-timeout.js',
  },
} as const

export type Paths = typeof paths
