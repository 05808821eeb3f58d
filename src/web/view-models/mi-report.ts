/**
 * The MI report form: the From and To dates as GOV.UK date inputs, a region
 * choice for anyone who can see more than one region, the file format, and
 * the errors when a request could not be met.
 */
import type { RegionScope } from '../../access/region-scope.ts'
import type { DateFields } from '../../mi/report-request.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'
import {
  type DateInputItem,
  dateInputItems,
  type RomRegionOption,
  regionSelectItems,
  type SelectItem,
  visibleRegions,
} from './mi-filters.ts'

export interface MiReportFormValues {
  readonly from: DateFields
  readonly to: DateFields
  readonly region: string
  readonly format: string
}

export interface MiReportPage extends FormErrors {
  readonly fromItems: readonly DateInputItem[]
  readonly toItems: readonly DateInputItem[]
  /** Absent when the user sees one region only: the report is that region's. */
  readonly regionItems: readonly SelectItem[] | undefined
  /** The region the report covers, for someone who has no choice. */
  readonly regionName: string | undefined
  readonly formatItems: readonly { value: string; text: string; hint: { text: string }; checked: boolean }[]
  readonly maxDays: number
  /** Links to the other MI pages the user may open. */
  readonly otherPages: readonly { readonly href: string; readonly text: string }[]
}

const FIELD_IDS = { from: 'from-day', to: 'to-day', region: 'region', format: 'format' }

export const EMPTY_MI_FORM: MiReportFormValues = {
  from: { day: '', month: '', year: '' },
  to: { day: '', month: '', year: '' },
  region: '',
  format: '',
}

export function miReportPage(input: {
  readonly scope: RegionScope
  readonly regions: readonly RomRegionOption[]
  readonly values: MiReportFormValues
  readonly problems: readonly FormProblem[]
  readonly maxDays: number
  readonly otherPages: readonly { readonly href: string; readonly text: string }[]
}): MiReportPage {
  const errors = formErrors(input.problems, FIELD_IDS)
  const visible = visibleRegions(input.scope, input.regions)
  const choosing = visible.length > 1
  return {
    ...errors,
    fromItems: dateInputItems(input.values.from, errors.fieldErrors.from !== undefined),
    toItems: dateInputItems(input.values.to, errors.fieldErrors.to !== undefined),
    regionItems: choosing ? regionSelectItems(input.scope, input.regions, input.values.region) : undefined,
    regionName: choosing ? undefined : (visible[0]?.name ?? 'None'),
    formatItems: [
      {
        value: 'xlsx',
        text: 'Excel spreadsheet (.xlsx)',
        hint: { text: 'Header row frozen, with a filter on each column' },
        checked: input.values.format === 'xlsx',
      },
      {
        value: 'csv',
        text: 'CSV (comma-separated values)',
        hint: { text: 'Plain text: opens in any spreadsheet or analysis tool' },
        checked: input.values.format === 'csv',
      },
    ],
    maxDays: input.maxDays,
    otherPages: input.otherPages,
  }
}
