/**
 * Who is working a task, as the case pages and the lists show it, and the
 * words for an assignment that was refused or for what a change from the
 * list did to each task ticked.
 */
import type { AssignmentHistoryEvent, TaskView } from '../../review/task-view.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import type { AssignmentProblemCode, AssignmentResult } from '../../tasks/assignment.ts'
import { paths } from '../paths.ts'
import type { TimelineItem } from './case-history.ts'

export interface CaseAssignment {
  /** "You", a person's name, or "Nobody". */
  readonly assignedTo: string
  readonly formAction: string
  readonly version: number
  /** The buttons the user may press: value is the form's `action`. */
  readonly buttons: readonly { readonly text: string; readonly value: 'assign-to-me' | 'unassign' }[]
}

/** Who may do what to an open task's assignment: see tasks/assignment.ts for the rules the service applies. */
export function caseAssignment(input: {
  readonly task: Pick<TaskView, 'id' | 'status' | 'version' | 'assignedTo'>
  readonly userId: string
  readonly mayAssign: boolean
  readonly mayAssignOthers: boolean
  readonly backParam: string | undefined
}): CaseAssignment | undefined {
  const { task, userId } = input
  // Only open tasks are worked; a decided task's assignee is part of its history.
  if (task.status !== 'RECOMMENDED' && task.status !== 'ON_HOLD') return undefined
  const assignee = task.assignedTo
  const mine = assignee?.id === userId
  const buttons: CaseAssignment['buttons'][number][] = []
  if (input.mayAssign) {
    if (!mine && (assignee === null || input.mayAssignOthers)) {
      buttons.push({ text: 'Assign to me', value: 'assign-to-me' })
    }
    if (assignee !== null && (mine || input.mayAssignOthers))
      buttons.push({ text: 'Unassign', value: 'unassign' })
  }
  return {
    assignedTo: assignee === null ? 'Nobody' : mine ? 'You' : assignee.name,
    formAction: paths.taskAssignment(task.id, input.backParam),
    version: task.version,
    buttons,
  }
}

/** Why an assignment was not made, in words. */
export function assignmentRefusal(result: Exclude<AssignmentResult, { kind: 'changed' }>): string {
  switch (result.kind) {
    case 'stale':
      return 'The task was changed by someone else after you opened it: nothing was changed'
    case 'not-found':
      return 'There is no such task in your regions'
    case 'refused':
      return refusalWords(result.code, result.assigneeName)
  }
}

function refusalWords(code: AssignmentProblemCode, assigneeName: string | undefined): string {
  switch (code) {
    case 'taskNotOpen':
      return 'The task has been decided or withdrawn: only recommended tasks and tasks on hold are assigned'
    case 'assigneeNotEligible':
      return 'Select a caseworker who works in the task’s region'
    case 'assignedToSomeoneElse':
      return `The task is assigned to ${assigneeName ?? 'someone else'}: ask a manager to reassign it`
    case 'mayNotAssignOthers':
      return 'Only a manager can assign tasks to someone else'
    case 'unchanged':
      return 'The task was already assigned that way'
  }
}

/** The task's assignment changes as History timeline items, to merge with its decisions. */
export function assignmentTimeline(events: readonly AssignmentHistoryEvent[]): TimelineItem[] {
  return events.map((event) => {
    const lines: string[] = []
    let title: string
    switch (event.kind) {
      case 'ASSIGNED':
        title = `Assigned to ${event.assignee?.name ?? 'someone'}`
        if (event.previousAssignee) lines.push(`Previously assigned to ${event.previousAssignee.name}`)
        break
      case 'UNASSIGNED':
        title = 'Unassigned'
        if (event.previousAssignee) lines.push(`Was assigned to ${event.previousAssignee.name}`)
        break
      case 'DECIDED_WHILE_ASSIGNED':
        title = `Decided while assigned to ${event.assignee?.name ?? 'someone else'}`
        lines.push(`${event.by.name} confirmed they wanted to decide it anyway`)
        break
    }
    return {
      title,
      byline: event.by.name,
      datetime: event.occurredAt.toISOString(),
      when: formatTimeOnDate(event.occurredAt),
      lines,
    }
  })
}
