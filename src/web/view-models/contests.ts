/**
 * View-models of the representations and contest pages: the recording
 * form, the region's list with its counts, one contest with its review
 * form (or why the user may not review it), and a contest's entries on the
 * task's History.
 */
import { formatLongDate } from '../../dates.ts'
import type { ContestCounts, ContestListFilter, ContestView } from '../../review/contest-view.ts'
import type { RejectionReason } from '../../review/task-view.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import {
  CONTEST_CHANNELS,
  CONTEST_MAKERS,
  type ContestInput,
  MAX_OUTCOME_REASONS_LENGTH,
  MAX_SUMMARY_LENGTH,
} from '../../tasks/contest-input.ts'
import { CHANNEL_LABELS, MAKER_LABELS } from '../contest-messages.ts'
import { paths } from '../paths.ts'
import type { CaseFrame } from './case.ts'
import type { TimelineItem } from './case-history.ts'
import { type FormErrors, type FormProblem, formErrors } from './forms.ts'
import { dateInputItems } from './mi-filters.ts'

const PAST: Record<'ACCEPTED' | 'REJECTED', string> = { ACCEPTED: 'accepted', REJECTED: 'rejected' }

/** "Accepted by …": the decision contested, where it begins a table cell or a row's value. */
function decisionContested(c: Pick<ContestView, 'contestedStatus' | 'originalDecider'>): string {
  const decided = c.contestedStatus === 'ACCEPTED' ? 'Accepted' : 'Rejected'
  return `${decided} by ${c.originalDecider.name}`
}

export const EMPTY_CONTEST_INPUT: ContestInput = {
  receivedOn: { day: '', month: '', year: '' },
  channel: '',
  madeBy: '',
  summary: '',
  assignTo: '',
}

export interface RecordContestPage extends FormErrors {
  readonly pageTitle: string
  readonly frame: CaseFrame
  readonly formAction: string
  readonly cancelHref: string
  /** Why nothing can be recorded now (no decision yet), instead of the form. */
  readonly notice: string | undefined
  /** The open contest on this task, to add to rather than record another. */
  readonly openContestHref: string | undefined
  readonly dateItems: ReturnType<typeof dateInputItems>
  readonly channelItems: readonly { value: string; text: string; checked: boolean }[]
  readonly madeByItems: readonly { value: string; text: string; checked: boolean }[]
  readonly assigneeItems: readonly { value: string; text: string; selected: boolean }[]
  readonly summary: string
  readonly maxSummaryLength: number
}

export function recordContestPage(input: {
  frame: CaseFrame
  decided: boolean
  openContestId: number | undefined
  reviewers: readonly { id: string; name: string }[]
  values?: ContestInput | undefined
  problems?: readonly FormProblem[] | undefined
  backParam: string | undefined
}): RecordContestPage {
  const values = input.values ?? EMPTY_CONTEST_INPUT
  const errors = formErrors(input.problems ?? [], {
    receivedOn: 'receivedOn-day',
    channel: 'channel',
    madeBy: 'madeBy',
    task: 'receivedOn-day',
  })
  const title = 'Record representations or a contest'
  return {
    ...errors,
    // The layout puts "Error: " before the title of a page with errors.
    pageTitle: title,
    frame: input.frame,
    formAction: paths.taskRepresentations(input.frame.task.id, input.backParam),
    cancelHref: paths.taskSection(input.frame.task.id, 'history', input.backParam),
    notice: input.decided
      ? undefined
      : 'There is no decision on this task to contest yet. Representations can be recorded once it has been accepted or rejected.',
    openContestHref: input.openContestId === undefined ? undefined : paths.contest(input.openContestId),
    dateItems: dateInputItems(values.receivedOn, errors.fieldErrors.receivedOn !== undefined),
    channelItems: CONTEST_CHANNELS.map((code) => ({
      value: code,
      text: CHANNEL_LABELS[code],
      checked: values.channel === code,
    })),
    madeByItems: CONTEST_MAKERS.map((code) => ({
      value: code,
      text: MAKER_LABELS[code],
      checked: values.madeBy === code,
    })),
    assigneeItems: [
      { value: '', text: 'Leave in the region’s queue', selected: values.assignTo === '' },
      ...input.reviewers.map((user) => ({
        value: user.id,
        text: user.name,
        selected: values.assignTo === user.id,
      })),
    ],
    summary: values.summary,
    maxSummaryLength: MAX_SUMMARY_LENGTH,
  }
}

const LIST_TABS: readonly { show: ContestListFilter; text: string; count: keyof ContestCounts }[] = [
  { show: 'open', text: 'Open', count: 'open' },
  { show: 'mine', text: 'Assigned to you', count: 'mine' },
  { show: 'queue', text: 'In the queue', count: 'queue' },
  { show: 'decided', text: 'Decided', count: 'decided' },
]

function contestHref(show: ContestListFilter): string {
  return paths.contests(show === 'open' ? undefined : show)
}

export function contestListPage(input: {
  show: ContestListFilter
  counts: ContestCounts
  contests: readonly ContestView[]
}) {
  const decided = input.show === 'decided'
  return {
    pageTitle: 'Contests',
    tabs: LIST_TABS.map((tab) => ({
      text: `${tab.text} (${input.counts[tab.count]})`,
      href: contestHref(tab.show),
      active: tab.show === input.show,
    })),
    head: [
      { text: 'Person' },
      { text: 'Task' },
      { text: 'Received' },
      { text: 'Decision contested' },
      { text: decided ? 'Outcome' : 'Assigned to' },
    ],
    rows: input.contests.map((c) => [
      { html: undefined, text: c.personName, href: paths.contest(c.id) },
      { text: c.taskTypeName },
      { text: formatLongDate(c.receivedOn) },
      { text: decisionContested(c) },
      {
        text: decided
          ? `${c.outcome?.outcome === 'CHANGED' ? 'Decision changed' : 'Decision upheld'} on ${c.outcome ? formatTimeOnDate(c.outcome.at) : ''}`
          : (c.assignedTo?.name ?? 'In the queue'),
      },
    ]),
    emptyText: decided ? 'No contest has an outcome yet.' : 'There are no contests here.',
  }
}

export function contestSummaryRows(c: ContestView) {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } })
  return [
    row('Task', `${c.taskTypeName} (task ${c.taskId})`),
    row('Decision contested', decisionContested(c)),
    row('Date received', formatLongDate(c.receivedOn)),
    row('How it was received', CHANNEL_LABELS[c.channel]),
    row('Made by', MAKER_LABELS[c.madeBy]),
    row('Summary', c.summary),
    row('Recorded', `by ${c.recordedBy.name} at ${formatTimeOnDate(c.recordedAt)}`),
    row('Assigned to', c.assignedTo?.name ?? 'In the region’s queue'),
    ...(c.outcome
      ? [
          row(
            'Outcome',
            `${c.outcome.outcome === 'CHANGED' ? 'Decision changed' : 'Decision upheld'} by ${c.outcome.by.name} at ${formatTimeOnDate(c.outcome.at)}`,
          ),
          row('Reasons', c.outcome.reasons),
        ]
      : []),
  ]
}

export interface OutcomeValues {
  readonly outcome: string
  readonly reasons: string
  readonly rejectionReasons: readonly string[]
  readonly checksConfirmed: boolean
}

export function contestPage(input: {
  contest: ContestView
  /** Why the user may not record the outcome; undefined when they may. */
  refusal: string | undefined
  /** Whether the refusal answers something the user posted (an error), or only explains the page. */
  refusalIsError: boolean
  /** The task's version now: a change is guarded by it. */
  taskVersion: number
  rejectionReasons: readonly RejectionReason[]
  values?: OutcomeValues | undefined
  problems?: readonly FormProblem[] | undefined
}) {
  const { contest } = input
  const values = input.values ?? { outcome: '', reasons: '', rejectionReasons: [], checksConfirmed: false }
  const errors = formErrors(input.problems ?? [], {
    outcome: 'outcome',
    rejectionReasons: 'rejectionReasons',
    checksConfirmed: 'checksConfirmed',
  })
  const title = `Contest: ${contest.personName}`
  const changeTo = contest.contestedStatus === 'ACCEPTED' ? 'rejected' : 'accepted'
  return {
    ...errors,
    // The layout puts "Error: " before the title of a page with errors; a refusal is not one of those.
    pageTitle: input.refusalIsError && errors.errors.length === 0 ? `Error: ${title}` : title,
    refusalIsError: input.refusalIsError,
    contest: { id: contest.id, personName: contest.personName, open: contest.outcome === null },
    rows: contestSummaryRows(contest),
    taskHref: paths.taskSection(contest.taskId, 'history'),
    listHref: paths.contests(),
    refusal: input.refusal,
    formAction: paths.contest(contest.id),
    taskVersion: input.taskVersion,
    changeTo,
    needsRejectionReasons: contest.contestedStatus === 'ACCEPTED',
    outcomeItems: [
      { value: 'UPHELD', text: 'Decision upheld', checked: values.outcome === 'UPHELD' },
      {
        value: 'CHANGED',
        text: `Decision changed: the task will be ${changeTo}`,
        checked: values.outcome === 'CHANGED',
      },
    ],
    rejectionReasonItems: input.rejectionReasons.map((reason) => ({
      value: reason.code,
      text: reason.label,
      checked: values.rejectionReasons.includes(reason.code),
    })),
    reasons: values.reasons,
    checksConfirmed: values.checksConfirmed,
    maxReasonsLength: MAX_OUTCOME_REASONS_LENGTH,
  }
}

/** A task's contests as History entries: one when recorded, one when decided. */
export function contestTimeline(contests: readonly ContestView[]): TimelineItem[] {
  return contests.flatMap((c) => {
    const recorded: TimelineItem = {
      title: 'Representations recorded',
      byline: c.recordedBy.name,
      datetime: c.recordedAt.toISOString(),
      when: formatTimeOnDate(c.recordedAt),
      lines: [
        `Received ${formatLongDate(c.receivedOn)} (${CHANNEL_LABELS[c.channel].toLowerCase()}) from ${MAKER_LABELS[c.madeBy].toLowerCase()}`,
        `Contests the decision: ${PAST[c.contestedStatus]} by ${c.originalDecider.name}`,
        `Summary: ${c.summary}`,
        `Assigned to: ${c.assignedTo?.name ?? 'the region’s queue'}`,
      ],
    }
    if (!c.outcome) return [recorded]
    const decided: TimelineItem = {
      title:
        c.outcome.outcome === 'CHANGED'
          ? 'Contest decided: decision changed'
          : 'Contest decided: decision upheld',
      byline: c.outcome.by.name,
      datetime: c.outcome.at.toISOString(),
      when: formatTimeOnDate(c.outcome.at),
      lines: [`Reasons: ${c.outcome.reasons}`],
    }
    return [decided, recorded]
  })
}

/** Two timelines as one, newest first (as the task's History is). */
export function mergeTimelines(a: readonly TimelineItem[], b: readonly TimelineItem[]): TimelineItem[] {
  return [...a, ...b].sort((x, y) => (x.datetime < y.datetime ? 1 : x.datetime > y.datetime ? -1 : 0))
}
