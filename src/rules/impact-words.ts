/**
 * The words of an impact report that the command and the Rule changes page
 * share: a rate with the counts behind it, a change in points, a group's
 * flags and the dimensions' names.
 */
import type { EqualityDimension } from '../mi/equality-groups.ts'
import type { EqualityImpact, GroupImpact, ImpactReport } from './impact.ts'

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

/**
 * How far a group's change is from everyone's, in points: positive when its
 * rate would rise more (or fall less) than everyone's. A change that moves
 * every group alike is not the same finding as one that moves one group
 * apart; null when either has no one in it.
 */
export function apartFromEveryone(group: GroupImpact, everyone: GroupImpact | undefined): number | null {
  if (!everyone || group.changePoints === null || everyone.changePoints === null) return null
  return group.changePoints - everyone.changePoints
}

/** "2.1 points above", "0.3 points below", "the same": a group's change against everyone's. */
export function apartWords(points: number | null): string {
  if (points === null) return ''
  if (Math.abs(points) < 0.05) return 'the same'
  return `${oneDecimal.format(Math.abs(points))} points ${points > 0 ? 'above' : 'below'}`
}

/** The flags of a group, in words: what a tag on the page and a column in the terminal say. */
export function groupFlags(group: GroupImpact, marginPoints: number, apart: number | null = null): string[] {
  const flags: string[] = []
  const margin = oneDecimal.format(marginPoints)
  if (group.flagged) flags.push(`Changes by more than ${margin} points`)
  if (apart !== null && Math.abs(apart) > marginPoints)
    flags.push(`Differs from everyone by more than ${margin} points`)
  if (group.small) flags.push('Small group')
  return flags
}

/** A line of an equality table: the group, its change against everyone's, and its flags in words. */
export interface GroupLine {
  readonly group: GroupImpact
  readonly apart: number | null
  readonly flags: readonly string[]
}

function everyoneFor(report: ImpactReport, taskType: string | null): GroupImpact | undefined {
  return report.everyone.find((row) => row.taskType === taskType)
}

function lineOf(report: ImpactReport, group: GroupImpact, everyone: GroupImpact | undefined): GroupLine {
  const apart = apartFromEveryone(group, everyone)
  return { group, apart, flags: groupFlags(group, report.marginPoints, apart) }
}

/** A table of any task type, everyone first (compared with no one), then each group. */
export function equalityLines(report: ImpactReport, table: EqualityImpact): GroupLine[] {
  const everyone = everyoneFor(report, table.taskType)
  return [
    ...(everyone ? [{ group: everyone, apart: null, flags: groupFlags(everyone, report.marginPoints) }] : []),
    ...table.groups.map((group) => lineOf(report, group, everyone)),
  ]
}

/** Each task type's groups flagged either way: their change, or their change against everyone's. */
export function flaggedByTaskType(
  report: ImpactReport,
): { readonly taskType: string; readonly table: EqualityImpact; readonly line: GroupLine }[] {
  return report.equality.flatMap((table) => {
    const { taskType } = table
    if (taskType === null) return []
    const everyone = everyoneFor(report, taskType)
    return table.groups
      .map((group) => lineOf(report, group, everyone))
      .filter(
        (line) => line.group.flagged || (line.apart !== null && Math.abs(line.apart) > report.marginPoints),
      )
      .map((line) => ({ taskType, table, line }))
  })
}

/** How many groups of any task type move apart from everyone by more than the margin. */
export function apartCount(report: ImpactReport): number {
  return report.equality
    .filter((table) => table.taskType === null)
    .flatMap((table) => equalityLines(report, table))
    .filter((line) => line.apart !== null && Math.abs(line.apart) > report.marginPoints).length
}

export function countWords(n: number): string {
  return count.format(n)
}
