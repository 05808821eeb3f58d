/**
 * Row types of every table, as Kysely sees them. Dates are ISO strings and
 * int8 values numbers on both databases (see connect.ts). Each area's rows
 * are in src/db/tables/; this module puts them together and is the one the
 * rest of the service imports.
 */

import type {
  ApiClientRow,
  ApiTokenKeyRow,
  AuditEventRow,
  CaseOpeningRow,
  MiDownloadRow,
  SessionRow,
  SignInAttemptRow,
  UserRow,
} from './tables/access.ts'
import type {
  BarrierRow,
  ChildRow,
  ImportRow,
  ImportSeenRow,
  OffenceRow,
  PersonRow,
  ReferralRow,
  VulnerabilityIndicatorRow,
} from './tables/cases.ts'
import type {
  BusinessAreaRow,
  CountryRow,
  IceRegionRow,
  RejectionReasonRow,
  ReportingLocationRow,
  RomRegionRow,
  TaskTypeRow,
  WorkingDayRow,
} from './tables/reference.ts'
import type {
  ContestEventRow,
  ContestRow,
  ReviewEvidenceRow,
  RuleRunRow,
  RuleSetPublicationRow,
  RuleSetRow,
  TaskAssignmentRow,
  TaskEventRow,
  TaskRow,
} from './tables/tasks.ts'

export type * from './tables/access.ts'
export type * from './tables/cases.ts'
export type * from './tables/reference.ts'
export type * from './tables/tasks.ts'

export interface Tables {
  rom_regions: RomRegionRow
  ice_regions: IceRegionRow
  reporting_locations: ReportingLocationRow
  countries: CountryRow
  business_areas: BusinessAreaRow
  task_types: TaskTypeRow
  rejection_reasons: RejectionReasonRow
  persons: PersonRow
  barriers: BarrierRow
  offences: OffenceRow
  children: ChildRow
  vulnerability_indicators: VulnerabilityIndicatorRow
  referrals: ReferralRow
  imports: ImportRow
  import_seen: ImportSeenRow
  users: UserRow
  sessions: SessionRow
  rule_sets: RuleSetRow
  rule_set_publications: RuleSetPublicationRow
  rule_runs: RuleRunRow
  tasks: TaskRow
  task_events: TaskEventRow
  task_assignments: TaskAssignmentRow
  working_days: WorkingDayRow
  case_openings: CaseOpeningRow
  mi_downloads: MiDownloadRow
  sign_in_attempts: SignInAttemptRow
  audit_events: AuditEventRow
  contests: ContestRow
  contest_events: ContestEventRow
  review_evidence: ReviewEvidenceRow
  api_clients: ApiClientRow
  api_token_keys: ApiTokenKeyRow
}
