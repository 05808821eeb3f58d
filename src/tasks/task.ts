/**
 * A task: one recommendation for one person, and where it stands. The rules
 * create tasks (status RECOMMENDED); caseworkers decide them; a later run may
 * withdraw a recommendation nobody has decided yet. Every status change also
 * appends a task_events row (see task-events.ts).
 */
import type { Selectable } from 'kysely'
import type { IsoDate } from '../dates.ts'
import type { TaskRow, TaskStatus } from '../db/tables.ts'

export type { TaskStatus }

/** The statuses a caseworker can set. */
export type DecisionStatus = Extract<TaskStatus, 'ACCEPTED' | 'REJECTED' | 'ON_HOLD'>

/** A task nobody has closed: the rules leave it alone while it is open, and never recommend it twice. */
export const OPEN_STATUSES: readonly TaskStatus[] = ['RECOMMENDED', 'ON_HOLD']

export interface Task {
  readonly id: number
  readonly personId: string
  readonly taskType: string
  readonly romRegion: string
  readonly reportingDate: IsoDate | null
  readonly priority: number
  readonly status: TaskStatus
  /** Goes up by one on every status change; a decision must name the version it was made on. */
  readonly version: number
  readonly ruleCode: string
  readonly ruleSetVersion: string
  /**
   * Why the rules recommended it, as stored: usually the compact form;
   * explanationForTask (src/rules/stored-explanation.ts) gives it in full.
   */
  readonly explanation: unknown
  readonly createdAt: Date
  readonly createdByRun: number | null
  readonly statusChangedAt: Date
  /** The user who made the last status change; null when it was the rules. */
  readonly statusChangedBy: string | null
}

export function toTask(row: Selectable<TaskRow>): Task {
  return {
    id: row.id,
    personId: row.person_id,
    taskType: row.task_type,
    romRegion: row.rom_region,
    reportingDate: row.reporting_date as IsoDate | null,
    priority: row.priority,
    status: row.status,
    version: row.version,
    ruleCode: row.rule_code,
    ruleSetVersion: row.rule_set_version,
    explanation: row.explanation,
    createdAt: new Date(row.created_at),
    createdByRun: row.created_by_run,
    statusChangedAt: new Date(row.status_changed_at),
    statusChangedBy: row.status_changed_by,
  }
}
