/**
 * "Information about this recommendation": a page written to the person,
 * to print or send as a letter. It says what was recommended, why (the same
 * explanation "Why recommended" shows a caseworker, each condition put as
 * what our records show about them), who reviewed it and how to make
 * representations or contest it.
 *
 * The reviewer is named by role, not by name: the person needs to know a
 * person looked at it and with what authority; the officer's name is
 * personal data of staff that the letter does not need, and the case
 * management system holds it for anyone entitled to ask.
 */
import { ROLES } from '../../access/roles.ts'
import { londonDateOf } from '../../clock.ts'
import { formatLongDate, type IsoDate } from '../../dates.ts'
import type { RepresentationsContact } from '../../review/contest-contact.ts'
import type { DecisionForPerson } from '../../review/contest-service.ts'
import type { TaskView } from '../../review/task-view.ts'
import type { ExplanationLine } from '../../rules/explanation.ts'
import { describeExplanation } from '../../rules/explanation.ts'
import type { RecommendationExplanation } from '../../rules/explanation-json.ts'
import { paths } from '../paths.ts'

const OUTCOME_FOR_PERSON: Record<NonNullable<ExplanationLine['outcome']>, string> = {
  met: 'This applies to you',
  'not met': 'This does not apply to you',
  excluded: 'This applies to you, so nothing was recommended',
  'not excluded': 'This does not apply to you',
}

const DECISION_FOR_PERSON: Record<DecisionForPerson['status'], string> = {
  ACCEPTED: 'agreed that the recommendation should go ahead',
  REJECTED: 'decided that the recommendation should not go ahead',
  ON_HOLD: 'has put the recommendation on hold while something is checked',
}

export interface InformationLine {
  readonly text: string
  readonly outcome: string | undefined
  readonly depth: number
}

/** "Reporting compliance: Absconder" inside a sentence: "reporting compliance: Absconder" (an acronym stays as it is). */
function midSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text[0]?.toLowerCase()}${text.slice(1)}` : text
}

/**
 * A caseworker's line as said to the person, from the same parts: what the
 * rule asks and the answer, then what our records show, then whether it
 * applies to them.
 */
function forPerson(line: ExplanationLine): InformationLine {
  const parts = line.parts
  const text = parts
    ? `${parts.statement}: ${parts.answer}${parts.value === undefined ? '' : ` — our records show ${midSentence(parts.value)}`}`
    : line.text
  return {
    text,
    outcome: line.outcome ? OUTCOME_FOR_PERSON[line.outcome] : undefined,
    depth: Math.min(line.depth, 3),
  }
}

function reviewerWords(decision: DecisionForPerson | undefined): string {
  if (!decision) {
    return 'Nobody has made a decision on this recommendation yet. A member of staff will review it before anything is done, and can decide not to go ahead.'
  }
  // The role that carried the most authority, as the person would understand it.
  const role = (['MANAGER', 'CASEWORKER'] as const).find((r) => decision.roles.includes(r))
  const who = role ? `A ${ROLES[role].toLowerCase()}` : 'A member of staff'
  return `${who} reviewed this recommendation and ${DECISION_FOR_PERSON[decision.status]} on ${formatLongDate(londonDateOf(decision.at))}. A computer did not make this decision on its own: the person who reviewed it could change it.`
}

export function informationPage(input: {
  task: TaskView
  explanation: RecommendationExplanation | undefined
  decision: DecisionForPerson | undefined
  contact: RepresentationsContact
  today: IsoDate
}) {
  const { task, explanation, contact } = input
  const sections = explanation ? describeExplanation(explanation) : []
  const conditions = sections.find((s) => s.heading === 'Conditions')?.lines ?? []
  const safeguards = sections.find((s) => s.heading.startsWith('Safeguards'))?.lines ?? []
  return {
    pageTitle: 'Information about this recommendation',
    caseHref: paths.taskSection(task.id, 'history'),
    dateText: formatLongDate(input.today),
    personName: task.personName,
    homeOfficeReference: task.homeOfficeReference,
    recommended: task.taskType.name,
    recommendedOn: formatLongDate(londonDateOf(task.createdAt)),
    conditions: conditions.map(forPerson),
    safeguards: safeguards.filter((line) => line.outcome !== undefined).map(forPerson),
    noExplanation: explanation === undefined,
    ruleSetVersion: task.ruleSetVersion,
    reviewer: reviewerWords(input.decision),
    contact,
  }
}
