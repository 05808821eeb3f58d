/**
 * Row types of every table, as Kysely sees them. Dates are ISO strings and
 * int8 values numbers on both databases (see connect.ts).
 */
import type { ColumnType, Generated } from 'kysely'

type IsoDateColumn = string
type Timestamp = ColumnType<Date, Date | string, Date | string>
type WithDefault<T> = ColumnType<T, T | undefined, T>

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

export interface UserRow {
  id: string
  name: string
  email: string | null
  roles: string[]
  regions: WithDefault<string[]>
  all_regions: WithDefault<boolean>
  password_hash: string | null
  active: WithDefault<boolean>
  created_at: WithDefault<Timestamp>
  /** Raised by every change: a form that changes the user carries the version it was filled in against. */
  version: WithDefault<number>
  updated_at: WithDefault<Timestamp>
}

export interface SessionRow {
  id: string
  data: unknown
  expires_at: Timestamp
}

export interface RuleSetRow {
  version: string
  loaded_at: Timestamp
  /** The rule files as they were when this version ran: [{ name, content }]. */
  files: ColumnType<RuleSetFile[], string, string>
}

export interface RuleSetFile {
  name: string
  content: string
}

/**
 * A rule-set version allowed to run (migration 0018): published with its
 * impact report, or recorded as having run before publication records began.
 * The check constraint keeps the columns of each basis together.
 */
export interface RuleSetPublicationRow {
  version: string
  basis: 'published' | 'before-records'
  published_at: Timestamp
  published_from: string | null
  published_by: string | null
  notes: string | null
  files: ColumnType<RuleSetFile[] | null, string | null, never>
  impact: ColumnType<unknown, string | null, never>
}

export type RuleRunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED'

export interface RuleRunRow {
  id: Generated<number>
  rule_set_version: string
  trigger: string
  started_at: Timestamp
  finished_at: Timestamp | null
  status: RuleRunStatus
  persons_evaluated: number | null
  /** Per task type and region: see RunCount in src/rules/run-counts.ts. */
  counts: ColumnType<unknown, string | null, string | null> | null
  failure: string | null
  /** The London date the rules were evaluated on (their "today"). */
  evaluated_on: string | null
  /** The snapshot the run read persons in (pg_snapshot as text): see src/tasks/run-scope.ts. */
  snapshot: string | null
  server_started_at: Timestamp | null
  /** 'full' or 'incremental', and why (see src/tasks/run-scope.ts). */
  scope: string | null
  scope_reason: string | null
}

export type TaskStatus = 'RECOMMENDED' | 'ACCEPTED' | 'REJECTED' | 'ON_HOLD' | 'WITHDRAWN'

export interface TaskRow {
  id: Generated<number>
  person_id: string
  task_type: string
  rom_region: string
  reporting_date: IsoDateColumn | null
  priority: number
  status: TaskStatus
  version: WithDefault<number>
  rule_code: string
  rule_set_version: string
  explanation: ColumnType<unknown, string, string>
  created_at: Timestamp
  created_by_run: number | null
  status_changed_at: Timestamp
  status_changed_by: string | null
  /** The user working the task; null when nobody is (migration 0020). */
  assigned_to: WithDefault<string | null>
  assigned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export type AssignmentKind = 'ASSIGNED' | 'UNASSIGNED' | 'DECIDED_WHILE_ASSIGNED'

/** Append-only history of who a task was assigned to (migration 0020). */
export interface TaskAssignmentRow {
  id: Generated<number>
  task_id: number
  task_version: number
  kind: AssignmentKind
  occurred_at: Timestamp
  assignee: string | null
  previous_assignee: string | null
  changed_by: string
}

/** Append-only: rows are inserted, never updated or deleted (a trigger enforces it). */
export interface TaskEventRow {
  id: Generated<number>
  task_id: number
  task_version: number
  status: TaskStatus
  occurred_at: Timestamp
  user_id: string | null
  run_id: number | null
  rule_set_version: string | null
  reasons: string[] | null
  details: string | null
  note: string | null
  checks_confirmed: boolean | null
}

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
  review_evidence: ReviewEvidenceRow
}

/** Evidence of review recorded with each decision (append-only; migration 0015). */
export interface ReviewEvidenceRow {
  task_event_id: number
  task_id: number
  user_id: string
  status: Extract<TaskStatus, 'ACCEPTED' | 'REJECTED' | 'ON_HOLD'>
  decided_at: Timestamp
  rule_set_version: string
  rule_code: string
  sections_opened: string[]
  why_recommended_opened: boolean
  first_opened_at: Timestamp | null
  seconds_to_decision: number | null
  own_words: string | null
}

/** Each time a user opened a task's case (append-only). */
export interface CaseOpeningRow {
  id: Generated<number>
  task_id: number
  user_id: string
  opened_at: Timestamp
}

/**
 * The audit trail (append-only; see migration 0014 and src/audit/events.ts,
 * which gives each kind its details).
 */
export interface AuditEventRow {
  id: Generated<number>
  at: Timestamp
  /** Who acted: null for a command, or a failed sign-in with an ID that names nobody. */
  user_id: string | null
  kind: string
  person_id: string | null
  task_id: number | null
  /** The user a change was made to. */
  subject_user_id: string | null
  details: ColumnType<unknown, string, never>
}

/** The audit of MI downloads (see migrations 0006 and 0009). */
export interface MiDownloadRow {
  id: Generated<number>
  user_id: string
  /** Which file: the MI report, or the data-quality list's CSV. */
  kind: Generated<'REPORT' | 'DATA_QUALITY'>
  started_at: Timestamp
  regions: string[]
  all_regions: boolean
  from_date: IsoDateColumn
  to_date: IsoDateColumn
  format: 'xlsx' | 'csv'
  finished_at: Timestamp | null
  outcome: 'COMPLETED' | 'ABORTED' | 'FAILED' | null
  rows: number | null
}

/** Sign-in attempts that count against an ID and an address (see migrations 0010 and 0012). */
export interface SignInAttemptRow {
  id: Generated<number>
  user_id: string
  address: string
  attempted_at: Timestamp
  /** PENDING while its password is being checked; FAILED once it was wrong. */
  outcome: 'PENDING' | 'FAILED'
}

/** Representations or a contest about a decided task, and its review (migration 0016): the outcome is written once. */
export interface ContestRow {
  id: Generated<number>
  task_id: number
  person_id: string
  rom_region: string
  received_on: IsoDateColumn
  channel: string
  made_by: string
  summary: string
  recorded_at: Timestamp
  recorded_by: string
  contested_version: number
  contested_status: 'ACCEPTED' | 'REJECTED'
  original_decider: string
  assigned_to: string | null
  outcome: 'UPHELD' | 'CHANGED' | null
  outcome_reasons: string | null
  decided_at: Timestamp | null
  decided_by: string | null
  changed_task_version: number | null
}
