/**
 * The words of an impact report that the command and the Rule changes page
 * share: a rate with the counts behind it, a change in points, a group's
 * flags and the dimensions' names.
 */
import type { EqualityDimension } from '../mi/equality-groups.ts'
import type { GroupImpact } from './impact.ts'

const count = new Intl.NumberFormat('en-GB')
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

export const DIMENSION_NAMES: Readonly<Record<EqualityDimension, string>> = {
  nationality: 'Nationality',
  gender: 'Gender',
  ageBand: 'Age band',
}

/** "12 of 340 (3.5%)": a rate is never shown without the counts it rests on. */
export function rateWords(recommended: number, people: number): string {
  if (people === 0) return `${count.format(recommended)} of 0`
  return `${count.format(recommended)} of ${count.format(people)} (${oneDecimal.format((recommended / people) * 100)}%)`
}

/** "up 2.5 points", "down 0.3 points", "no change": words, which a screen reader says as clearly as it shows. */
export function changeWords(points: number | null): string {
  if (points === null) return 'no one in the group'
  if (points === 0) return 'no change'
  const direction = points > 0 ? 'up' : 'down'
  const size = Math.abs(points)
  return size < 0.05 ? `${direction} less than 0.1 points` : `${direction} ${oneDecimal.format(size)} points`
}

/** The flags of a group, in words: what a tag on the page and a column in the terminal say. */
export function groupFlags(group: GroupImpact, marginPoints: number): string[] {
  const flags: string[] = []
  if (group.flagged) flags.push(`Changes by more than ${oneDecimal.format(marginPoints)} points`)
  if (group.small) flags.push('Small group')
  return flags
}

export function countWords(n: number): string {
  return count.format(n)
}
