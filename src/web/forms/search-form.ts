/**
 * The search for tasks as HTTP carries it. The same search arrives in two
 * shapes: from the search form (each date as day, month and year fields, named
 * as the GOV.UK date input names them) and from a results URL (each date as
 * one YYYY-MM-DD value), so that a results page can be bookmarked and shared.
 * Both become the domain's `SearchInput`, which keeps exactly what the user
 * typed so that a form with errors can show it again.
 */
import { z } from 'zod'
import type { DateParts, SearchInput, TaskSearch } from '../../review/search.ts'

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
