/**
 * The data-quality list page: filters, and a table of rejections that say
 * the source data is wrong, with the person, the explanation and who said so.
 */
import type { RegionScope } from '../../access/region-scope.ts'
import type { DataQualityItem } from '../../mi/data-quality.ts'
import { miText } from '../../mi/report-columns.ts'
import { neutraliseFormula } from '../../mi/report-files.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { paths } from '../paths.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'
import {
  type DateInputItem,
  dateInputItems,
  filterQueryOf,
  type MiFilterValues,
  type RomRegionOption,
  regionSelectItems,
  type SelectItem,
} from './mi-filters.ts'

type Cell = { readonly text: string } | { readonly html: string }

export interface DataQualityPage extends FormErrors {
  readonly fromItems: readonly DateInputItem[]
  readonly toItems: readonly DateInputItem[]
  readonly regionItems: readonly SelectItem[] | undefined
  readonly rows: readonly (readonly Cell[])[]
  readonly count: number
  /** The CSV of exactly what the page lists; absent while the filters have errors. */
  readonly csvHref: string | undefined
}

const FIELD_IDS = { from: 'from-day', to: 'to-day', region: 'region' }

const STATUS_WORDS: Record<DataQualityItem['currentStatus'], string> = {
  RECOMMENDED: 'Recommended',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  ON_HOLD: 'On hold',
  WITHDRAWN: 'Withdrawn',
}

export function dataQualityRow(item: DataQualityItem): Cell[] {
  return [
    { text: formatTimeOnDate(item.rejectedAt) },
    { text: `${item.fullName} (${item.personId}, ${item.homeOfficeReference})` },
    { text: item.taskType },
    { text: item.region },
    { text: item.reasons.join('; ') },
    { text: item.explanation },
    { text: item.rejectedByName ? `${item.rejectedByName} (${item.rejectedBy})` : item.rejectedBy },
    { text: STATUS_WORDS[item.currentStatus] },
  ]
}

export const DATA_QUALITY_CSV_HEADER = [
  'Rejected On',
  'Person ID',
  'HO ID',
  'Full Name',
  'Intervention Type',
  'ROM Region',
  'Data-quality Reasons',
  'Rejection Explanation',
  'Rejected By',
  'Status Now',
] as const

/**
 * One rejection as CSV fields. Every field is made safe from being run as a
 * formula, not only the explanation: names and references come from the
 * extract and the user's name from whoever added them.
 */
export function dataQualityCsvRecord(item: DataQualityItem): string[] {
  return [
    miText('dateTime', item.rejectedOn),
    item.personId,
    item.homeOfficeReference,
    item.fullName,
    item.taskType,
    item.region,
    item.reasons.join('; '),
    item.explanation,
    item.rejectedBy,
    STATUS_WORDS[item.currentStatus],
  ].map(neutraliseFormula)
}

export function dataQualityPage(input: {
  readonly scope: RegionScope
  readonly regions: readonly RomRegionOption[]
  readonly values: MiFilterValues
  readonly problems: readonly FormProblem[]
  readonly items: readonly DataQualityItem[]
}): DataQualityPage {
  const errors = formErrors(input.problems, FIELD_IDS)
  return {
    ...errors,
    fromItems: dateInputItems(input.values.from, errors.fieldErrors.from !== undefined),
    toItems: dateInputItems(input.values.to, errors.fieldErrors.to !== undefined),
    regionItems: regionSelectItems(input.scope, input.regions, input.values.region),
    rows: input.items.map(dataQualityRow),
    count: input.items.length,
    csvHref:
      input.problems.length === 0 ? paths.miDataQuality('csv', filterQueryOf(input.values)) : undefined,
  }
}
