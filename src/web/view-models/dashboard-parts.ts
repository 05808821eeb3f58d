/**
 * The parts every dashboard section is made of, and how a rate is shown:
 * kept apart from the dashboard page so that each section's module
 * (contests, evidence of review) and the page can share them.
 */
import type { DecisionsOf } from '../../mi/decision-list.ts'

/** The address of the decisions behind a user's or a rule version's figures, in the dashboard's range and filters. */
export type DecisionsHref = (of: DecisionsOf) => string

export type Cell =
  | { readonly text: string; readonly format?: 'numeric'; readonly colspan?: number }
  | { readonly html: string; readonly format?: 'numeric'; readonly colspan?: number }

export interface DashboardTable {
  readonly caption: string
  readonly head: readonly Cell[]
  readonly rows: readonly (readonly Cell[])[]
}

export interface DashboardSection {
  readonly id: string
  readonly heading: string
  readonly text: string | undefined
  /** Server-drawn SVG markup (every label escaped). */
  readonly svg: string | undefined
  readonly tables: readonly DashboardTable[]
}

export function percent(rate: number | null): string {
  if (rate === null) return '–'
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}
