/**
 * A review tab's table, as GOV.UK table markup: the rows of a page of the
 * list, their checkboxes for changing assignment, the due date with its
 * tag, and the headers that sort the list.
 */
import { londonDateOf } from '../../clock.ts'
import { formatLongDate, type IsoDate } from '../../dates.ts'
import {
  FIRST_DIRECTION,
  type ListOrder,
  type ListSort,
  type SortDirection,
} from '../../review/list-order.ts'
import type { ReviewTab, TaskListRow } from '../../review/lists.ts'
import { paths } from '../paths.ts'
import { escapeAsTemplates, govukTableMarkup, type TableCell } from '../templates/table-markup.ts'
import { type ReferralCode, referralMarkup } from './referral-key.ts'
import { formatPriority, TAB_HEADINGS } from './review.ts'

/**
 * A tab's table, as GOV.UK table markup (see govukTableMarkup: 100 rows
 * through the macro cost as much as the rest of the page). Each name opens
 * the case; the case page leads back to this page of results through the
 * session, which keeps where in the lists the user was
 * (routes/review/saved-review.ts), so that the rows need not each carry the
 * whole search: as a `back` parameter it was half of a page's 90 KB.
 * Decided tabs add who made the decision and when.
 */
export function taskTable(
  tab: ReviewTab,
  rows: readonly TaskListRow[],
  who: {
    readonly userId: string
    readonly selectable: boolean
    /** Whether the user may open a case: if not (an administrator, a national analyst), names are not links. */
    readonly mayOpenCases?: boolean
  } = { userId: '', selectable: false },
  sorting?: TableSorting,
  /** The Referral column's codes with what they stand for: each code in the table is an abbreviation. */
  referralCodes: readonly ReferralCode[] = [],
): string {
  const decided = tab !== 'recommended'
  const open = tab === 'recommended' || tab === 'on-hold'
  const header = (text: string, sort: ListSort, format?: 'numeric'): TableCell =>
    sorting ? sortableHeader(text, sort, sorting, format) : { text, ...(format ? { format } : {}) }
  const head: TableCell[] = [
    ...(who.selectable ? [{ html: '<span class="govuk-visually-hidden">Select</span>' }] : []),
    { text: 'Referral' },
    header('Reporting date', 'reporting-date'),
    ...(open ? [header('Due', 'due-date')] : []),
    header('Name', 'name'),
    header('Task type', 'task-type'),
    header('Priority', 'priority', 'numeric'),
    { text: 'Assigned to' },
    ...(decided ? [{ text: 'Decided by' }, { text: 'Date decided' }] : []),
  ]
  const cells = rows.map((row): TableCell[] => [
    ...(who.selectable ? [{ html: taskCheckbox(row), classes: 'app-select-cell' }] : []),
    { html: referralMarkup(row.referral, referralCodes) },
    { text: row.reportingDate ? formatLongDate(row.reportingDate) : 'Not known' },
    ...(open ? [{ html: dueMarkup(row) }] : []),
    who.mayOpenCases === false
      ? { text: row.name }
      : { html: `<a class="govuk-link" href="${paths.task(row.taskId)}">${escapeAsTemplates(row.name)}</a>` },
    { text: row.taskType },
    { text: formatPriority(row.priority), format: 'numeric' },
    { text: row.assignedTo === null ? '' : row.assignedTo.id === who.userId ? 'You' : row.assignedTo.name },
    ...(decided
      ? [
          { text: row.decidedBy ?? 'Not recorded' },
          { text: row.decidedAt ? formatLongDate(londonDateOf(row.decidedAt) as IsoDate) : '' },
        ]
      : []),
  ])
  return govukTableMarkup({
    caption: TAB_HEADINGS[tab],
    captionClasses: 'govuk-visually-hidden',
    head,
    rows: cells,
  })
}

/** How a table's headers sort it: the order shown, and the link for another. */
export interface TableSorting {
  readonly order: ListOrder
  readonly hrefFor: (order: ListOrder) => string
}

/**
 * A header that sorts the list (the MoJ sortable table's pattern, as links
 * so that it works without JavaScript): aria-sort says how the list is
 * sorted now; the link sorts by this column, or the other way round if it
 * is the column sorted by.
 */
function sortableHeader(text: string, sort: ListSort, sorting: TableSorting, format?: 'numeric'): TableCell {
  const current = sorting.order.sort === sort ? sorting.order.direction : undefined
  const next: SortDirection = current
    ? current === 'ascending'
      ? 'descending'
      : 'ascending'
    : FIRST_DIRECTION[sort]
  const href = sorting.hrefFor({ sort, direction: next })
  const state = current ? ` <span class="govuk-visually-hidden">(sorted ${current})</span>` : ''
  const arrow = current === 'ascending' ? ' ▲' : current === 'descending' ? ' ▼' : ''
  return {
    html: `<a class="govuk-link app-sort-link" href="${escapeAsTemplates(href)}">${escapeAsTemplates(text)}<span aria-hidden="true">${arrow}</span>${state}</a>`,
    attributes: { 'aria-sort': current ?? 'none' },
    ...(format ? { format } : {}),
  }
}

const DUE_TAGS = {
  overdue: '<strong class="govuk-tag govuk-tag--red">Overdue</strong>',
  soon: '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong>',
} as const

/** The due date, with a tag that says in words when it is past or close (never colour alone). */
function dueMarkup(row: TaskListRow): string {
  const date = row.due ? escapeAsTemplates(formatLongDate(row.due)) : 'Not known'
  return row.dueState ? `${date} <br>${DUE_TAGS[row.dueState]}` : date
}

/**
 * A row's checkbox for changing the assignment of several tasks at once.
 * Its value names the version the row shows, so each task is changed only
 * if nobody has changed it since the list was read.
 */
function taskCheckbox(row: TaskListRow): string {
  const id = `task-${row.taskId}`
  return (
    '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">' +
    '<div class="govuk-checkboxes__item">' +
    `<input class="govuk-checkboxes__input" id="${id}" name="task" type="checkbox" value="${row.taskId}:${row.version}" form="assignment-form">` +
    `<label class="govuk-label govuk-checkboxes__label" for="${id}">` +
    `<span class="govuk-visually-hidden">Select ${escapeAsTemplates(row.name)}</span></label>` +
    '</div></div>'
  )
}
