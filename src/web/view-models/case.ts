/**
 * The case view's frame and pages: the task's heading, status and holder,
 * the decisions its status allows, and each page put together from a
 * section (case-record-sections.ts, why-recommended.ts, case-history.ts).
 * Everything the templates show is already in words (case-values.ts), so
 * the templates only lay things out.
 */
import type { CaseHolder } from '../../review/claims.ts'
import type { TaskView } from '../../review/task-view.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { allowsDecision } from '../../tasks/status-transitions.ts'
import type { TaskStatus } from '../../tasks/task.ts'
import {
  CASE_SECTIONS,
  type CaseSection,
  DECISION_ACTIONS,
  DECISION_OF_ACTION,
  type DecisionAction,
} from '../case/sections.ts'
import { paths } from '../paths.ts'
import { type CaseAssignment, caseAssignment } from './assignment.ts'
import { EVENT_TITLES, type TimelineItem } from './case-history.ts'
import type { SectionContent } from './case-record-sections.ts'
import type { WhyRecommended } from './why-recommended.ts'

// ----- the page frame -----

const STATUS_TAGS: Record<TaskStatus, { readonly text: string; readonly classes: string }> = {
  RECOMMENDED: { text: 'Recommended', classes: 'govuk-tag--blue' },
  ACCEPTED: { text: 'Accepted', classes: 'govuk-tag--green' },
  REJECTED: { text: 'Rejected', classes: 'govuk-tag--red' },
  ON_HOLD: { text: 'On hold', classes: 'govuk-tag--yellow' },
  WITHDRAWN: { text: 'Withdrawn', classes: 'govuk-tag--grey' },
}

export function statusTag(status: TaskStatus): { readonly text: string; readonly classes: string } {
  return STATUS_TAGS[status]
}

/** "You have this case open" or "Sam Other has this case open"; nothing when nobody has. */
export function holderText(holder: CaseHolder | undefined, userId: string): string | undefined {
  if (!holder) return undefined
  const who = holder.userId === userId ? 'You have' : `${holder.name} has`
  return `${who} this case open (since ${formatTimeOnDate(holder.since)})`
}

const ACTION_LABELS: Record<DecisionAction, string> = {
  accept: 'Accept task',
  reject: 'Reject task',
  hold: 'Place on hold',
}

/** The decision actions a status allows (src/tasks/status-transitions.ts), in the page's order. */
export function availableActions(status: TaskStatus): DecisionAction[] {
  return DECISION_ACTIONS.filter((action) => allowsDecision(status, DECISION_OF_ACTION[action]))
}

export function isActionAvailable(status: TaskStatus, action: DecisionAction): boolean {
  return availableActions(status).includes(action)
}

export interface CaseFrame {
  readonly task: {
    readonly id: number
    readonly personName: string
    readonly homeOfficeReference: string
    readonly personId: string
    readonly taskTypeName: string
    readonly status: { readonly text: string; readonly classes: string }
    readonly version: number
    /** Who is working the task, for the decision forms' "decide anyway?" (view-models/decisions.ts). */
    readonly assignedTo: TaskView['assignedTo']
    readonly open: boolean
  }
  /** The user the page is for. */
  readonly userId: string
  /** Who is working an open task, and the buttons to change it; undefined for a decided task. */
  readonly assignment: CaseAssignment | undefined
  readonly backHref: string
  readonly holder: string | undefined
  /** A sentence about the current decision, when there is one. */
  readonly statusSummary: string | undefined
  readonly subNavigation: readonly {
    readonly text: string
    readonly href: string
    readonly active: boolean
  }[]
  /** Shown with equal weight: none is the one the page expects (no nudge towards accepting). */
  readonly actions: readonly { readonly text: string; readonly href: string }[]
}

function statusSummary(task: TaskView): string | undefined {
  const when = formatTimeOnDate(task.statusChangedAt)
  switch (task.status) {
    case 'RECOMMENDED':
      return undefined
    case 'WITHDRAWN':
      return `The rules withdrew this recommendation at ${when}: there is nothing to decide.`
    default: {
      const who = task.statusChangedBy?.name ?? 'the rules'
      return `${EVENT_TITLES[task.status]} by ${who} at ${when}. You can change this decision.`
    }
  }
}

export function caseFrame(input: {
  readonly task: TaskView
  readonly current: CaseSection | undefined
  readonly back: string
  /** The back parameter to carry on, when the user arrived with one. */
  readonly backParam: string | undefined
  readonly holder: CaseHolder | undefined
  readonly userId: string
  /** Whether the user may take and give up tasks, and assign them to others (tasks/assignment.ts). */
  readonly mayAssign?: boolean
  readonly mayAssignOthers?: boolean
}): CaseFrame {
  const { task, backParam } = input
  return {
    task: {
      id: task.id,
      personName: task.personName,
      homeOfficeReference: task.homeOfficeReference,
      personId: task.personId,
      taskTypeName: task.taskType.name,
      status: statusTag(task.status),
      version: task.version,
      assignedTo: task.assignedTo,
      open: task.status === 'RECOMMENDED' || task.status === 'ON_HOLD',
    },
    userId: input.userId,
    assignment: caseAssignment({
      task,
      userId: input.userId,
      mayAssign: input.mayAssign ?? false,
      mayAssignOthers: input.mayAssignOthers ?? false,
      backParam,
    }),
    backHref: input.back,
    holder: holderText(input.holder, input.userId),
    statusSummary: statusSummary(task),
    subNavigation: CASE_SECTIONS.map((section) => ({
      text: section.title,
      href: paths.taskSection(task.id, section.slug, backParam),
      active: section.slug === input.current,
    })),
    actions: availableActions(task.status).map((action) => ({
      text: ACTION_LABELS[action],
      href: paths.taskDecision(task.id, action, backParam),
    })),
  }
}

// ----- a page of the case view -----

export interface CasePage {
  readonly pageTitle: string
  readonly frame: CaseFrame
  readonly sectionTitle: string
  readonly content: SectionContent | undefined
  readonly why: WhyRecommended | undefined
  readonly timeline: readonly TimelineItem[] | undefined
}

export function casePage(input: {
  readonly frame: CaseFrame
  readonly section: CaseSection
  readonly content?: SectionContent
  readonly why?: WhyRecommended
  readonly timeline?: readonly TimelineItem[]
}): CasePage {
  const title = CASE_SECTIONS.find((s) => s.slug === input.section)?.title ?? ''
  return {
    pageTitle: `${title} – ${input.frame.task.personName}`,
    frame: input.frame,
    sectionTitle: title,
    content: input.content,
    why: input.why,
    timeline: input.timeline,
  }
}
