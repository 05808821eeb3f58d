/**
 * A caseworker's search for tasks: which task types, which reporting dates,
 * optionally which nationalities and which reporting location.
 *
 * A `SearchInput` keeps exactly what the user typed (each date as day, month
 * and year), so a form with errors can show it again; `validateSearch` turns
 * it into a `TaskSearch` or a list of problems, each a code the page puts
 * into words. How the search travels over HTTP (form fields, URL) is the
 * web's business.
 */
import { daysBetween, type IsoDate, isoDateFromParts } from '../dates.ts'

export interface DateParts {
  readonly day: string
  readonly month: string
  readonly year: string
}

/** What the user entered, unchecked. */
export interface SearchInput {
  readonly taskTypes: readonly string[]
  readonly from: DateParts
  readonly to: DateParts
  /** Country codes already added to the search. */
  readonly countries: readonly string[]
  /** A reporting location code, or '' for "Search all locations". */
  readonly location: string
}

/** A search that passed every check. */
export interface TaskSearch {
  readonly taskTypes: readonly string[]
  readonly from: IsoDate
  readonly to: IsoDate
  /** Empty means every nationality. */
  readonly countries: readonly string[]
  /** Null means every location in the region. */
  readonly location: string | null
}

/** What is wrong with a search, by field; each code's own details in `params`. */
export type SearchProblem =
  | { readonly field: 'taskType'; readonly code: 'taskTypeMissing' | 'taskTypeUnknown' }
  | { readonly field: 'from'; readonly code: 'fromMissing' | 'fromInvalid' | 'fromPast' }
  | { readonly field: 'to'; readonly code: 'toMissing' | 'toInvalid' | 'toBeforeFrom' }
  | { readonly field: 'to'; readonly code: 'tooLong'; readonly params: { readonly maxDays: number } }
  /** `countryToAdd`: the add button was pressed with no country chosen. */
  | { readonly field: 'country'; readonly code: 'countryUnknown' | 'countryToAdd' }
  | {
      readonly field: 'country'
      readonly code: 'countryTooMany'
      readonly params: { readonly maxCountries: number }
    }
  | {
      readonly field: 'location'
      readonly code: 'locationUnknown'
      readonly params: { readonly regionName: string }
    }

export type SearchProblemCode = SearchProblem['code']
export type SearchField = SearchProblem['field']

/** What a search is checked against: today, the configured limit and the reference lists. */
export interface SearchContext {
  readonly today: IsoDate
  readonly maxDays: number
  readonly taskTypes: ReadonlySet<string>
  readonly countries: ReadonlySet<string>
  /** The reporting locations of the region being searched. */
  readonly locations: ReadonlySet<string>
  /** The region's name, for the problem of a location outside it. */
  readonly regionName: string
}

/** More countries than anyone would add by hand: a longer list is a tampered form. */
export const MAX_COUNTRIES = 50

const TOO_MANY_COUNTRIES: SearchProblem = {
  field: 'country',
  code: 'countryTooMany',
  params: { maxCountries: MAX_COUNTRIES },
}

/** The search input a valid search came from: for showing it in the form again. */
export function searchToInput(search: TaskSearch): SearchInput {
  const parts = (date: IsoDate): DateParts => {
    const [year = '', month = '', day = ''] = date.split('-')
    return { day: String(Number(day)), month: String(Number(month)), year }
  }
  return {
    taskTypes: search.taskTypes,
    from: parts(search.from),
    to: parts(search.to),
    countries: search.countries,
    location: search.location ?? '',
  }
}

export const EMPTY_SEARCH_INPUT: SearchInput = {
  taskTypes: [],
  from: { day: '', month: '', year: '' },
  to: { day: '', month: '', year: '' },
  countries: [],
  location: '',
}

const DIGITS = /^\d{1,4}$/

type DateCheck = { kind: 'missing' } | { kind: 'invalid' } | { kind: 'ok'; date: IsoDate }

function checkDate(parts: DateParts): DateCheck {
  if (!parts.day && !parts.month && !parts.year) return { kind: 'missing' }
  if (![parts.day, parts.month, parts.year].every((part) => DIGITS.test(part))) return { kind: 'invalid' }
  // A two-digit year is ambiguous: ask for all four rather than guess the century.
  if (parts.year.length !== 4) return { kind: 'invalid' }
  const date = isoDateFromParts(Number(parts.year), Number(parts.month), Number(parts.day))
  return date ? { kind: 'ok', date } : { kind: 'invalid' }
}

export type SearchResult =
  | { readonly ok: true; readonly search: TaskSearch }
  | { readonly ok: false; readonly problems: readonly SearchProblem[] }

export function validateSearch(input: SearchInput, context: SearchContext): SearchResult {
  const problems: SearchProblem[] = []

  if (input.taskTypes.length === 0) problems.push({ field: 'taskType', code: 'taskTypeMissing' })
  else if (!input.taskTypes.every((code) => context.taskTypes.has(code))) {
    problems.push({ field: 'taskType', code: 'taskTypeUnknown' })
  }

  const from = checkDate(input.from)
  if (from.kind === 'missing') problems.push({ field: 'from', code: 'fromMissing' })
  else if (from.kind === 'invalid') problems.push({ field: 'from', code: 'fromInvalid' })
  else if (from.date < context.today) problems.push({ field: 'from', code: 'fromPast' })

  const to = checkDate(input.to)
  if (to.kind === 'missing') problems.push({ field: 'to', code: 'toMissing' })
  else if (to.kind === 'invalid') problems.push({ field: 'to', code: 'toInvalid' })
  else if (from.kind === 'ok') {
    if (to.date < from.date) problems.push({ field: 'to', code: 'toBeforeFrom' })
    else if (daysBetween(from.date, to.date) > context.maxDays) {
      problems.push({ field: 'to', code: 'tooLong', params: { maxDays: context.maxDays } })
    }
  }

  if (input.countries.length > MAX_COUNTRIES) {
    problems.push(TOO_MANY_COUNTRIES)
  } else if (!input.countries.every((code) => context.countries.has(code))) {
    problems.push({ field: 'country', code: 'countryUnknown' })
  }

  if (input.location !== '' && !context.locations.has(input.location)) {
    problems.push({ field: 'location', code: 'locationUnknown', params: { regionName: context.regionName } })
  }

  if (problems.length > 0 || from.kind !== 'ok' || to.kind !== 'ok') return { ok: false, problems }
  return {
    ok: true,
    search: {
      taskTypes: input.taskTypes,
      from: from.date,
      to: to.date,
      countries: input.countries,
      location: input.location === '' ? null : input.location,
    },
  }
}

/**
 * What stops a country being added to a search before it is made: none
 * chosen, one not in the list, or a list already full. Undefined when it may
 * be added (adding one already there changes nothing).
 */
export function checkCountryToAdd(
  input: SearchInput,
  code: string,
  context: SearchContext,
): SearchProblem | undefined {
  if (code === '') return { field: 'country', code: 'countryToAdd' }
  if (!context.countries.has(code)) return { field: 'country', code: 'countryUnknown' }
  if (input.countries.length >= MAX_COUNTRIES) return TOO_MANY_COUNTRIES
  return undefined
}
