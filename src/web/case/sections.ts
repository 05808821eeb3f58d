/**
 * The pages of the case view, in the order of the sub-navigation: the seven
 * sections of the case record the training guide names, then why the task
 * was recommended and its history. Each is its own URL, so a section can be
 * bookmarked, opened in a new tab and audited on its own.
 */
import type { DecisionStatus } from '../../tasks/task.ts'

export const CASE_SECTIONS = [
  { slug: 'person-details', title: 'Person details' },
  { slug: 'documentation', title: 'Documentation' },
  { slug: 'reporting-details', title: 'Reporting details' },
  { slug: 'barriers', title: 'Barriers' },
  { slug: 'harm', title: 'Harm' },
  { slug: 'family-status', title: 'Family status' },
  { slug: 'vulnerability', title: 'Vulnerability' },
  { slug: 'why-recommended', title: 'Why recommended' },
  { slug: 'history', title: 'History' },
] as const

export type CaseSection = (typeof CASE_SECTIONS)[number]['slug']

export const DEFAULT_CASE_SECTION: CaseSection = 'person-details'

export function isCaseSection(value: string): value is CaseSection {
  return CASE_SECTIONS.some((section) => section.slug === value)
}

/** The three decisions a caseworker can make, as they appear in URLs. */
export const DECISION_ACTIONS = ['accept', 'reject', 'hold'] as const
export type DecisionAction = (typeof DECISION_ACTIONS)[number]

/** The status each decision action sets. */
export const DECISION_OF_ACTION: { readonly [A in DecisionAction]: DecisionStatus } = {
  accept: 'ACCEPTED',
  reject: 'REJECTED',
  hold: 'ON_HOLD',
}
