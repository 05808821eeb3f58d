/**
 * The date-range and region filters shared by the MI pages (data-quality
 * list, dashboard): read from the query string, defaulting to the last 28
 * days, and checked with the same rules and wording as the report.
 */
import { z } from 'zod'
import type { RegionScope } from '../../access/region-scope.ts'
import { addDays, type IsoDate } from '../../dates.ts'
import type { MiReportCriteria } from '../../mi/report-query.ts'
import { checkMiDateFields, type DateFields, fieldsOfDate } from '../../mi/report-request.ts'
import { miRequestMessage } from '../messages.ts'
import { type FormProblem, inWords } from './forms.ts'

export interface RomRegionOption {
  readonly code: string
  readonly name: string
}

export interface DateInputItem {
  readonly name: 'day' | 'month' | 'year'
  readonly label: string
  readonly value: string
  readonly classes: string
}

export interface SelectItem {
  readonly value: string
  readonly text: string
  readonly selected: boolean
}

/** The regions a user may choose from: every region for a national role, else their own. */
export function visibleRegions(scope: RegionScope, regions: readonly RomRegionOption[]): RomRegionOption[] {
  return regions.filter((region) => scope.all || scope.codes.includes(region.code))
}

// A field sent twice, or not at all, reads as empty and is reported as missing.
const text = z.string().catch('')

/** The date-range boxes and the region, as the MI forms send them (the report's download adds its format). */
export const miRangeQuery = z.object({
  'from-day': text,
  'from-month': text,
  'from-year': text,
  'to-day': text,
  'to-month': text,
  'to-year': text,
  region: text,
})
const filterQuery = miRangeQuery.extend({ taskType: text })

/** The two dates' boxes out of a parsed miRangeQuery. */
export function dateFieldsOf(q: z.infer<typeof miRangeQuery>): { from: DateFields; to: DateFields } {
  return {
    from: { day: q['from-day'], month: q['from-month'], year: q['from-year'] },
    to: { day: q['to-day'], month: q['to-month'], year: q['to-year'] },
  }
}

export const DEFAULT_MI_DAYS = 28

export interface MiFilterValues {
  readonly from: DateFields
  readonly to: DateFields
  readonly region: string
  readonly taskType: string
}

export type MiFilterResult =
  | { readonly ok: true; readonly values: MiFilterValues; readonly criteria: MiReportCriteria }
  | { readonly ok: false; readonly values: MiFilterValues; readonly problems: readonly FormProblem[] }

/** The filters as the query string carries them; with no dates given, the last 28 days up to today. */
export function readMiFilters(
  query: unknown,
  context: {
    readonly today: IsoDate
    readonly scope: RegionScope
    readonly maxDays: number
    readonly regionCodes: readonly string[]
  },
): MiFilterResult {
  const q = filterQuery.parse(query ?? {})
  const dateKeys = ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year'] as const
  const noDates = dateKeys.every((key) => q[key].trim() === '')
  const values: MiFilterValues = noDates
    ? {
        from: fieldsOfDate(addDays(context.today, 1 - DEFAULT_MI_DAYS)),
        to: fieldsOfDate(context.today),
        region: q.region,
        taskType: q.taskType,
      }
    : { ...dateFieldsOf(q), region: q.region, taskType: q.taskType }
  const range = checkMiDateFields(values, context.scope, context.maxDays, context.regionCodes)
  return range.ok
    ? { ok: true, values, criteria: range.criteria }
    : { ok: false, values, problems: inWords(range.problems, miRequestMessage) }
}

/** The query string that reproduces these filters (for the CSV link). */
export function filterQueryOf(values: MiFilterValues): Record<string, string> {
  return {
    'from-day': values.from.day,
    'from-month': values.from.month,
    'from-year': values.from.year,
    'to-day': values.to.day,
    'to-month': values.to.month,
    'to-year': values.to.year,
    ...(values.region ? { region: values.region } : {}),
    ...(values.taskType ? { taskType: values.taskType } : {}),
  }
}

export function dateInputItems(fields: DateFields, hasError: boolean): DateInputItem[] {
  const error = hasError ? ' govuk-input--error' : ''
  return [
    { name: 'day', label: 'Day', value: fields.day, classes: `govuk-input--width-2${error}` },
    { name: 'month', label: 'Month', value: fields.month, classes: `govuk-input--width-2${error}` },
    { name: 'year', label: 'Year', value: fields.year, classes: `govuk-input--width-4${error}` },
  ]
}

/** A region choice for someone who sees more than one region; undefined otherwise. */
export function regionSelectItems(
  scope: RegionScope,
  regions: readonly RomRegionOption[],
  chosen: string,
): SelectItem[] | undefined {
  const visible = visibleRegions(scope, regions)
  if (visible.length <= 1) return undefined
  return [
    { value: '', text: scope.all ? 'All regions' : 'All my regions', selected: chosen === '' },
    ...visible.map((region) => ({ value: region.code, text: region.name, selected: region.code === chosen })),
  ]
}
