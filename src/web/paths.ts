/**
 * Every URL the service serves or links to, built in one place. Routes
 * register with these, redirects go to them and templates call them (they
 * are a Nunjucks global), so a URL is never concatenated by hand and a
 * renamed page cannot leave a broken link behind.
 */

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const present = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined)
  return present.length === 0 ? path : `${path}?${new URLSearchParams(present)}`
}

export const paths = {
  home: () => '/',
  /** The sign-in page; `returnTo` is where to go once signed in (a local path, checked on arrival). */
  signIn: (returnTo?: string) => withQuery('/sign-in', { returnTo }),
  signOut: () => '/sign-out',
  signedOut: () => '/signed-out',
  reviewTasks: () => '/review-tasks',
  miReport: () => '/mi-report',
  /** The business rules in plain English, and the last rule run. */
  rules: () => '/rules',
  health: () => '/health',
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
  },
} as const

export type Paths = typeof paths
