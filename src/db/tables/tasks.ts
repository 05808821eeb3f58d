/**
 * Row types of the rules and the work: rule sets and their publication, rule runs, tasks, their events, assignments, evidence of review and contests.
 */
import type { ColumnType, Generated } from 'kysely'
import type { IsoDateColumn, Timestamp, WithDefault } from './columns.ts'

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
  /** The explanation as stored by tasks made before migration 0027; null for a task made since. */
  explanation: ColumnType<unknown, string | null | undefined, string | null>
  /** The version of the person's facts the task was recommended on (person_facts_history); null for a hand-made task. */
  facts_version: ColumnType<string | null, string | number | null | undefined, string | number | null>
  /** The day the rules were evaluated on when the task was recommended or last re-prioritised. */
  evaluated_on: ColumnType<IsoDateColumn | null, string | null | undefined, string | null>
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

/**
 * A contest recorded or decided, as a decision event (migration 0028): its
 * ID from task_events' sequence and its transaction's ID, so that the
 * sequencer orders it with the task's status changes.
 */
export interface ContestEventRow {
  id: Generated<number>
  xid: Generated<number>
  task_id: number
  contest_id: number
  change: 'CONTESTED' | 'CONTEST_DECIDED'
  /** The task's version and status when the contest was recorded or decided. */
  task_version: number
  task_status: TaskStatus
  occurred_at: Timestamp
  user_id: string
}
