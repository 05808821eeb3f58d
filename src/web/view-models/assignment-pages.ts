/**
 * The pages of assignment: what a change from a list did to each task
 * ticked ("3 changed; 2 not changed", naming the two and why), and "My
 * tasks".
 */
import { formatLongDate } from '../../dates.ts'
import { MY_TASKS_LIMIT, type MyTask } from '../../review/my-tasks.ts'
import type { AssignmentResult } from '../../tasks/assignment.ts'
import { paths } from '../paths.ts'
import { escapeAsTemplates, govukTableMarkup } from '../templates/table-markup.ts'
import { assignmentRefusal } from './assignment.ts'
import { statusTag } from './case.ts'
import type { ErrorSummaryItem } from './forms.ts'
import { formatPriority } from './review.ts'

export interface AssignmentSummary {
  readonly pageTitle: string
  readonly changedCount: number
  readonly refusedCount: number
  /** "2 tasks changed", or null when none was. */
  readonly changedText: string | null
  /** Each task left as it was, with why. */
  readonly refused: readonly {
    readonly name: string
    readonly href: string | null
    readonly reason: string
  }[]
  readonly errors: readonly ErrorSummaryItem[]
}

function tasksWord(count: number): string {
  return count === 1 ? '1 task' : `${count} tasks`
}

/** What a change from a list did to one task: changed, or left as it was and why. */
export type TaskOutcome =
  | { readonly taskId: number; readonly changed: true }
  | {
      readonly taskId: number
      readonly changed: false
      readonly reason: string
      /** False for a task not found in the user's regions: named by its number, not linked. */
      readonly found: boolean
    }

/** "2 tasks changed" and the tasks left as they were, named, each with why. */
export function changeSummary(
  outcomes: readonly TaskOutcome[],
  names: ReadonlyMap<number, string>,
  changedWords: (count: string) => string,
): AssignmentSummary {
  const changedCount = outcomes.filter((outcome) => outcome.changed).length
  const refused = outcomes.flatMap((outcome) =>
    outcome.changed
      ? []
      : [
          {
            name: names.get(outcome.taskId) ?? `Task ${outcome.taskId}`,
            href: outcome.found ? paths.task(outcome.taskId) : null,
            reason: outcome.reason,
          },
        ],
  )
  return {
    pageTitle: refused.length > 0 ? 'Some tasks were not changed' : changedWords(tasksWord(changedCount)),
    changedCount,
    refusedCount: refused.length,
    changedText: changedCount > 0 ? changedWords(tasksWord(changedCount)) : null,
    refused,
    errors: refused.map((task) => ({ text: `${task.name}: ${task.reason}`, href: '#not-changed' })),
  }
}

export function assignmentSummary(
  results: readonly AssignmentResult[],
  names: ReadonlyMap<number, string>,
): AssignmentSummary {
  return changeSummary(
    results.map((result) =>
      result.kind === 'changed'
        ? { taskId: result.taskId, changed: true }
        : {
            taskId: result.taskId,
            changed: false,
            reason: assignmentRefusal(result),
            found: result.kind !== 'not-found',
          },
    ),
    names,
    (count) => `${count} changed`,
  )
}

export interface MyTasksPage {
  readonly count: number
  readonly moreThanShown: boolean
  readonly table: string
}

export function myTasksTable(
  tasks: readonly MyTask[],
  regionNames: ReadonlyMap<string, string>,
): MyTasksPage {
  const shown = tasks.slice(0, MY_TASKS_LIMIT)
  return {
    count: shown.length,
    moreThanShown: tasks.length > MY_TASKS_LIMIT,
    table: govukTableMarkup({
      caption: 'Tasks assigned to you',
      captionClasses: 'govuk-visually-hidden',
      head: [
        { text: 'Name' },
        { text: 'Task type' },
        { text: 'Reporting date' },
        { text: 'Region' },
        { text: 'Status' },
        { text: 'Priority', format: 'numeric' },
      ],
      rows: shown.map((task) => {
        const tag = statusTag(task.status)
        return [
          {
            html: `<a class="govuk-link" href="${paths.task(task.taskId)}">${escapeAsTemplates(task.name)}</a>`,
          },
          { text: task.taskType },
          { text: task.reportingDate ? formatLongDate(task.reportingDate) : 'Not known' },
          { text: regionNames.get(task.region) ?? task.region },
          { html: `<strong class="govuk-tag ${tag.classes}">${escapeAsTemplates(tag.text)}</strong>` },
          { text: formatPriority(task.priority), format: 'numeric' },
        ]
      }),
    }),
  }
}
