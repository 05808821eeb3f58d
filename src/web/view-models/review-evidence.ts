/**
 * Evidence of review in words, for the task's History: which sections of
 * the case the decider opened before deciding, whether they read why it was
 * recommended, and how long they had it open. (Their own words are already
 * among the decision's lines.)
 */
import { KEY_SECTIONS, type ReviewEvidence } from '../../tasks/review-evidence.ts'
import { CASE_SECTIONS } from '../case/sections.ts'
import { duration } from './mi-dashboard.ts'

/** A section's title as the case's sub-navigation shows it; an unknown name as it was recorded. */
export function sectionTitle(slug: string): string {
  return CASE_SECTIONS.find((section) => section.slug === slug)?.title ?? slug
}

export function evidenceLines(evidence: ReviewEvidence): string[] {
  const opened = evidence.sectionsOpened
  const notOpened = KEY_SECTIONS.filter((section) => !opened.includes(section))
  return [
    opened.length > 0
      ? `Opened before deciding: ${opened.map(sectionTitle).join(', ')}`
      : 'Opened before deciding: no section of the case',
    ...(notOpened.length > 0 ? [`Not opened: ${notOpened.map(sectionTitle).join(', ')}`] : []),
    evidence.whyRecommendedOpened ? 'Read why it was recommended' : 'Did not open why it was recommended',
    evidence.secondsToDecision === null
      ? 'Time from first opening the task to deciding: no opening on record'
      : `Time from first opening the task to deciding: ${duration(evidence.secondsToDecision)}`,
  ]
}
