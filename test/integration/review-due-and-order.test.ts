/**
 * Due dates and ordering on the review lists: each task is due within its
 * task type's working days of the day it was recommended (bank holidays not
 * counted), or by the working day before its reporting date where it acts at
 * the next reporting event, whichever comes first; overdue and due-soon
 * tasks are tagged in words. The lists sort by priority, reporting date,
 * due date, name and task type through links in their headers, across
 * pages; a sort that does not exist is named, not ignored.
 *
 * Today is Monday 2 March 2026. "Due soon" runs to Wednesday 4 March (two
 * working days on).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../src/web/paths.ts'
import { reviewPagesHarness, SEARCH, tableRowsOf } from '../support/review-pages.ts'
import { insertReviewTasks } from '../support/review-tasks.ts'
import { errorSummaryOf, textOf } from '../support/web.ts'

const at = (isoDay: string) => new Date(`${isoDay}T10:00:00Z`)
const ALL_TYPES = {
  ...SEARCH,
  taskType: ['FAILED_TO_REPORT', 'SAFEGUARDING', 'DOCUMENTATION_INTERVIEW', 'REPORTING_REVIEW'],
}

/** Rows as [name, due] from a Recommended list (Referral, Reporting date, Due, Name, …). */
const dueOf = (html: string) => tableRowsOf(html).map((row) => [row[3], row[2]])

describe('review lists: due dates and ordering', () => {
  const app = reviewPagesHarness()
  const { signedIn } = app
  const person = (given: string, family = 'Test') => ({ given_names: given, family_name: family })

  it('works out each task’s due date at its boundaries, and tags the overdue and the due soon', async () => {
    await insertReviewTasks(app.database.db, [
      // Failed-to-report follow-ups: 2 working days.
      { personId: 'F1', createdAt: at('2026-02-25'), person: person('Wednesday'), priority: 90 },
      { personId: 'F2', createdAt: at('2026-02-26'), person: person('Thursday'), priority: 80 },
      { personId: 'F3', createdAt: at('2026-02-27'), person: person('Friday'), priority: 70 },
      // Recommended on a Sunday: counted from the Friday before.
      { personId: 'F4', createdAt: at('2026-03-01'), person: person('Sunday'), priority: 60 },
      // Over Easter: Good Friday and Easter Monday are not working days.
      { personId: 'F5', createdAt: at('2026-04-02'), person: person('Easter'), priority: 50 },
      // A travel-document interview: 10 working days, and before the reporting date.
      {
        personId: 'D1',
        taskType: 'DOCUMENTATION_INTERVIEW',
        createdAt: at('2026-03-02'),
        reportingDate: '2026-03-05',
        person: person('ReportsThursday'),
        priority: 40,
      },
      {
        personId: 'D2',
        taskType: 'DOCUMENTATION_INTERVIEW',
        createdAt: at('2026-03-02'),
        reportingDate: '2026-03-09',
        person: person('ReportsMonday'),
        priority: 30,
      },
      {
        personId: 'D3',
        taskType: 'DOCUMENTATION_INTERVIEW',
        createdAt: at('2026-03-02'),
        reportingDate: null,
        person: person('NoReporting'),
        priority: 20,
      },
      // Reporting review: 20 working days.
      {
        personId: 'R1',
        taskType: 'REPORTING_REVIEW',
        createdAt: at('2026-03-02'),
        person: person('Review'),
        priority: 10,
      },
    ])
    const client = await signedIn('lse.worker')
    const list = await client.get(paths.reviewList('LSE', 'recommended', ALL_TYPES))
    assert.equal(list.statusCode, 200)
    assert.deepEqual(dueOf(list.body), [
      ['Wednesday Test', '27 February 2026 Overdue'],
      ['Thursday Test', '2 March 2026 Due soon'],
      ['Friday Test', '3 March 2026 Due soon'],
      ['Sunday Test', '3 March 2026 Due soon'],
      ['Easter Test', '8 April 2026'],
      ['ReportsThursday Test', '4 March 2026 Due soon'],
      ['ReportsMonday Test', '6 March 2026'],
      ['NoReporting Test', '16 March 2026'],
      ['Review Test', '30 March 2026'],
    ])
    // The tags are GOV.UK tags with words, not colour alone.
    assert.match(list.body, /<strong class="govuk-tag govuk-tag--red">Overdue<\/strong>/)
    assert.match(list.body, /<strong class="govuk-tag govuk-tag--yellow">Due soon<\/strong>/)
  })

  it('sorts by each sortable header, both ways, keeping the search, and says so with aria-sort', async () => {
    await insertReviewTasks(app.database.db, [
      {
        personId: 'S1',
        person: person('Ann', 'Cole'),
        priority: 10,
        reportingDate: '2026-03-20',
        taskType: 'SAFEGUARDING',
      },
      { personId: 'S2', person: person('Ben', 'Adams'), priority: 30, reportingDate: '2026-03-10' },
      {
        personId: 'S3',
        person: person('Cal', 'Brown'),
        priority: 20,
        reportingDate: null,
        createdAt: at('2026-02-20'),
      },
    ])
    const client = await signedIn('lse.worker')
    const namesSortedBy = async (sort?: string, order?: string) => {
      const view = {
        ...(sort ? { sort } : {}),
        ...(order ? { order: order as 'ascending' | 'descending' } : {}),
      }
      const response = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 1, view))
      assert.equal(response.statusCode, 200, `${sort} ${order}`)
      return tableRowsOf(response.body).map((row) => row[3])
    }
    assert.deepEqual(await namesSortedBy(), ['Ben Adams', 'Cal Brown', 'Ann Cole'])
    assert.deepEqual(await namesSortedBy('priority', 'ascending'), ['Ann Cole', 'Cal Brown', 'Ben Adams'])
    assert.deepEqual(await namesSortedBy('name'), ['Ben Adams', 'Cal Brown', 'Ann Cole'])
    assert.deepEqual(await namesSortedBy('name', 'descending'), ['Ann Cole', 'Cal Brown', 'Ben Adams'])
    // No reporting date comes last either way.
    assert.deepEqual(await namesSortedBy('reporting-date'), ['Ben Adams', 'Ann Cole', 'Cal Brown'])
    assert.deepEqual(await namesSortedBy('reporting-date', 'descending'), [
      'Ann Cole',
      'Ben Adams',
      'Cal Brown',
    ])
    // Cal's follow-up was due on 24 February; Ann's safeguarding referral and Ben's follow-up, today and tomorrow.
    assert.deepEqual(await namesSortedBy('due-date'), ['Cal Brown', 'Ann Cole', 'Ben Adams'])
    assert.deepEqual(await namesSortedBy('task-type'), ['Ben Adams', 'Cal Brown', 'Ann Cole'])

    const sorted = await client.get(
      paths.reviewList('LSE', 'recommended', SEARCH, 1, { sort: 'name', order: 'ascending' }),
    )
    assert.match(
      sorted.body,
      /<th scope="col" class="govuk-table__header" aria-sort="ascending"><a class="govuk-link app-sort-link" href="[^"]*sort=name&amp;order=descending"/,
    )
    assert.match(
      sorted.body,
      /aria-sort="none"><a class="govuk-link app-sort-link" href="[^"]*taskType=FAILED_TO_REPORT[^"]*sort=due-date&amp;order=ascending"/,
    )
  })

  it('keeps the order across pages', async () => {
    const tasks = Array.from({ length: 120 }, (_, n) => ({
      personId: `P${String(n).padStart(3, '0')}`,
      person: person('Given', `Family${String(119 - n).padStart(3, '0')}`),
      priority: n,
    }))
    await insertReviewTasks(app.database.db, tasks)
    const client = await signedIn('lse.worker')
    const view = { sort: 'name', order: 'ascending' as const }
    const first = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 1, view))
    const second = await client.get(paths.reviewList('LSE', 'recommended', SEARCH, 2, view))
    const names = [...tableRowsOf(first.body), ...tableRowsOf(second.body)].map((row) => row[3])
    assert.equal(names.length, 120)
    assert.deepEqual(names, [...names].sort())
    assert.equal(names[100], 'Given Family100')
    // The pagination's links keep the order.
    assert.match(first.body, /href="[^"]*sort=name&amp;order=ascending&amp;page=2"/)
  })

  it('counts the open tasks past their due date on the dashboard, by task type and region', async () => {
    await insertReviewTasks(app.database.db, [
      // Midlands and East: two follow-ups overdue, one due soon, one decided (not counted), one safeguarding overdue.
      {
        personId: 'M1',
        region: 'MEE',
        createdAt: at('2026-02-20'),
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
      {
        personId: 'M2',
        region: 'MEE',
        createdAt: at('2026-02-24'),
        status: 'ON_HOLD',
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
      {
        personId: 'M3',
        region: 'MEE',
        createdAt: at('2026-03-02'),
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
      {
        personId: 'M4',
        region: 'MEE',
        createdAt: at('2026-02-20'),
        status: 'ACCEPTED',
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
      {
        personId: 'M5',
        region: 'MEE',
        taskType: 'SAFEGUARDING',
        createdAt: at('2026-02-26'),
        person: { reporting_location: 'SANDFORD_HOUSE' },
      },
      // Another region the manager does not oversee.
      { personId: 'L1', createdAt: at('2026-02-20') },
    ])
    const client = await signedIn('mee.manager')
    const form = {
      'from-day': '1',
      'from-month': '2',
      'from-year': '2026',
      'to-day': '2',
      'to-month': '3',
      'to-year': '2026',
    }
    const page = await client.get(paths.miDashboard(form))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(
      text,
      /Overdue tasks Today, 3 of 4 open tasks are past the date they were due to be decided by\./,
    )
    assert.match(text, /Failed-to-report follow-up Midlands and East 2 3 66\.7% \(2 of 3\)/)
    assert.match(text, /Safeguarding referral Midlands and East 1 1 100\.0% \(1 of 1\)/)
    assert.doesNotMatch(text, /London and South East \d/)
    // One task type only.
    const safeguarding = textOf(
      (await client.get(paths.miDashboard({ ...form, taskType: 'SAFEGUARDING' }))).body,
    )
    assert.match(safeguarding, /Today, 1 of 1 open task is past/)
  })

  it('names a sort that does not exist, and shows the list in its usual order', async () => {
    await insertReviewTasks(app.database.db, [{ personId: 'X1' }])
    const client = await signedIn('lse.worker')
    for (const query of ['&sort=colour', '&sort=name&order=sideways', '&order=ascending']) {
      const response = await client.get(`${paths.reviewList('LSE', 'recommended', SEARCH)}${query}`)
      assert.equal(response.statusCode, 400, query)
      assert.deepEqual(errorSummaryOf(response.body), [
        [
          'Sort the list by priority, reporting date, due date, name or task type, ascending or descending',
          '#sort',
        ],
      ])
      assert.equal(tableRowsOf(response.body).length, 1)
    }
  })
})
