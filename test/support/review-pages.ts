/**
 * What the tests of the review pages (region, search, tabs, pages of
 * results) share: a running app at 09:00 on Monday 2 March 2026 with users
 * of one region, two regions, a manager, a national role and a rule author,
 * a search and a search form to start from, and readers of the page's tabs,
 * table and form.
 */
import { after, before, beforeEach } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { openTestDatabase, type TestDatabase } from './database.ts'
import { addTestUser, csrfTokenIn, signedInClient, startTestApp, type TestApp } from './web.ts'

// Monday 2 March 2026, 09:00 in London.
const TODAY = '2026-03-02'
const clock = frozenClock(new Date(`${TODAY}T09:00:00Z`))

export const SEARCH = {
  taskType: ['FAILED_TO_REPORT', 'SAFEGUARDING'],
  from: '2026-03-02',
  to: '2026-03-30',
  country: [] as string[],
  location: '',
}

export const VALID_FORM = {
  taskType: ['FAILED_TO_REPORT'],
  'from-day': '2',
  'from-month': '3',
  'from-year': '2026',
  'to-day': '16',
  'to-month': '3',
  'to-year': '2026',
  location: '',
}

/** The tab links' text: ["Recommended (3)", …]. */
export function tabsOf(html: string): string[] {
  const nav = /<nav class="moj-sub-navigation"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? ''
  return [...nav.matchAll(/<a class="moj-sub-navigation__link"[^>]*>([^<]*)<\/a>/g)].map((match) =>
    match[1]!.trim(),
  )
}

/** Each table row's cells as text, less the checkbox that selects the row (tableCheckboxesOf reads those). */
export function tableRowsOf(html: string): string[][] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)]
      .filter((cell) => !cell[1]!.includes('govuk-checkboxes__input'))
      .map((cell) =>
        cell[1]!
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
  )
}

/** The value of each row's checkbox ("id:version"), in the table's order. */
export function tableCheckboxesOf(html: string): string[] {
  return [
    ...html.matchAll(
      /<input class="govuk-checkboxes__input" id="task-\d+" name="task" type="checkbox" value="([^"]+)"/g,
    ),
  ].map((match) => match[1]!)
}

/** The form fields a browser would post for the search form, with its CSRF token. */
export function searchForm(
  html: string,
  fields: Partial<Record<string, string | string[]>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { _csrf: csrfTokenIn(html) }
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = value
  return out
}

/**
 * Call inside a describe: starts the app before its tests and stops it
 * after, and gives each test a fresh database holding only the users.
 */
export function reviewPagesHarness() {
  let database: TestDatabase
  let web: TestApp
  before(async () => {
    database = await openTestDatabase()
    web = await startTestApp(database, { clock })
  })
  after(async () => {
    await web.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.reset()
    await addTestUser(database, { id: 'lse.worker', name: 'Lee Worker', regions: ['LSE'] })
    await addTestUser(database, { id: 'two.regions', name: 'Tu Regions', regions: ['LSE', 'MEE'] })
    await addTestUser(database, {
      id: 'mee.manager',
      name: 'Mia Manager',
      roles: ['MANAGER'],
      regions: ['MEE'],
    })
    await addTestUser(database, { id: 'national', name: 'Nat Lead', roles: ['ADMIN'], regions: 'all' })
    await addTestUser(database, {
      id: 'author',
      name: 'Rue Author',
      roles: ['RULE_AUTHOR'],
      regions: ['LSE'],
    })
  })

  return {
    get database() {
      return database
    },
    get web() {
      return web
    },
    signedIn: (userId: string) => signedInClient(web.app, userId),
  }
}
