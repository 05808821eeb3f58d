/**
 * Row types of the case data the importer writes: persons, their lists, and the imports themselves.
 */
import type { Generated } from 'kysely'
import type { IsoDateColumn, Timestamp, WithDefault } from './columns.ts'

export interface PersonRow {
  person_id: string
  home_office_reference: string
  family_name: string
  given_names: string
  date_of_birth: IsoDateColumn
  age_disputed: boolean
  gender: string
  nationality: string
  rom_region: string
  ice_region: string
  red_notice: string
  case_type: string
  immigration_status: string
  identified_for_removal: boolean
  voluntary_return_declined_on: IsoDateColumn | null
  travel_document: string
  travel_document_held_by: string | null
  travel_document_expiry: IsoDateColumn | null
  etd_status: string
  identity_status: string
  reporting_location: string
  reporting_type: string
  reporting_frequency: string
  next_reporting_date: IsoDateColumn | null
  next_reporting_date_2: IsoDateColumn | null
  next_reporting_date_3: IsoDateColumn | null
  last_attended: IsoDateColumn | null
  missed_events_90_days: number
  consecutive_missed: number
  compliance: string
  ever_out_of_contact: boolean
  whereabouts: string
  residence_condition: boolean
  electronic_monitoring: string
  curfew: boolean
  em_last_reviewed: IsoDateColumn | null
  foreign_national_offender: boolean
  longest_sentence_months: number | null
  harm_level: string
  deportation_order: boolean
  on_licence: boolean
  relationship: string
  primary_carer: boolean
  family_case: boolean
  adult_at_risk_level: number
  nrm_status: string
  self_harm_risk: boolean
  care_leaver: boolean
  pregnant: boolean
  em_contraindicated: boolean
  source_updated_at: Timestamp | null
  content_hash: string
  first_imported_at: Timestamp
  data_changed_at: Timestamp
  present: WithDefault<boolean>
}

export interface BarrierRow {
  person_id: string
  position: number
  type: string
  suspensive: boolean
  raised_on: IsoDateColumn
  resolved_on: IsoDateColumn | null
  owning_team: string
}

export interface OffenceRow {
  person_id: string
  position: number
  category: string
  convicted_on: IsoDateColumn
  sentence_months: number | null
}

export interface ChildRow {
  person_id: string
  position: number
  date_of_birth: IsoDateColumn
  british: boolean
  lives_with: boolean
}

export interface VulnerabilityIndicatorRow {
  person_id: string
  position: number
  type: string
  identified_on: IsoDateColumn
  response_recorded: boolean
}

export interface ReferralRow {
  person_id: string
  position: number
  business_area: string
  referred_on: IsoDateColumn
}

export interface ImportRow {
  id: Generated<number>
  file: string
  full_extract: boolean
  started_at: Timestamp
  finished_at: Timestamp | null
  status: 'RUNNING' | 'COMPLETED' | 'FAILED'
  records_read: WithDefault<number>
  inserted: WithDefault<number>
  updated: WithDefault<number>
  unchanged: WithDefault<number>
  rejected: WithDefault<number>
  marked_absent: WithDefault<number>
  failure: string | null
}

export interface ImportSeenRow {
  import_id: number
  person_id: string
  line: number
}
