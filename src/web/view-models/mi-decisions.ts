/**
 * The page of decisions behind a dashboard figure (src/mi/decision-list.ts):
 * what it lists and for which range, a table of the decisions with the
 * evidence of review recorded with each, and the way back to the dashboard.
 */
import type { DecisionList, DecisionsOf, ListedDecision } from '../../mi/decision-list.ts'
import { DECISION_LIST_LIMIT } from '../../mi/decision-list.ts'
import type { KeySection } from '../../mi/rubber-stamp.ts'
import { formatTimeOnDate } from '../../review/time-words.ts'
import { paths } from '../paths.ts'
import type { Cell } from './dashboard-parts.ts'
import { escapeXml } from './mi-charts.ts'
import { duration } from './mi-dashboard.ts'

export interface DecisionsPage {
  readonly errors: readonly { readonly text: string; readonly href: string }[]
  readonly heading: string
  /** What the list covers, in words: the range and the figure it explains. */
  readonly lead: string
  readonly dashboardHref: string
  readonly head: readonly Cell[]
  readonly rows: readonly (readonly Cell[])[]
  /** Said when the list stops short of everything that matches. */
  readonly limitNote: string | undefined
}

const DECISION_WORDS: Record<ListedDecision['status'], string> = {
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  ON_HOLD: 'Placed on hold',
}

const SECTION_WORDS: Record<KeySection, string> = {
  barriers: 'Barriers',
  vulnerability: 'Vulnerability',
  'family-status': 'Family status',
}

function evidenceCells(decision: ListedDecision): Cell[] {
  if (decision.evidence === null) return [{ text: 'Not recorded', colspan: 2 }]
  const { sectionsNotOpened, secondsToDecision } = decision.evidence
  return [
    { text: secondsToDecision === null ? 'Not opened' : duration(secondsToDecision) },
    {
      text:
        sectionsNotOpened.length === 0
          ? 'None'
          : sectionsNotOpened.map((one) => SECTION_WORDS[one]).join(', '),
    },
  ]
}

function personCell(decision: ListedDecision, mayReadCases: boolean, back: string): Cell {
  if (!mayReadCases) return { text: decision.personId }
  const href = paths.task(decision.taskId, back)
  return { html: `<a class="govuk-link" href="${escapeXml(href)}">${escapeXml(decision.personId)}</a>` }
}

export function whoseWords(of: DecisionsOf, list: DecisionList): string {
  if ('ruleVersion' in of) return `on tasks of rule version ${of.ruleVersion}`
  const name = list.decisions[0]?.userName
  return name ? `by ${name} (${of.userId})` : `by ${of.userId}`
}

export function decisionsPage(input: {
  readonly of: DecisionsOf
  readonly list: DecisionList
  /** The range and filters in words, e.g. "1 July 2026 to 31 July 2026, all task types". */
  readonly range: string
  readonly dashboardQuery: Record<string, string>
  /** This page's own address, for the case pages' way back. */
  readonly self: string
  readonly mayReadCases: boolean
}): DecisionsPage {
  const { of, list } = input
  const byUser = 'userId' in of
  const head: Cell[] = [
    { text: 'Decided' },
    { text: 'Person' },
    { text: 'Task type' },
    { text: 'Decision' },
    ...(byUser ? [] : [{ text: 'Decided by' }]),
    { text: 'Time from first opening' },
    { text: 'Sections not opened' },
  ]
  return {
    errors: [],
    heading: `Decisions ${whoseWords(of, list)}`,
    lead: `${list.total} ${list.total === 1 ? 'decision' : 'decisions'} from ${input.range}, most recent first.`,
    dashboardHref: paths.miDashboard(input.dashboardQuery),
    head,
    rows: list.decisions.map((decision) => [
      { text: formatTimeOnDate(decision.decidedAt) },
      personCell(decision, input.mayReadCases, input.self),
      { text: decision.taskType },
      { text: DECISION_WORDS[decision.status] },
      ...(byUser
        ? []
        : [{ text: decision.userName ? `${decision.userName} (${decision.userId})` : decision.userId }]),
      ...evidenceCells(decision),
    ]),
    limitNote:
      list.total > list.decisions.length
        ? `The ${DECISION_LIST_LIMIT} most recent of ${list.total} decisions are listed: narrow the dates on the dashboard to see the rest.`
        : undefined,
  }
}

/** The page when its address does not say whose decisions to list, or its dates cannot be read. */
export function decisionsProblemPage(message: string, dashboardQuery: Record<string, string>): DecisionsPage {
  const dashboardHref = paths.miDashboard(dashboardQuery)
  return {
    errors: [{ text: message, href: dashboardHref }],
    heading: 'Decisions',
    lead: '',
    dashboardHref,
    head: [],
    rows: [],
    limitNote: undefined,
  }
}
