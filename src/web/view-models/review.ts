/**
 * What the review pages show, in the shapes the GOV.UK and MoJ macros take:
 * the region choice, the search form, the tabs with their counts, how long
 * tasks stay on each tab, the "Show tasks assigned to" filter, pagination
 * and the "Showing 1 – 100 of N results" line. A tab's table is in
 * review-table.ts. Kept here, away from the templates, so each piece is
 * unit-tested.
 */
import type { ReviewTab, TabCounts } from '../../review/lists.ts'
import type { RetentionDays } from '../../review/retention.ts'
import type { SearchField, SearchInput, SearchProblem } from '../../review/search.ts'
import type { Option, SearchOptions } from '../../review/search-options.ts'
import type { SearchQuery } from '../forms/search-form.ts'
import { searchMessage } from '../messages.ts'
import { type ListView, paths } from '../paths.ts'
import { type FormErrors, formErrors, inWords } from './forms.ts'

export const TAB_LABELS: Readonly<Record<ReviewTab, string>> = {
  recommended: 'Recommended',
  accepted: 'Accepted',
  rejected: 'Rejected',
  'on-hold': 'On hold',
}

/** Headings of each tab's list. */
export const TAB_HEADINGS: Readonly<Record<ReviewTab, string>> = {
  recommended: 'Recommended tasks',
  accepted: 'Accepted tasks',
  rejected: 'Rejected tasks',
  'on-hold': 'Tasks on hold',
}

/** Days as words: "1 day", "5 days". */
function days(count: number): string {
  return count === 1 ? '1 day' : `${count} days`
}

/**
 * How long a task stays on the tab, from the configured retention: said on
 * each tab, so that nobody wonders where a decided task has gone.
 */
export function tabStay(tab: ReviewTab, retention: RetentionDays): string {
  switch (tab) {
    case 'recommended':
      return 'Recommended tasks stay on this tab until someone decides them or the rules withdraw them. The search’s reporting dates choose which are listed.'
    case 'accepted':
      return `Accepted tasks stay on this tab for ${days(retention.acceptedDays)} after the decision, whatever their reporting date.`
    case 'rejected':
      return `Rejected tasks stay on this tab for ${days(retention.rejectedDays)} after the decision, whatever their reporting date.`
    case 'on-hold':
      return 'Tasks on hold stay on this tab until someone accepts or rejects them, whatever their reporting date.'
  }
}

/** The HTML id of each search field's first input, for the error summary's links. */
export const SEARCH_FIELD_IDS: Readonly<Record<SearchField, string>> = {
  taskType: 'task-type',
  from: 'from-day',
  to: 'to-day',
  country: 'add-country',
  location: 'location',
}

/** The search's problems in words, each linked to its field. */
export function searchErrors(problems: readonly SearchProblem[]): FormErrors {
  return formErrors(inWords(problems, searchMessage), SEARCH_FIELD_IDS)
}

export interface SelectItem {
  readonly value: string
  readonly text: string
  readonly selected?: boolean
}

export interface RegionPageView extends FormErrors {
  readonly items: readonly SelectItem[]
}

export function regionPage(
  regions: readonly Option[],
  selected: string | undefined,
  errors: FormErrors,
): RegionPageView {
  return {
    ...errors,
    items: [
      { value: '', text: 'Select a region', selected: !selected },
      ...regions.map((region) => ({
        value: region.code,
        text: region.name,
        selected: region.code === selected,
      })),
    ],
  }
}

export interface SubNavigationItem {
  readonly text: string
  readonly href: string
  readonly active: boolean
}

const COUNT_OF: Readonly<Record<ReviewTab, keyof TabCounts>> = {
  recommended: 'recommended',
  accepted: 'accepted',
  rejected: 'rejected',
  'on-hold': 'onHold',
}

/**
 * The four tabs with their counts. They carry the search, so moving between
 * tabs keeps it; before a search, "Recommended" leads to the search form.
 */
export function reviewTabs(
  region: string,
  counts: TabCounts,
  current: ReviewTab,
  search: SearchQuery | undefined,
  view?: ListView,
): SubNavigationItem[] {
  return (Object.keys(TAB_LABELS) as ReviewTab[]).map((tab) => ({
    text: `${TAB_LABELS[tab]} (${counts[COUNT_OF[tab]]})`,
    href:
      tab === 'recommended' && !search
        ? paths.reviewSearch(region)
        : paths.reviewList(region, tab, search, undefined, view),
    active: tab === current,
  }))
}

/** A priority as the rules scored it: up to two decimal places, no trailing zeros. */
export function formatPriority(priority: number): string {
  return String(Math.round(priority * 100) / 100)
}

/** Who a manager may assign the ticked tasks to, for the "Assign to" select. */
export function assigneeItems(
  people: readonly { readonly id: string; readonly name: string }[],
): SelectItem[] {
  return [
    { value: '', text: 'Select a caseworker' },
    ...people.map((person) => ({ value: person.id, text: person.name })),
  ]
}

export interface AssignedFilterForm {
  readonly action: string
  /** The search, as hidden fields, so that filtering keeps it. */
  readonly hidden: readonly { readonly name: string; readonly value: string }[]
  readonly items: readonly SelectItem[]
}

/** "Show tasks assigned to": a GET form that keeps the search and starts at page 1. */
export function assignedFilterForm(
  action: string,
  search: SearchQuery | undefined,
  assigned: string,
): AssignedFilterForm {
  const hidden: { name: string; value: string }[] = []
  if (search) {
    for (const code of search.taskType) hidden.push({ name: 'taskType', value: code })
    if (search.from) hidden.push({ name: 'from', value: search.from })
    if (search.to) hidden.push({ name: 'to', value: search.to })
    for (const code of search.country) hidden.push({ name: 'country', value: code })
    if (search.location) hidden.push({ name: 'location', value: search.location })
  }
  const choices: readonly [string, string][] = [
    ['anyone', 'Anyone'],
    ['unassigned', 'Unassigned'],
    ['me', 'Assigned to me'],
  ]
  return {
    action,
    hidden,
    items: choices.map(([value, text]) => ({ value, text, selected: value === assigned })),
  }
}

/** "Showing 1 – 100 of 121 results", as the guide has it. */
export function showingResults(page: number, pageSize: number, total: number): string {
  if (total === 0) return 'Showing 0 results'
  const first = (page - 1) * pageSize + 1
  const last = Math.min(page * pageSize, total)
  return `Showing ${first} – ${last} of ${total} ${total === 1 ? 'result' : 'results'}`
}

export interface PaginationView {
  readonly previous?: { readonly href: string }
  readonly next?: { readonly href: string }
  readonly items: readonly (
    | { readonly number: number; readonly href: string; readonly current: boolean }
    | { readonly ellipsis: true }
  )[]
}

/**
 * GOV.UK pagination for `lastPage` pages: the first and last pages, the
 * current one and its neighbours, with an ellipsis for each gap. Null when
 * everything fits on one page (the component is then left out).
 */
export function pagination(
  page: number,
  lastPage: number,
  hrefFor: (page: number) => string,
): PaginationView | null {
  if (lastPage <= 1) return null
  const shown = [...new Set([1, page - 1, page, page + 1, lastPage])]
    .filter((number) => number >= 1 && number <= lastPage)
    .sort((a, b) => a - b)
  const items: PaginationView['items'][number][] = []
  let previousNumber = 0
  for (const number of shown) {
    if (number - previousNumber > 1) items.push({ ellipsis: true })
    items.push({ number, href: hrefFor(number), current: number === page })
    previousNumber = number
  }
  return {
    items,
    ...(page > 1 ? { previous: { href: hrefFor(page - 1) } } : {}),
    ...(page < lastPage ? { next: { href: hrefFor(page + 1) } } : {}),
  }
}

export interface CheckboxItem {
  readonly value: string
  readonly text: string
  readonly checked: boolean
}

export interface AddedCountry {
  readonly code: string
  readonly name: string
}

export interface SearchFormView {
  readonly taskTypeItems: readonly CheckboxItem[]
  readonly from: readonly { readonly name: string; readonly value: string; readonly classes: string }[]
  readonly to: readonly { readonly name: string; readonly value: string; readonly classes: string }[]
  readonly addedCountries: readonly AddedCountry[]
  readonly countryItems: readonly SelectItem[]
  readonly locationItems: readonly SelectItem[]
}

function dateItems(parts: SearchInput['from'], hasError: boolean) {
  const error = hasError ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: parts.day, classes: `govuk-input--width-2${error}` },
    { name: 'month', value: parts.month, classes: `govuk-input--width-2${error}` },
    { name: 'year', value: parts.year, classes: `govuk-input--width-4${error}` },
  ]
}

/** The search form filled in with what the user entered (valid or not). */
export function searchForm(options: SearchOptions, input: SearchInput, errors: FormErrors): SearchFormView {
  const countryName = new Map(options.countries.map((country) => [country.code, country.name]))
  const added = new Set(input.countries)
  return {
    taskTypeItems: options.taskTypes.map((type) => ({
      value: type.code,
      text: type.name,
      checked: input.taskTypes.includes(type.code),
    })),
    from: dateItems(input.from, Boolean(errors.fieldErrors.from)),
    to: dateItems(input.to, Boolean(errors.fieldErrors.to)),
    // A code that is not a country (a tampered form) is shown as it came, so the error makes sense.
    addedCountries: input.countries.map((code) => ({ code, name: countryName.get(code) ?? code })),
    countryItems: [
      { value: '', text: '' },
      ...options.countries
        .filter((country) => !added.has(country.code))
        .map((country) => ({ value: country.code, text: country.name })),
    ],
    locationItems: [
      { value: '', text: 'Search all locations', selected: input.location === '' },
      ...options.locations.map((location) => ({
        value: location.code,
        text: location.name,
        selected: location.code === input.location,
      })),
    ],
  }
}
