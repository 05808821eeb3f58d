/**
 * What the case view reads about a task: the task with the names a page
 * needs, its history, and the rejection reasons a caseworker may choose
 * from. Every read of a task is scoped to the user's regions here, in the
 * query: a task in another region is exactly as absent as one that does not
 * exist. Each page of personal data shown is audited by open-case.ts.
 */
import { type Kysely, type QueryCreator, sql } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
import { type ReviewEvidence, reviewEvidenceOfTask } from '../tasks/review-evidence.ts'
import type { TaskStatus } from '../tasks/task.ts'

export interface TaskView {
  readonly id: number
  readonly personId: string
  readonly personName: string
  readonly homeOfficeReference: string
  readonly taskType: { readonly code: string; readonly name: string }
  readonly romRegion: string
  readonly reportingDate: IsoDate | null
  readonly status: TaskStatus
  /** The version a decision made on this page must name. */
  readonly version: number
  readonly ruleCode: string
  readonly ruleSetVersion: string
  /** As stored by a task made before explanations were derived: explanationForTask (src/rules/stored-explanation.ts) gives it in full. */
  readonly explanation: unknown
  /** What the explanation is derived from: the person's facts version and the day the rules ran on. */
  readonly factsVersion: string | null
  readonly evaluatedOn: IsoDate | null
  readonly createdAt: Date
  readonly statusChangedAt: Date
  /** Who made the last status change; null when the rules did. */
  readonly statusChangedBy: { readonly id: string; readonly name: string } | null
  /** Who is working the task (tasks/assignment.ts); null when nobody is. */
  readonly assignedTo: { readonly id: string; readonly name: string } | null
  /** When this service last saw the person's data change ("Why recommended" shows it beside the explanation). */
  readonly personDataChangedAt: Date
}

/** Whether `taskId` can name a task at all: anything else is not looked for. */
export function isTaskId(taskId: number): boolean {
  return Number.isSafeInteger(taskId) && taskId > 0
}

export async function findTaskView(
  db: Kysely<Tables>,
  taskId: number,
  scope: RegionScope,
): Promise<TaskView | undefined> {
  if (!isTaskId(taskId)) return undefined
  const row = await taskViewQuery(db, taskId, scope).executeTakeFirst()
  return row && toTaskView(row)
}

/**
 * The task with the names a page needs, if it is in the scope, as a query of
 * its own or part of a larger statement (open-case.ts records the opening
 * in the same one).
 */
export function taskViewQuery(db: QueryCreator<Tables>, taskId: number, scope: RegionScope) {
  return (
    db
      .selectFrom('tasks as t')
      .innerJoin('persons as p', 'p.person_id', 't.person_id')
      .innerJoin('task_types as tt', 'tt.code', 't.task_type')
      .leftJoin('users as u', 'u.id', 't.status_changed_by')
      .leftJoin('users as a', 'a.id', 't.assigned_to')
      .select([
        't.id',
        't.person_id',
        'p.given_names',
        'p.family_name',
        'p.home_office_reference',
        't.task_type',
        'tt.name as task_type_name',
        't.rom_region',
        't.reporting_date',
        't.status',
        't.version',
        't.rule_code',
        't.rule_set_version',
        't.explanation',
        sql<string | null>`t.facts_version::text`.as('facts_version'),
        sql<string | null>`t.evaluated_on::text`.as('evaluated_on'),
        't.created_at',
        't.status_changed_at',
        't.status_changed_by',
        'u.name as changed_by_name',
        't.assigned_to',
        'a.name as assignee_name',
        'p.data_changed_at',
      ])
      .where('t.id', '=', taskId)
      .where((eb) => inScope(eb, 't.rom_region', scope))
      // A person who has since moved to a region the user may not see stays hidden, task and all.
      .where((eb) => inScope(eb, 'p.rom_region', scope))
  )
}

/** A row of taskViewQuery as the pages use it. */
export type TaskViewRow = Awaited<ReturnType<ReturnType<typeof taskViewQuery>['executeTakeFirstOrThrow']>>

export function toTaskView(row: TaskViewRow): TaskView {
  return {
    id: row.id,
    personId: row.person_id,
    personName: `${row.given_names} ${row.family_name}`,
    homeOfficeReference: row.home_office_reference,
    taskType: { code: row.task_type, name: row.task_type_name },
    romRegion: row.rom_region,
    reportingDate: row.reporting_date as IsoDate | null,
    status: row.status,
    version: row.version,
    ruleCode: row.rule_code,
    ruleSetVersion: row.rule_set_version,
    explanation: row.explanation,
    factsVersion: row.facts_version,
    evaluatedOn: row.evaluated_on as IsoDate | null,
    createdAt: new Date(row.created_at),
    statusChangedAt: new Date(row.status_changed_at),
    statusChangedBy:
      row.status_changed_by === null
        ? null
        : { id: row.status_changed_by, name: row.changed_by_name ?? row.status_changed_by },
    assignedTo:
      row.assigned_to === null ? null : { id: row.assigned_to, name: row.assignee_name ?? row.assigned_to },
    personDataChangedAt: new Date(row.data_changed_at),
  }
}

export interface TaskHistoryEvent {
  readonly version: number
  readonly status: TaskStatus
  readonly occurredAt: Date
  /** The caseworker; null when a rule run made the change. */
  readonly user: { readonly id: string; readonly name: string } | null
  readonly ruleSetVersion: string | null
  readonly reasons: readonly { readonly code: string; readonly label: string }[]
  readonly details: string | null
  readonly note: string | null
  readonly checksConfirmed: boolean | null
  /** What the decider opened before deciding, and how long they took; null for the rules' changes. */
  readonly evidence: ReviewEvidence | null
}

/**
 * Every status change of the task, newest first (the order the MoJ timeline
 * reads). Only call it for a task already found with findTaskView, which
 * applies the region scope.
 */
export async function taskHistory(db: Kysely<Tables>, taskId: number): Promise<TaskHistoryEvent[]> {
  const [events, reasons, evidence] = await Promise.all([
    db
      .selectFrom('task_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .select([
        'e.task_version',
        'e.status',
        'e.occurred_at',
        'e.user_id',
        'u.name as user_name',
        'e.rule_set_version',
        'e.reasons',
        'e.details',
        'e.note',
        'e.checks_confirmed',
      ])
      .where('e.task_id', '=', taskId)
      .orderBy('e.task_version', 'desc')
      .execute(),
    db.selectFrom('rejection_reasons').select(['code', 'label']).execute(),
    reviewEvidenceOfTask(db, taskId),
  ])
  const labels = new Map(reasons.map((reason) => [reason.code, reason.label]))
  return events.map((e) => ({
    version: e.task_version,
    status: e.status,
    occurredAt: new Date(e.occurred_at),
    user: e.user_id === null ? null : { id: e.user_id, name: e.user_name ?? e.user_id },
    ruleSetVersion: e.rule_set_version,
    reasons: (e.reasons ?? []).map((code) => ({ code, label: labels.get(code) ?? code })),
    details: e.details,
    note: e.note,
    checksConfirmed: e.checks_confirmed,
    evidence: evidence.get(e.task_version) ?? null,
  }))
}

export interface RejectionReason {
  readonly code: string
  readonly label: string
  readonly explanationRequired: boolean
}

/** The reasons a caseworker may tick, in the MI report's order. */
export async function listRejectionReasons(db: Kysely<Tables>): Promise<RejectionReason[]> {
  const rows = await db
    .selectFrom('rejection_reasons')
    .select(['code', 'label', 'explanation_required'])
    .where('active', '=', true)
    .orderBy('position')
    .execute()
  return rows.map((row) => ({
    code: row.code,
    label: row.label,
    explanationRequired: row.explanation_required,
  }))
}

export interface AssignmentHistoryEvent {
  readonly kind: 'ASSIGNED' | 'UNASSIGNED' | 'DECIDED_WHILE_ASSIGNED'
  readonly occurredAt: Date
  readonly by: { readonly id: string; readonly name: string }
  /** Who has the task after the change (for a decision made anyway, who had it). */
  readonly assignee: { readonly id: string; readonly name: string } | null
  readonly previousAssignee: { readonly id: string; readonly name: string } | null
}

/**
 * Every change of who was working the task (tasks/assignment.ts), newest
 * first. Only call it for a task already found with findTaskView.
 */
export async function assignmentHistory(
  db: Kysely<Tables>,
  taskId: number,
): Promise<AssignmentHistoryEvent[]> {
  const rows = await db
    .selectFrom('task_assignments as a')
    .innerJoin('users as by', 'by.id', 'a.changed_by')
    .leftJoin('users as to', 'to.id', 'a.assignee')
    .leftJoin('users as from', 'from.id', 'a.previous_assignee')
    .select([
      'a.kind',
      'a.occurred_at',
      'a.changed_by',
      'by.name as by_name',
      'a.assignee',
      'to.name as assignee_name',
      'a.previous_assignee',
      'from.name as previous_name',
    ])
    .where('a.task_id', '=', taskId)
    .orderBy('a.id', 'desc')
    .execute()
  const person = (id: string | null, name: string | null) => (id === null ? null : { id, name: name ?? id })
  return rows.map((row) => ({
    kind: row.kind,
    occurredAt: new Date(row.occurred_at),
    by: { id: row.changed_by, name: row.by_name },
    assignee: person(row.assignee, row.assignee_name),
    previousAssignee: person(row.previous_assignee, row.previous_name),
  }))
}
