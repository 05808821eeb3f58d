import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { frozenClock } from '../../src/clock.ts'
import { paths } from '../../src/web/paths.ts'
import { openTestDatabase, type TestDatabase } from '../support/database.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import {
  addTestUser,
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  titleOf,
} from '../support/web.ts'

// Monday 2 March 2026, 09:00 in London.
const TODAY = '2026-03-02'
const clock = frozenClock(new Date(`${TODAY}T09:00:00Z`))

const SEARCH = {
  taskType: ['FAILED_TO_REPORT', 'SAFEGUARDING'],
  from: '2026-03-02',
  to: '2026-03-30',
  country: [] as string[],
  location: '',
}

/** The tab links' text: ["Recommended (3)", …]. */
function tabsOf(html: string): string[] {
  const nav = /<nav class="moj-sub-navigation"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? ''
  return [...nav.matchAll(/<a class="moj-sub-navigation__link"[^>]*>([^<]*)<\/a>/g)].map((match) =>
    match[1]!.trim(),
  )
}

/** Each table row's cells as text. */
function tableRowsOf(html: string): string[][] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) =>
      cell[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  )
}

/** The form fields a browser would post for the search form, with its CSRF token. */
function searchForm(
  html: string,
  fields: Partial<Record<string, string | string[]>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { _csrf: csrfTokenIn(html) }
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = value
  return out
}

const VALID_FORM = {
  taskType: ['FAILED_TO_REPORT'],
  'from-day': '2',
  'from-month': '3',
  'from-year': '2026',
  'to-day': '16',
  'to-month': '3',
  'to-year': '2026',
  location: '',
}

describe('review tasks: region, search and lists', () => {
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

  const signedIn = (userId: string) => signedInClient(web.app, userId)

  describe('choosing a region', () => {
    it('skips the region page for someone with one region, and shows the empty search', async () => {
      const client = await signedIn('lse.worker')
      const start = await client.get(paths.reviewTasks())
      assert.equal(start.statusCode, 303)
      assert.equal(start.headers.location, paths.reviewRegion())
      const region = await client.get(paths.reviewRegion())
      assert.equal(region.statusCode, 303)
      assert.equal(region.headers.location, paths.reviewSearch('LSE'))
      const search = await client.get(paths.reviewSearch('LSE'))
      assert.equal(search.statusCode, 200)
      assert.equal(titleOf(search.body), 'Review tasks – Identify and prioritise immigration cases – GOV.UK')
      assert.match(search.body, /You have not searched for any tasks\./)
      assert.match(search.body, /ROM region: <strong>London and South East<\/strong>/)
      assert.doesNotMatch(search.body, /Change region/, 'nothing to change to')
      assert.deepEqual(tabsOf(search.body), [
        'Recommended (0)',
        'Accepted (0)',
        'Rejected (0)',
        'On hold (0)',
      ])
      // The service navigation marks the section.
      assert.match(
        search.body,
        /govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="\/review-tasks" aria-current="true">/,
      )
    })

    it('offers only the regions the user works in, and goes on to the chosen one', async () => {
      const client = await signedIn('two.regions')
      const page = await client.get(paths.reviewRegion())
      assert.equal(page.statusCode, 200)
      assert.equal(
        titleOf(page.body),
        'Select your ROM region – Identify and prioritise immigration cases – GOV.UK',
      )
      const options = [...page.body.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1])
      assert.deepEqual(options, ['', 'LSE', 'MEE'])
      const chosen = await client.post(paths.reviewRegion(), { _csrf: csrfTokenIn(page.body), region: 'MEE' })
      assert.equal(chosen.statusCode, 303)
      assert.equal(chosen.headers.location, paths.reviewSearch('MEE'))
      const search = await client.get(paths.reviewSearch('MEE'))
      assert.match(search.body, /ROM region: <strong>Midlands and East<\/strong>/)
      assert.match(search.body, new RegExp(`href="${paths.reviewRegion()}">Change region`))
      // Coming back to "Review tasks" returns to the region in the session.
      assert.equal((await client.get(paths.reviewTasks())).headers.location, paths.reviewSearch('MEE'))
    })

    it('asks for a region when none is chosen', async () => {
      const client = await signedIn('two.regions')
      const page = await client.get(paths.reviewRegion())
      const response = await client.post(paths.reviewRegion(), { _csrf: csrfTokenIn(page.body), region: '' })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [['Select your ROM region', '#region']])
      assert.match(titleOf(response.body), /^Error: Select your ROM region/)
    })

    it('refuses a region the user does not work in', async () => {
      const client = await signedIn('two.regions')
      const page = await client.get(paths.reviewRegion())
      const response = await client.post(paths.reviewRegion(), {
        _csrf: csrfTokenIn(page.body),
        region: 'NW',
      })
      assert.equal(response.statusCode, 403)
      assert.equal(
        (await client.get(paths.reviewTasks())).headers.location,
        paths.reviewRegion(),
        'nothing saved',
      )
    })

    it('lets a national role choose from every region', async () => {
      const client = await signedIn('national')
      const page = await client.get(paths.reviewRegion())
      const options = [...page.body.matchAll(/<option value="([^"]+)"/g)].map((match) => match[1])
      assert.deepEqual(options, ['LSE', 'MEE', 'NEYH', 'NW', 'WSW', 'SNI'])
    })

    it('lets a manager review tasks in their region', async () => {
      const client = await signedIn('mee.manager')
      assert.equal((await client.get(paths.reviewRegion())).headers.location, paths.reviewSearch('MEE'))
      assert.equal((await client.get(paths.reviewSearch('MEE'))).statusCode, 200)
      assert.equal((await client.get(paths.reviewSearch('LSE'))).statusCode, 404)
    })

    it('refuses a user whose roles do not include reviewing tasks', async () => {
      const client = await signedIn('author')
      assert.equal((await client.get(paths.reviewRegion())).statusCode, 403)
      assert.equal((await client.get(paths.reviewSearch('LSE'))).statusCode, 403)
    })

    it('refuses a form without its CSRF token and saves nothing', async () => {
      const client = await signedIn('two.regions')
      await client.get(paths.reviewRegion())
      const response = await client.post(paths.reviewRegion(), { region: 'MEE' })
      assert.equal(response.statusCode, 403)
      const forged = await client.post(paths.reviewRegion(), { _csrf: 'forged', region: 'MEE' })
      assert.equal(forged.statusCode, 403)
      assert.equal((await client.get(paths.reviewTasks())).headers.location, paths.reviewRegion())
    })
  })

  describe('searching', () => {
    beforeEach(async () => {
      await insertReviewTasks(database.db, [
        { personId: 'P1', priority: 30, reportingDate: '2026-03-05', referrals: ['RETURNS_PREPARATION'] },
        { personId: 'P2', priority: 50, reportingDate: '2026-03-09', taskType: 'SAFEGUARDING' },
        { personId: 'P3', priority: 30, reportingDate: '2026-03-03', person: { nationality: 'ALB' } },
        { personId: 'P4', priority: 10, reportingDate: '2026-04-20' },
        {
          personId: 'P5',
          priority: 99,
          reportingDate: '2026-03-04',
          region: 'MEE',
          person: { reporting_location: 'SANDFORD_HOUSE' },
        },
      ])
    })

    it('lists the matching tasks of the region, highest priority first, then earliest reporting date', async () => {
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(form.body, { ...VALID_FORM, taskType: SEARCH.taskType }),
      )
      assert.equal(response.statusCode, 303)
      const expectedUrl = paths.reviewList('LSE', 'recommended', { ...SEARCH, to: '2026-03-16' })
      assert.equal(response.headers.location, expectedUrl)
      const list = await client.get(expectedUrl)
      assert.equal(list.statusCode, 200)
      assert.equal(
        titleOf(list.body),
        'Recommended tasks – Review tasks – Identify and prioritise immigration cases – GOV.UK',
      )
      assert.deepEqual(tabsOf(list.body), ['Recommended (3)', 'Accepted (0)', 'Rejected (0)', 'On hold (0)'])
      assert.deepEqual(tableRowsOf(list.body), [
        ['', '9 March 2026', 'Grace Okafor', 'Safeguarding referral', '50'],
        ['', '3 March 2026', 'Grace Okafor', 'Failed-to-report follow-up', '30'],
        ['RP', '5 March 2026', 'Grace Okafor', 'Failed-to-report follow-up', '30'],
      ])
      assert.match(list.body, /Showing 1 – 3 of 3 results/)
      assert.match(list.body, />\s*Change search\s*</)
      assert.doesNotMatch(list.body, /govuk-pagination/)
      // Each name opens the case; the way back to this page is kept in the session.
      const firstLink = /<a class="govuk-link" href="([^"]+)">Grace Okafor<\/a>/.exec(list.body)?.[1]
      assert.match(firstLink ?? '', /^\/tasks\/\d+$/)
      assert.equal((await client.get(paths.reviewTasks())).headers.location, expectedUrl)
    })

    it('narrows by nationality and by reporting location', async () => {
      const client = await signedIn('lse.worker')
      const albanian = await client.get(
        paths.reviewList('LSE', 'recommended', { ...SEARCH, country: ['ALB', 'AFG'] }),
      )
      assert.deepEqual(tabsOf(albanian.body)[0], 'Recommended (1)')
      assert.deepEqual(
        tableRowsOf(albanian.body).map((row) => row[1]),
        ['3 March 2026'],
      )
      const elsewhere = await client.get(
        paths.reviewList('LSE', 'recommended', { ...SEARCH, location: 'EATON_HOUSE' }),
      )
      assert.equal(elsewhere.statusCode, 200)
      assert.deepEqual(tabsOf(elsewhere.body)[0], 'Recommended (0)')
      assert.match(elsewhere.body, /There are no recommended tasks for this search\./)
    })

    it('keeps the search in the session: the search page shows it again and the tabs count it', async () => {
      const client = await signedIn('lse.worker')
      await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      const again = await client.get(paths.reviewSearch('LSE'))
      assert.doesNotMatch(again.body, /You have not searched for any tasks/)
      assert.match(again.body, /name="from-day" type="text" value="2"/)
      assert.match(again.body, /value="FAILED_TO_REPORT" checked/)
      assert.equal(tabsOf(again.body)[0], 'Recommended (3)')
      assert.equal(
        (await client.get(paths.reviewTasks())).headers.location,
        paths.reviewList('LSE', 'recommended', SEARCH),
      )
      // "Clear data" forgets it.
      const cleared = await client.post(paths.reviewClear(), { _csrf: csrfTokenIn(again.body) })
      assert.equal(cleared.statusCode, 303)
      const empty = await client.get(paths.reviewSearch('LSE'))
      assert.match(empty.body, /You have not searched for any tasks/)
      assert.doesNotMatch(empty.body, /value="FAILED_TO_REPORT" checked/)
    })

    it('refuses "Clear data" without a CSRF token', async () => {
      const client = await signedIn('lse.worker')
      await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      assert.equal((await client.post(paths.reviewClear(), {})).statusCode, 403)
      assert.equal(
        (await client.get(paths.reviewTasks())).headers.location,
        paths.reviewList('LSE', 'recommended', SEARCH),
      )
    })

    it('opens a results URL in a fresh session: it can be bookmarked and shared', async () => {
      const url = paths.reviewList('LSE', 'recommended', SEARCH)
      const colleague = await signedIn('two.regions')
      const shared = await colleague.get(url)
      assert.equal(shared.statusCode, 200)
      assert.equal(tableRowsOf(shared.body).length, 3)
    })

    it('answers "page not found" for a region the user may not see, or one that does not exist', async () => {
      const client = await signedIn('lse.worker')
      for (const url of [
        paths.reviewList('MEE', 'recommended', SEARCH),
        paths.reviewList('MEE', 'accepted'),
        paths.reviewSearch('MEE'),
        paths.reviewList('NOWHERE', 'recommended', SEARCH),
        paths.reviewList('lse', 'recommended', SEARCH),
        '/review-tasks/LSE/closed',
      ]) {
        assert.equal((await client.get(url)).statusCode, 404, url)
      }
      const form = await client.get(paths.reviewSearch('LSE'))
      const post = await client.post(paths.reviewSearch('MEE'), searchForm(form.body, VALID_FORM))
      assert.equal(post.statusCode, 404)
    })

    it("never lists or counts another region's tasks", async () => {
      const client = await signedIn('two.regions')
      const lse = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      assert.doesNotMatch(lse.body, />99</)
      const mee = await client.get(paths.reviewList('MEE', 'recommended', { ...SEARCH, location: '' }))
      assert.deepEqual(tabsOf(mee.body)[0], 'Recommended (1)')
      assert.deepEqual(
        tableRowsOf(mee.body).map((row) => row[4]),
        ['99'],
      )
    })
  })

  describe('decided tabs', () => {
    beforeEach(async () => {
      await insertReviewTasks(database.db, [
        {
          personId: 'D1',
          status: 'ACCEPTED',
          changedAt: new Date('2026-03-01T10:00:00Z'),
          changedBy: 'lse.worker',
        },
        {
          personId: 'D2',
          status: 'ACCEPTED',
          changedAt: new Date('2026-02-20T10:00:00Z'),
          changedBy: 'lse.worker',
        },
        {
          personId: 'D3',
          status: 'REJECTED',
          changedAt: new Date('2026-02-11T10:00:00Z'),
          changedBy: 'lse.worker',
        },
        {
          personId: 'D4',
          status: 'ON_HOLD',
          changedAt: new Date('2025-12-01T10:00:00Z'),
          changedBy: 'lse.worker',
          reportingDate: '2026-05-01',
        },
        {
          personId: 'D5',
          status: 'ON_HOLD',
          region: 'MEE',
          person: { reporting_location: 'SANDFORD_HOUSE' },
        },
      ])
    })

    it('lists decided tasks of the region with who decided and when, before any search', async () => {
      const client = await signedIn('lse.worker')
      const accepted = await client.get(paths.reviewList('LSE', 'accepted'))
      assert.equal(accepted.statusCode, 200)
      assert.deepEqual(tabsOf(accepted.body), [
        'Recommended (0)',
        'Accepted (1)',
        'Rejected (1)',
        'On hold (1)',
      ])
      assert.deepEqual(tableRowsOf(accepted.body), [
        [
          '',
          '10 March 2026',
          'Grace Okafor',
          'Failed-to-report follow-up',
          '10',
          'Lee Worker',
          '1 March 2026',
        ],
      ])
      assert.match(accepted.body, />\s*Search tasks\s*</)
      const onHold = await client.get(paths.reviewList('LSE', 'on-hold'))
      assert.deepEqual(
        tableRowsOf(onHold.body).map((row) => row[1]),
        ['1 May 2026'],
      )
    })

    it('applies the search to the decided tabs too', async () => {
      const client = await signedIn('lse.worker')
      const searched = await client.get(paths.reviewList('LSE', 'on-hold', SEARCH))
      assert.deepEqual(tabsOf(searched.body), [
        'Recommended (0)',
        'Accepted (1)',
        'Rejected (1)',
        'On hold (0)',
      ])
    })

    it('sends a bare tab link (from a decision page) to that tab of the region and search in the session', async () => {
      // Before any region is chosen: a one-region user goes straight to the tab, others choose first.
      const twoRegions = await signedIn('two.regions')
      assert.equal((await twoRegions.get(paths.reviewTab('accepted'))).headers.location, paths.reviewRegion())
      const client = await signedIn('lse.worker')
      assert.equal(
        (await client.get(paths.reviewTab('accepted'))).headers.location,
        paths.reviewList('LSE', 'accepted'),
      )
      await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      const response = await client.get(paths.reviewTab('rejected'))
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, paths.reviewList('LSE', 'rejected', SEARCH))
      assert.equal((await client.get('/review-tasks/closed')).statusCode, 404)
    })

    it('sends the Recommended tab without a search to the search form', async () => {
      const client = await signedIn('lse.worker')
      const response = await client.get(paths.reviewList('LSE', 'recommended'))
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, paths.reviewSearch('LSE'))
    })
  })

  describe('search errors', () => {
    async function submit(fields: Record<string, string | string[]>) {
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(paths.reviewSearch('LSE'), searchForm(form.body, fields))
      // Nothing was saved: "Review tasks" still leads to an empty search.
      assert.equal((await client.get(paths.reviewTasks())).headers.location, paths.reviewSearch('LSE'))
      return response
    }

    const cases: [string, Record<string, string | string[]>, [string, string][]][] = [
      ['no task type', { ...VALID_FORM, taskType: [] }, [['Select at least one task type', '#task-type']]],
      [
        'an unknown task type',
        { ...VALID_FORM, taskType: ['MADE_UP'] },
        [['Select a task type from the list', '#task-type']],
      ],
      [
        'no dates',
        {
          ...VALID_FORM,
          'from-day': '',
          'from-month': '',
          'from-year': '',
          'to-day': '',
          'to-month': '',
          'to-year': '',
        },
        [
          ['Enter the date to search from', '#from-day'],
          ['Enter the date to search to', '#to-day'],
        ],
      ],
      [
        '31 February',
        { ...VALID_FORM, 'to-day': '31', 'to-month': '2' },
        [['The date to search to must be a real date', '#to-day']],
      ],
      [
        'letters in a date',
        { ...VALID_FORM, 'from-day': 'x' },
        [['The date to search from must be a real date', '#from-day']],
      ],
      [
        'a date in the past',
        { ...VALID_FORM, 'from-day': '1' },
        [['The date to search from must be today or in the future', '#from-day']],
      ],
      [
        'To before From',
        { ...VALID_FORM, 'from-day': '10', 'to-day': '9' },
        [['The date to search to must be the same as or after the date to search from', '#to-day']],
      ],
      [
        'a range over 28 days',
        { ...VALID_FORM, 'to-day': '31', 'to-month': '3' },
        [['The date to search to must be no more than 28 days after the date to search from', '#to-day']],
      ],
      [
        'an unknown country',
        { ...VALID_FORM, country: ['ZZZ'] },
        [['Select a country of nationality from the list', '#add-country']],
      ],
      [
        'a location of another region',
        { ...VALID_FORM, location: 'NOTTINGHAM_PS' },
        [['Select a reporting location in London and South East', '#location']],
      ],
    ]
    for (const [what, fields, expected] of cases) {
      it(`shows the error for ${what}, keeps the input and saves nothing`, async () => {
        const response = await submit(fields)
        assert.equal(response.statusCode, 400)
        assert.deepEqual(errorSummaryOf(response.body), expected)
        assert.match(titleOf(response.body), /^Error: Review tasks/)
        for (const name of ['from-day', 'from-month', 'to-day'] as const) {
          const value = fields[name] as string
          assert.match(response.body, new RegExp(`name="${name}" type="text" value="${value}"`), name)
        }
      })
    }

    it('accepts a range of exactly 28 days', async () => {
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.reviewSearch('LSE'))
      const fields = { ...VALID_FORM, 'to-day': '30', 'to-month': '3' }
      const response = await client.post(paths.reviewSearch('LSE'), searchForm(form.body, fields))
      assert.equal(response.statusCode, 303)
      assert.equal(
        response.headers.location,
        paths.reviewList('LSE', 'recommended', { ...SEARCH, taskType: ['FAILED_TO_REPORT'] }),
      )
    })

    it('shows a mistyped results URL as the search form with its errors', async () => {
      const client = await signedIn('lse.worker')
      const response = await client.get(
        paths.reviewList('LSE', 'recommended', { ...SEARCH, to: '2026-02-31' }),
      )
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [
        ['The date to search to must be a real date', '#to-day'],
      ])
      assert.match(response.body, /name="to-day" type="text" value="31"/)
    })

    it('refuses the search without its CSRF token', async () => {
      const client = await signedIn('lse.worker')
      await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(paths.reviewSearch('LSE'), { ...VALID_FORM })
      assert.equal(response.statusCode, 403)
    })
  })

  describe('countries of nationality without JavaScript', () => {
    it('adds countries with the Add button, lists each with a remove button, and searches with them', async () => {
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.reviewSearch('LSE'))
      const added = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(form.body, { ...VALID_FORM, action: 'add-country', addCountry: 'ALB' }),
      )
      assert.equal(added.statusCode, 200)
      assert.match(added.body, /<input type="hidden" name="country" value="ALB">\s*Albania/)
      assert.match(added.body, /name="remove" value="ALB"/)
      assert.doesNotMatch(added.body, /<option value="ALB">/, 'no longer offered')
      // The rest of the form is kept.
      assert.match(added.body, /name="to-day" type="text" value="16"/)

      const second = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(added.body, { ...VALID_FORM, country: ['ALB'], action: 'add-country', addCountry: 'AFG' }),
      )
      assert.match(second.body, /value="ALB">\s*Albania/)
      assert.match(second.body, /value="AFG">\s*Afghanistan/)

      const removed = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(second.body, { ...VALID_FORM, country: ['ALB', 'AFG'], remove: 'ALB' }),
      )
      assert.doesNotMatch(removed.body, /name="country" value="ALB"/)
      assert.match(removed.body, /name="country" value="AFG"/)

      const searched = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(removed.body, { ...VALID_FORM, country: ['AFG'], action: 'search' }),
      )
      assert.equal(searched.statusCode, 303)
      assert.match(searched.headers.location as string, /country=AFG/)
    })

    it('asks for a country when Add is pressed with none chosen', async () => {
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(form.body, { ...VALID_FORM, action: 'add-country', addCountry: '' }),
      )
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [
        ['Select a country of nationality to add', '#add-country'],
      ])
    })

    it('refuses to add a country that is not on the list', async () => {
      const client = await signedIn('lse.worker')
      const form = await client.get(paths.reviewSearch('LSE'))
      const response = await client.post(
        paths.reviewSearch('LSE'),
        searchForm(form.body, { ...VALID_FORM, action: 'add-country', addCountry: 'ATLANTIS' }),
      )
      assert.equal(response.statusCode, 400)
      assert.deepEqual(errorSummaryOf(response.body), [
        ['Select a country of nationality from the list', '#add-country'],
      ])
    })
  })

  describe('pages of results', () => {
    beforeEach(async () => {
      await insertReviewTasks(
        database.db,
        Array.from({ length: 150 }, (_, index) => ({
          personId: `P${String(index).padStart(3, '0')}`,
          priority: 200 - index,
          reportingDate: '2026-03-10',
        })),
      )
    })

    it('shows 100 a page with GOV.UK pagination that keeps the search', async () => {
      const client = await signedIn('lse.worker')
      const first = await client.get(paths.reviewList('LSE', 'recommended', SEARCH))
      assert.equal(tableRowsOf(first.body).length, 100)
      assert.match(first.body, /Showing 1 – 100 of 150 results/)
      assert.equal(
        titleOf(first.body),
        'Recommended tasks (page 1 of 2) – Review tasks – Identify and prioritise immigration cases – GOV.UK',
      )
      assert.equal(tableRowsOf(first.body)[0]![4], '200')
      const next = paths.reviewList('LSE', 'recommended', SEARCH, 2).replaceAll('&', '&amp;')
      assert.match(
        first.body,
        new RegExp(
          `class="govuk-pagination__next">\\s*<a class="govuk-link govuk-pagination__link" href="${next.replace(/[?]/g, '\\?')}"`,
        ),
      )
      assert.doesNotMatch(first.body, /govuk-pagination__prev/)

      const second = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2))
      assert.equal(second.statusCode, 200)
      assert.equal(tableRowsOf(second.body).length, 50)
      assert.equal(tableRowsOf(second.body)[0]![4], '100')
      assert.match(second.body, /Showing 101 – 150 of 150 results/)
      assert.match(second.body, /govuk-pagination__prev/)
      assert.doesNotMatch(second.body, /govuk-pagination__next/)
    })

    it('links each row to its case alone, and the case leads back to the same page of the same tab', async () => {
      const client = await signedIn('lse.worker')
      const second = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2))
      const links = [...second.body.matchAll(/<a class="govuk-link" href="(\/tasks\/[^"]*)"/g)].map(
        ([, href]) => href,
      )
      assert.equal(links.length, 50)
      assert.ok(
        links.every((href) => /^\/tasks\/\d+$/.test(href ?? '')),
        'no search repeated in every row',
      )
      const opened = await client.get(links[0] ?? '')
      assert.equal(opened.statusCode, 303)
      const casePage = await client.get(opened.headers.location as string)
      assert.ok(casePage.body.includes(`href="${paths.reviewTasks()}"`), 'Back to recommended cases')
      assert.equal(
        (await client.get(paths.reviewTasks())).headers.location,
        paths.reviewList('LSE', 'recommended', SEARCH, 2),
      )
      // The tab is kept too: back from a case opened on the Accepted tab goes to the Accepted tab.
      await client.get(paths.reviewList('LSE', 'accepted', SEARCH))
      assert.equal(
        (await client.get(paths.reviewTasks())).headers.location,
        paths.reviewList('LSE', 'accepted', SEARCH),
      )
    })

    it('goes back to the last page there still is when decisions have shortened the list', async () => {
      const client = await signedIn('lse.worker')
      await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2))
      await database.db
        .updateTable('tasks')
        .set({ status: 'ACCEPTED', status_changed_at: new Date() })
        .where('person_id', '>=', 'P090')
        .execute()
      web.services.reviewLists.forgetAll()
      assert.equal(
        (await client.get(paths.reviewTasks())).headers.location,
        paths.reviewList('LSE', 'recommended', SEARCH),
      )
    })

    it('answers "page not found" for a page past the end or not a page number', async () => {
      const client = await signedIn('lse.worker')
      assert.equal((await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 3))).statusCode, 404)
      const base = paths.reviewList('LSE', 'recommended', SEARCH)
      for (const page of ['0', '-1', 'two', '1.5']) {
        assert.equal((await client.get(`${base}&page=${page}`)).statusCode, 404, page)
      }
    })
  })
})
