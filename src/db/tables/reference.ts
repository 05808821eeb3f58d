/**
 * Row types of the reference tables: regions, locations, countries, business areas, task types, rejection reasons and working days.
 */
import type { IsoDateColumn, WithDefault } from './columns.ts'

export interface RomRegionRow {
  code: string
  name: string
  position: number
}

export interface IceRegionRow {
  code: string
  name: string
  position: number
}

export interface ReportingLocationRow {
  code: string
  name: string
  kind: 'REPORTING_CENTRE' | 'POLICE_STATION'
  rom_region: string
  active: WithDefault<boolean>
}

export interface CountryRow {
  code: string
  alpha2: string
  name: string
}

export interface BusinessAreaRow {
  code: string
  name: string
  short_name: string
}

export interface TaskTypeRow {
  code: string
  name: string
  description: string
  enforcement: boolean
  position: number
  active: WithDefault<boolean>
  /** Target time to a decision (migration 0021). */
  decide_within_working_days: WithDefault<number>
  decide_before_reporting_date: WithDefault<boolean>
}

/** Monday to Friday less bank holidays, numbered in order (migration 0021, src/db/working-days.ts). */
export interface WorkingDayRow {
  day: IsoDateColumn
  ordinal: number
}

export interface RejectionReasonRow {
  code: string
  label: string
  position: number
  raises_data_quality_item: WithDefault<boolean>
  explanation_required: WithDefault<boolean>
  active: WithDefault<boolean>
}
