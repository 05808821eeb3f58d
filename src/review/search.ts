/**
 * A caseworker's search for tasks: which task types, which reporting dates,
 * optionally which nationalities and which reporting location.
 *
 * The same search arrives in two shapes: from the search form (each date as
 * day, month and year fields) and from a results URL (each date as one
 * YYYY-MM-DD value), so that a results page can be bookmarked and shared.
 * Both become a `SearchInput`, which keeps exactly what the user typed so a
 * form with errors can show it again, and `validateSearch` turns that into a
 * `TaskSearch` or a list of problems in the words the page shows.
 */
import { z } from 'zod'
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

export type SearchField = 'taskType' | 'from' | 'to' | 'country' | 'location'

export interface SearchProblem {
  readonly field: SearchField
  readonly message: string
}

/** What a search is checked against: today, the configured limit and the reference lists. */
export interface SearchContext {
  readonly today: IsoDate
  readonly maxDays: number
  readonly taskTypes: ReadonlySet<string>
  readonly countries: ReadonlySet<string>
  /** The reporting locations of the region being searched. */
  readonly locations: ReadonlySet<string>
  /** The region's name, for the message about a location outside it. */
  readonly regionName: string
}

/** More countries than anyone would add by hand: a longer list is a tampered form. */
export const MAX_COUNTRIES = 50

export const searchMessages = {
  taskTypeMissing: 'Select at least one task type',
  taskTypeUnknown: 'Select a task type from the list',
  fromMissing: 'Enter the date to search from',
  fromInvalid: 'The date to search from must be a real date',
  fromPast: 'The date to search from must be today or in the future',
  toMissing: 'Enter the date to search to',
  toInvalid: 'The date to search to must be a real date',
  toBeforeFrom: 'The date to search to must be the same as or after the date to search from',
  tooLong: (maxDays: number) =>
    `The date to search to must be no more than ${maxDays} days after the date to search from`,
  countryUnknown: 'Select a country of nationality from the list',
  countryTooMany: `Add no more than ${MAX_COUNTRIES} countries of nationality`,
  countryToAdd: 'Select a country of nationality to add',
  locationUnknown: (regionName: string) => `Select a reporting location in ${regionName}`,
} as const

const text = z.string().max(200).catch('')
/** One value or several (a repeated field); anything else is treated as nothing. */
const list = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(500)])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .catch([])

/** The search form as posted. Field names match the GOV.UK macros' output. */
export const searchFormSchema = z.object({
  taskType: list,
  'from-day': text.optional().default(''),
  'from-month': text.optional().default(''),
  'from-year': text.optional().default(''),
  'to-day': text.optional().default(''),
  'to-month': text.optional().default(''),
  'to-year': text.optional().default(''),
  country: list,
  location: text.optional().default(''),
})

/** The search as carried in a results URL's query string. */
export const searchQuerySchema = z.object({
  taskType: list,
  from: text.optional().default(''),
  to: text.optional().default(''),
  country: list,
  location: text.optional().default(''),
})

export type SearchQuery = z.output<typeof searchQuerySchema>

const trimAll = (values: readonly string[]) => values.map((value) => value.trim()).filter(Boolean)

/** Unique values, first occurrence kept, so adding a country twice lists it once. */
function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}

export function searchInputFromForm(body: unknown): SearchInput {
  const form = searchFormSchema.parse(body ?? {})
  return {
    taskTypes: unique(trimAll(form.taskType)),
    from: { day: form['from-day'].trim(), month: form['from-month'].trim(), year: form['from-year'].trim() },
    to: { day: form['to-day'].trim(), month: form['to-month'].trim(), year: form['to-year'].trim() },
    countries: unique(trimAll(form.country)),
    location: form.location.trim(),
  }
}

const URL_DATE = /^(\d{1,4})-(\d{1,2})-(\d{1,2})$/

/** A URL's date back into the three fields, so a mistyped URL shows what it said. */
function partsOf(value: string): DateParts {
  const match = URL_DATE.exec(value.trim())
  if (!match)
    return value.trim() === '' ? { day: '', month: '', year: '' } : { day: '', month: '', year: value }
  const [, year = '', month = '', day = ''] = match
  // As a person would type them: "2", not "02".
  return { day: String(Number(day)), month: String(Number(month)), year }
}

export function searchInputFromQuery(query: unknown): SearchInput {
  const parsed = searchQuerySchema.parse(query ?? {})
  return {
    taskTypes: unique(trimAll(parsed.taskType)),
    from: partsOf(parsed.from),
    to: partsOf(parsed.to),
    countries: unique(trimAll(parsed.country)),
    location: parsed.location.trim(),
  }
}

/** Whether a query string carries any part of a search (a bare tab URL does not). */
export function hasSearchQuery(query: unknown): boolean {
  const input = searchInputFromQuery(query)
  return (
    input.taskTypes.length > 0 ||
    [input.from, input.to].some((parts) => parts.day || parts.month || parts.year) ||
    input.countries.length > 0 ||
    input.location !== ''
  )
}

/** The query string of a valid search, in a fixed order so equal searches give equal URLs. */
export function searchToQuery(search: TaskSearch): SearchQuery {
  return {
    taskType: [...search.taskTypes],
    from: search.from,
    to: search.to,
    country: [...search.countries],
    location: search.location ?? '',
  }
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

  if (input.taskTypes.length === 0)
    problems.push({ field: 'taskType', message: searchMessages.taskTypeMissing })
  else if (!input.taskTypes.every((code) => context.taskTypes.has(code))) {
    problems.push({ field: 'taskType', message: searchMessages.taskTypeUnknown })
  }

  const from = checkDate(input.from)
  if (from.kind === 'missing') problems.push({ field: 'from', message: searchMessages.fromMissing })
  else if (from.kind === 'invalid') problems.push({ field: 'from', message: searchMessages.fromInvalid })
  else if (from.date < context.today) problems.push({ field: 'from', message: searchMessages.fromPast })

  const to = checkDate(input.to)
  if (to.kind === 'missing') problems.push({ field: 'to', message: searchMessages.toMissing })
  else if (to.kind === 'invalid') problems.push({ field: 'to', message: searchMessages.toInvalid })
  else if (from.kind === 'ok') {
    if (to.date < from.date) problems.push({ field: 'to', message: searchMessages.toBeforeFrom })
    else if (daysBetween(from.date, to.date) > context.maxDays) {
      problems.push({ field: 'to', message: searchMessages.tooLong(context.maxDays) })
    }
  }

  if (input.countries.length > MAX_COUNTRIES) {
    problems.push({ field: 'country', message: searchMessages.countryTooMany })
  } else if (!input.countries.every((code) => context.countries.has(code))) {
    problems.push({ field: 'country', message: searchMessages.countryUnknown })
  }

  if (input.location !== '' && !context.locations.has(input.location)) {
    problems.push({ field: 'location', message: searchMessages.locationUnknown(context.regionName) })
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
