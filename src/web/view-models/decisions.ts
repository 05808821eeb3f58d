/**
 * The accept, reject and place-on-hold forms, and the confirmation after
 * each. Problems from the decision service are put into words (messages.ts)
 * and tied to the field to fix; the user's input is always shown back, so
 * nothing they typed or ticked is lost.
 */
import type { RejectionReason } from '../../review/task-view.ts'
import {
  type AcceptNotePolicy,
  type DecisionField,
  type DecisionProblem,
  MAX_DETAILS_LENGTH,
  MAX_NOTE_LENGTH,
} from '../../tasks/decisions.ts'
import type { DecisionAction } from '../case/sections.ts'
import { decisionMessage } from '../messages.ts'
import { paths, type ReviewTab } from '../paths.ts'
import type { CaseFrame } from './case.ts'
import { type FormErrors, type FormProblem, formErrors, inWords } from './forms.ts'

/** What the user entered, as it should be shown back. */
export interface DecisionInput {
  readonly reasons: readonly string[]
  readonly details: string
  readonly note: string
  /** What the caseworker says they checked before accepting. */
  readonly acceptNote: string
  readonly checksConfirmed: boolean
  /** The caseworker confirmed deciding a task assigned to someone else. */
  readonly decideAnyway: boolean
}

export const EMPTY_DECISION_INPUT: DecisionInput = {
  reasons: [],
  details: '',
  note: '',
  acceptNote: '',
  checksConfirmed: false,
  decideAnyway: false,
}

/** The HTML id of each field's first input, for the error summary's links. */
export const DECISION_FIELD_IDS: Readonly<Record<DecisionField, string>> = {
  reasons: 'reasons',
  details: 'details',
  note: 'note',
  acceptNote: 'acceptNote',
  checksConfirmed: 'checksConfirmed',
  decideAnyway: 'decideAnyway',
  decision: 'decision-form',
  version: 'decision-form',
}

export function decisionProblems(problems: readonly DecisionProblem[]): FormProblem[] {
  return inWords(problems, decisionMessage)
}

const TITLES: Record<DecisionAction, string> = {
  accept: 'Accept task',
  reject: 'Reject task',
  hold: 'Place on hold',
}

export interface DecisionPage extends FormErrors {
  readonly pageTitle: string
  readonly action: DecisionAction
  readonly frame: CaseFrame
  readonly formAction: string
  readonly cancelHref: string
  readonly version: number
  readonly caseManagementSystem: string
  readonly maxDetailsLength: number
  readonly maxNoteLength: number
  /** Whether the accept form's "What did you check?" must be answered (IPIC_ACCEPT_NOTE). */
  readonly acceptNoteRequired: boolean
  readonly reasonItems: readonly {
    readonly value: string
    readonly text: string
    readonly checked: boolean
  }[]
  readonly input: DecisionInput
  /** "This task is assigned to … — decide anyway?": the other person's name, when someone else is working the task. */
  readonly assignedToSomeoneElse: string | null
}

export function decisionPage(input: {
  readonly action: DecisionAction
  readonly frame: CaseFrame
  readonly backParam: string | undefined
  /** The version the form was first shown with: a refused decision keeps it, so it is refused again until the user looks. */
  readonly version: number
  readonly caseManagementSystem: string
  readonly acceptNote?: AcceptNotePolicy
  readonly reasons: readonly RejectionReason[]
  readonly input?: DecisionInput
  readonly problems?: readonly FormProblem[]
  /** A refusal that is about the task, not a field (a stale version): links to the case. */
  readonly refusal?: string
}): DecisionPage {
  const taskId = input.frame.task.id
  const entered = input.input ?? EMPTY_DECISION_INPUT
  const errors = formErrors(input.problems ?? [], DECISION_FIELD_IDS)
  const refusal = input.refusal ? [{ text: input.refusal, href: paths.task(taskId, input.backParam) }] : []
  return {
    pageTitle: `${TITLES[input.action]} – ${input.frame.task.personName}`,
    action: input.action,
    frame: input.frame,
    formAction: paths.taskDecision(taskId, input.action, input.backParam),
    cancelHref: paths.task(taskId, input.backParam),
    version: input.version,
    caseManagementSystem: input.caseManagementSystem,
    maxDetailsLength: MAX_DETAILS_LENGTH,
    maxNoteLength: MAX_NOTE_LENGTH,
    acceptNoteRequired: input.acceptNote === 'required',
    reasonItems: input.reasons.map((reason) => ({
      value: reason.code,
      text: reason.label,
      checked: entered.reasons.includes(reason.code),
    })),
    input: entered,
    assignedToSomeoneElse: assignedToSomeoneElse(input.frame.task, input.frame.userId),
    errors: [...refusal, ...errors.errors],
    fieldErrors: errors.fieldErrors,
  }
}

/** Who else is working an open task, if anyone: the decider must confirm before deciding it. */
function assignedToSomeoneElse(task: CaseFrame['task'], userId: string): string | null {
  return task.open && task.assignedTo !== null && task.assignedTo.id !== userId ? task.assignedTo.name : null
}

const CONFIRMATIONS: Record<DecisionAction, { title: string; tab: ReviewTab; link: string }> = {
  accept: { title: 'Case accepted', tab: 'accepted', link: 'View accepted cases' },
  reject: { title: 'Rejected', tab: 'rejected', link: 'View rejected cases' },
  hold: { title: 'Task placed on hold', tab: 'on-hold', link: 'View tasks on hold' },
}

export interface ConfirmationPage {
  readonly pageTitle: string
  readonly title: string
  readonly personName: string
  readonly taskTypeName: string
  readonly backHref: string
  readonly tabHref: string
  readonly tabText: string
}

export function confirmationPage(input: {
  readonly action: DecisionAction
  readonly personName: string
  readonly taskTypeName: string
  readonly back: string
}): ConfirmationPage {
  const c = CONFIRMATIONS[input.action]
  return {
    pageTitle: c.title,
    title: c.title,
    personName: input.personName,
    taskTypeName: input.taskTypeName,
    backHref: input.back,
    // The tab's own URL finds the region and search the user is working in.
    tabHref: paths.reviewTab(c.tab),
    tabText: c.link,
  }
}
