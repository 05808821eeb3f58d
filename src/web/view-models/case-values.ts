/**
 * How the case view writes values: dates as "25 July 2018", booleans as
 * "Yes"/"No", coded values as their labels, and a missing value as "Not
 * recorded", shared by every section of the case view.
 */
import { formatLongDate, type IsoDate } from '../../dates.ts'

export const NOT_RECORDED = 'Not recorded'

export interface SummaryRow {
  readonly key: { readonly text: string }
  readonly value: { readonly text: string }
}

export interface TableView {
  readonly caption: string
  readonly head: readonly { readonly text: string }[]
  readonly rows: readonly (readonly { readonly text: string }[])[]
  /** Shown instead of the table when it has no rows. */
  readonly emptyText: string
}

export function dateText(date: IsoDate | string | null | undefined): string {
  return date ? formatLongDate(date as IsoDate) : NOT_RECORDED
}

export function yesNo(value: boolean | null | undefined): string {
  return value === null || value === undefined ? NOT_RECORDED : value ? 'Yes' : 'No'
}

/** A coded value's label; the code itself if the list does not know it (never hide data). */
export function labelOf(
  list: { readonly labels: Readonly<Record<string, string>> },
  code: string | null,
): string {
  if (code === null || code === '') return NOT_RECORDED
  return list.labels[code] ?? code
}

export function numberText(value: number | null): string {
  return value === null ? NOT_RECORDED : String(value)
}

export function row(key: string, value: string): SummaryRow {
  return { key: { text: key }, value: { text: value } }
}
