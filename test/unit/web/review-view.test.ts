import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import nunjucks from 'nunjucks'
import type { IsoDate } from '../../../src/dates.ts'
import type { TaskListRow } from '../../../src/review/lists.ts'
import { EMPTY_SEARCH_INPUT } from '../../../src/review/search.ts'
import { paths } from '../../../src/web/paths.ts'
import { formErrors, NO_FORM_ERRORS } from '../../../src/web/view-models/forms.ts'
import {
  formatPriority,
  pagination,
  regionPage,
  reviewTabs,
  searchForm,
  showingResults,
} from '../../../src/web/view-models/review.ts'
import { taskTable } from '../../../src/web/view-models/review-table.ts'

const SEARCH = { taskType: ['SAFEGUARDING'], from: '2026-03-02', to: '2026-03-09', country: [], location: '' }

const ROW: TaskListRow = {
  taskId: 7,
  personId: 'P1',
  name: 'Ada <Lovelace>',
  referral: 'RP',
  reportingDate: '2026-03-05' as IsoDate,
  taskType: 'Safeguarding referral',
  taskTypeCode: 'SAFEGUARDING',
  priority: 12.5,
  version: 3,
  assignedTo: null,
  due: '2026-03-04' as IsoDate,
  dueState: null,
  decidedBy: 'Casey Worker',
  decidedAt: new Date('2026-06-24T23:30:00Z'),
}

/** The text of each header of a task table. */
function headersOf(table: string): string[] {
  return [...table.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map(([, header]) => header ?? '')
}

/** Each row's cells of a task table's body, as the markup inside each cell. */
function rowsOf(table: string): string[][] {
  const body = /<tbody[^>]*>(.*?)<\/tbody>/s.exec(table)?.[1] ?? ''
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map(([, row]) =>
    [...(row ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell ?? ''),
  )
}

describe('review paths', () => {
  it('puts the whole search in the URL, repeated fields and all, and the page only past the first', () => {
    const search = { ...SEARCH, taskType: ['A', 'B'], country: ['ALB', 'NGA'], location: 'BECKET_HOUSE' }
    assert.equal(
      paths.reviewList('LSE', 'recommended', search, 2),
      '/review-tasks/LSE/recommended?taskType=A&taskType=B&from=2026-03-02&to=2026-03-09&country=ALB&country=NGA&location=BECKET_HOUSE&page=2',
    )
    assert.equal(paths.reviewList('LSE', 'on-hold', undefined, 1), '/review-tasks/LSE/on-hold')
    assert.equal(paths.reviewSearch('MEE'), '/review-tasks/MEE/search')
    assert.equal(
      paths.reviewSearch('MEE', SEARCH),
      '/review-tasks/MEE/search?taskType=SAFEGUARDING&from=2026-03-02&to=2026-03-09',
    )
  })
})

describe('review view-models', () => {
  it('says which results are showing, as the guide does', () => {
    assert.equal(showingResults(1, 100, 121), 'Showing 1 – 100 of 121 results')
    assert.equal(showingResults(2, 100, 121), 'Showing 101 – 121 of 121 results')
    assert.equal(showingResults(1, 100, 1), 'Showing 1 – 1 of 1 result')
    assert.equal(showingResults(1, 100, 0), 'Showing 0 results')
  })

  it('leaves pagination out for one page', () => {
    assert.equal(pagination(1, 1, String), null)
  })

  it('numbers the pages around the current one, with ellipses for the gaps', () => {
    const href = (page: number) => `/p${page}`
    assert.deepEqual(pagination(1, 2, href), {
      items: [
        { number: 1, href: '/p1', current: true },
        { number: 2, href: '/p2', current: false },
      ],
      next: { href: '/p2' },
    })
    const middle = pagination(5, 10, href)
    assert.deepEqual(
      middle?.items.map((item) => ('ellipsis' in item ? '…' : item.number)),
      [1, '…', 4, 5, 6, '…', 10],
    )
    assert.deepEqual(middle?.previous, { href: '/p4' })
    assert.deepEqual(middle?.next, { href: '/p6' })
    assert.equal(pagination(10, 10, href)?.next, undefined)
  })

  it('labels each tab with its count and keeps the search in its link', () => {
    const counts = { recommended: 121, accepted: 25, rejected: 3, onHold: 4 }
    const tabs = reviewTabs('LSE', counts, 'accepted', SEARCH)
    assert.deepEqual(
      tabs.map((tab) => [tab.text, tab.active]),
      [
        ['Recommended (121)', false],
        ['Accepted (25)', true],
        ['Rejected (3)', false],
        ['On hold (4)', false],
      ],
    )
    assert.equal(tabs[2]?.href, paths.reviewList('LSE', 'rejected', SEARCH))
    // Before a search, Recommended leads to the search form.
    assert.equal(reviewTabs('LSE', counts, 'accepted', undefined)[0]?.href, paths.reviewSearch('LSE'))
  })

  it('builds the recommended table: referral, date, linked name (escaped), task type, priority', () => {
    const table = taskTable('recommended', [
      ROW,
      { ...ROW, referral: null, reportingDate: null, priority: 3 },
    ])
    assert.deepEqual(headersOf(table), [
      'Referral',
      'Reporting date',
      'Due',
      'Name',
      'Task type',
      'Priority',
      'Assigned to',
    ])
    const [first, second] = rowsOf(table)
    assert.deepEqual(first, [
      'RP',
      '5 March 2026',
      '4 March 2026',
      `<a class="govuk-link" href="${paths.task(7)}">Ada &lt;Lovelace&gt;</a>`,
      ROW.taskType,
      '12.5',
      '',
    ])
    assert.deepEqual(second?.slice(0, 2), ['', 'Not known'])
  })

  it('writes the rows as GOV.UK table markup, text escaped and priorities numeric', () => {
    const table = taskTable('recommended', [{ ...ROW, taskType: 'Review & "check"' }])
    assert.match(table, /^<table class="govuk-table">/)
    assert.match(
      table,
      /<caption class="govuk-table__caption govuk-visually-hidden">Recommended tasks<\/caption>/,
    )
    assert.equal((table.match(/<tr class="govuk-table__row">/g) ?? []).length, 2)
    const classes = [...table.matchAll(/<td class="([^"]+)">/g)].map(([, names]) => names)
    assert.deepEqual(classes, [
      ...Array(5).fill('govuk-table__cell'),
      'govuk-table__cell govuk-table__cell--numeric',
      'govuk-table__cell',
    ])
    assert.equal(rowsOf(table)[0]?.[4], 'Review &amp; &quot;check&quot;')
    // Exactly as a template would write the same text.
    const awkward = `O'Neil \\ <b>&"`
    const written = rowsOf(taskTable('recommended', [{ ...ROW, taskType: awkward }]))[0]?.[4]
    const templated = new nunjucks.Environment(null, { autoescape: true }).renderString('{{ text }}', {
      text: awkward,
    })
    assert.equal(written, templated)
    assert.deepEqual(rowsOf(taskTable('recommended', [])), [])
  })

  it('adds who decided and the London date of the decision on a decided tab', () => {
    const table = taskTable('accepted', [ROW])
    assert.deepEqual(headersOf(table).slice(6), ['Decided by', 'Date decided'])
    assert.deepEqual(rowsOf(table)[0]?.slice(6), ['Casey Worker', '25 June 2026'])
  })

  it('says who each task is assigned to, and offers a checkbox naming the version shown when asked', () => {
    const rows = [
      { ...ROW, assignedTo: { id: 'me', name: 'Mo Self' } },
      { ...ROW, taskId: 8, assignedTo: { id: 'other', name: 'Ola Other' } },
    ]
    const table = taskTable('recommended', rows, { userId: 'me', selectable: true })
    assert.deepEqual(
      rowsOf(table).map((row) => row.at(-1)),
      ['You', 'Ola Other'],
    )
    assert.match(
      table,
      /<input class="govuk-checkboxes__input" id="task-8" name="task" type="checkbox" value="8:3" form="assignment-form">/,
    )
    assert.match(table, /<span class="govuk-visually-hidden">Select Ada &lt;Lovelace&gt;<\/span>/)
    assert.doesNotMatch(taskTable('recommended', rows), /checkbox/)
  })

  it('tags a task overdue or due soon in words, and shows no due date on a decided tab', () => {
    const table = taskTable('on-hold', [
      { ...ROW, dueState: 'overdue' },
      { ...ROW, dueState: 'soon' },
      { ...ROW, due: null },
    ])
    assert.deepEqual(
      rowsOf(table).map((row) => row[2]),
      [
        '4 March 2026 <br><strong class="govuk-tag govuk-tag--red">Overdue</strong>',
        '4 March 2026 <br><strong class="govuk-tag govuk-tag--yellow">Due soon</strong>',
        'Not known',
      ],
    )
    assert.doesNotMatch(headersOf(taskTable('accepted', [ROW])).join(), /Due/)
  })

  it('makes the sortable headers links that sort by the column, or the other way round, with aria-sort', () => {
    const hrefFor = (order: { sort: string; direction: string }) =>
      `/list?sort=${order.sort}&order=${order.direction}`
    const table = taskTable('recommended', [ROW], undefined, {
      order: { sort: 'name', direction: 'ascending' },
      hrefFor,
    })
    const headers = [
      ...table.matchAll(
        /<th scope="col" class="[^"]*" aria-sort="([a-z]+)"><a class="govuk-link app-sort-link" href="([^"]+)">([^<]+)/g,
      ),
    ].map(([, sort, href, text]) => [text, sort, href])
    assert.deepEqual(headers, [
      ['Reporting date', 'none', '/list?sort=reporting-date&amp;order=ascending'],
      ['Due', 'none', '/list?sort=due-date&amp;order=ascending'],
      ['Name', 'ascending', '/list?sort=name&amp;order=descending'],
      ['Task type', 'none', '/list?sort=task-type&amp;order=ascending'],
      ['Priority', 'none', '/list?sort=priority&amp;order=descending'],
    ])
    assert.match(
      table,
      /Name<span aria-hidden="true"> ▲<\/span> <span class="govuk-visually-hidden">\(sorted ascending\)<\/span>/,
    )
  })

  it('formats priorities to at most two decimal places', () => {
    assert.equal(formatPriority(10), '10')
    assert.equal(formatPriority(10.456), '10.46')
  })

  it('offers the regions with the saved one selected', () => {
    const view = regionPage(
      [
        { code: 'LSE', name: 'London and South East' },
        { code: 'MEE', name: 'Midlands and East' },
      ],
      'MEE',
      NO_FORM_ERRORS,
    )
    assert.deepEqual(
      view.items.map((item) => [item.value, item.selected]),
      [
        ['', false],
        ['LSE', false],
        ['MEE', true],
      ],
    )
  })

  it('fills the search form with the input, and stops offering countries already added', () => {
    const options = {
      region: { code: 'LSE', name: 'London and South East' },
      taskTypes: [
        { code: 'A', name: 'Task A' },
        { code: 'B', name: 'Task B' },
      ],
      countries: [
        { code: 'ALB', name: 'Albania' },
        { code: 'NGA', name: 'Nigeria' },
      ],
      locations: [{ code: 'BECKET_HOUSE', name: 'Becket House' }],
    }
    const input = {
      ...EMPTY_SEARCH_INPUT,
      taskTypes: ['B'],
      from: { day: '31', month: '2', year: '2026' },
      countries: ['NGA', 'ZZZ'],
      location: 'BECKET_HOUSE',
    }
    const view = searchForm(options, input, formErrors([{ field: 'from', message: 'wrong' }]))
    assert.deepEqual(
      view.taskTypeItems.map((item) => item.checked),
      [false, true],
    )
    assert.deepEqual(
      view.from.map((item) => [item.value, item.classes]),
      [
        ['31', 'govuk-input--width-2 govuk-input--error'],
        ['2', 'govuk-input--width-2 govuk-input--error'],
        ['2026', 'govuk-input--width-4 govuk-input--error'],
      ],
    )
    assert.deepEqual(
      view.to.map((item) => item.classes),
      ['govuk-input--width-2', 'govuk-input--width-2', 'govuk-input--width-4'],
    )
    assert.deepEqual(view.addedCountries, [
      { code: 'NGA', name: 'Nigeria' },
      { code: 'ZZZ', name: 'ZZZ' },
    ])
    assert.deepEqual(
      view.countryItems.map((item) => item.value),
      ['', 'ALB'],
    )
    assert.deepEqual(
      view.locationItems.map((item) => [item.text, item.selected]),
      [
        ['Search all locations', false],
        ['Becket House', true],
      ],
    )
  })
})
