/**
 * Which decisions a task's status allows. Any decision but the one the task
 * is already in, so that a caseworker can change a decision (and accept or
 * reject a task on hold); none once the rules have withdrawn it, as there
 * is nothing left to decide. The case page offers these, the decision pages
 * refuse the others, and a decision is only written to a task that allows
 * one (decisions.ts).
 */
import type { DecisionStatus, TaskStatus } from './task.ts'

/** The decisions a status allows: never the status itself, and none from WITHDRAWN. */
type AllowedFrom<S extends TaskStatus> = S extends 'WITHDRAWN'
  ? readonly []
  : readonly Exclude<DecisionStatus, S>[]

/** Each status with the decisions it allows. */
export const ALLOWED_DECISIONS: { readonly [S in TaskStatus]: AllowedFrom<S> } = {
  RECOMMENDED: ['ACCEPTED', 'REJECTED', 'ON_HOLD'],
  ACCEPTED: ['REJECTED', 'ON_HOLD'],
  REJECTED: ['ACCEPTED', 'ON_HOLD'],
  ON_HOLD: ['ACCEPTED', 'REJECTED'],
  WITHDRAWN: [],
}

export function allowsDecision(status: TaskStatus, decision: DecisionStatus): boolean {
  const allowed: readonly DecisionStatus[] = ALLOWED_DECISIONS[status]
  return allowed.includes(decision)
}

/** The statuses a decision can be written on: those that allow any. */
export const DECIDABLE_STATUSES: readonly TaskStatus[] = (
  Object.keys(ALLOWED_DECISIONS) as TaskStatus[]
).filter((status) => ALLOWED_DECISIONS[status].length > 0)
