/**
 * A rule change's impact report, in the shape it is printed, stored with a
 * publication and shown on the Rule changes page: per task type and region,
 * the recommendations a draft adds, withdraws and leaves unchanged against
 * the live rule set, and each equality group's recommendation rate under
 * both, flagged when it would move by more than a margin.
 *
 * The SQL that counts is in simulate.ts; this module turns its rows into the
 * report and decides the flags, so the arithmetic is tested without a
 * database. Stored reports carry `format`, so a later shape can still read
 * the earlier ones.
 */
import { AGE_BANDS, type EqualityDimension } from '../mi/equality-groups.ts'

export interface ImpactCounts {
  /** Persons the live rule set recommends. */
  readonly live: number
  /** Persons the draft recommends. */
  readonly draft: number
  /** Recommended by the draft only. */
  readonly added: number
  /** Recommended by the live rule set only: withdrawn if the draft goes live. */
  readonly removed: number
  /** Recommended by both. */
  readonly unchanged: number
}

export interface GroupImpact extends Pick<ImpactCounts, 'live' | 'draft'> {
  readonly group: string
  /** Present persons in the group: the n behind both rates. */
  readonly people: number
  /** Share of the group recommended, 0 to 1; null for an empty group. */
  readonly liveRate: number | null
  readonly draftRate: number | null
  /** Draft rate minus live rate, in percentage points. */
  readonly changePoints: number | null
  /** The rate would move by more than the margin. */
  readonly flagged: boolean
  /** Fewer people than the small-group size: one person moves the rate a lot. */
  readonly small: boolean
}

export interface EqualityImpact {
  readonly dimension: EqualityDimension
  /** A task type's code; null for a recommendation of any task type. */
  readonly taskType: string | null
  readonly groups: readonly GroupImpact[]
}

export interface ImpactSettings {
  /** A group whose rate would change by more than this many percentage points is flagged. */
  readonly marginPoints: number
  /** A group of fewer persons than this is marked small. */
  readonly smallGroup: number
}

export interface ImpactReport extends ImpactSettings {
  readonly format: 1
  /** The rule set compared against: the one the last completed run used; null when none has run. */
  readonly liveVersion: string | null
  readonly draftVersion: string
  /** The day the rules were evaluated as of. */
  readonly today: string
  /** Present persons evaluated. */
  readonly persons: number
  /** Everyone, for each task type (null: any task type): the rate the groups are compared with. */
  readonly everyone: readonly (GroupImpact & { readonly taskType: string | null })[]
  readonly taskTypes: readonly (ImpactCounts & { readonly taskType: string })[]
  readonly regions: readonly (ImpactCounts & { readonly taskType: string; readonly romRegion: string })[]
  readonly totals: ImpactCounts
  /** Any task type first (every group), then each task type (groups anyone is recommended in). */
  readonly equality: readonly EqualityImpact[]
  /** How many groups are flagged, over every table. */
  readonly flagged: number
}

/** A row of the counting query, by kind. */
export type ImpactRow =
  | ({ readonly kind: 'region'; readonly taskType: string; readonly romRegion: string } & ImpactCounts)
  | {
      readonly kind: 'group'
      readonly taskType: string | null
      readonly dimension: EqualityDimension
      readonly group: string
      readonly live: number
      readonly draft: number
    }
  | {
      readonly kind: 'people'
      readonly dimension: EqualityDimension
      readonly group: string
      readonly people: number
    }
  | {
      readonly kind: 'everyone'
      readonly taskType: string | null
      readonly live: number
      readonly draft: number
    }

export function groupImpact(
  counts: { readonly group: string; readonly people: number; readonly live: number; readonly draft: number },
  settings: ImpactSettings,
): GroupImpact {
  const { people, live, draft } = counts
  const liveRate = people > 0 ? live / people : null
  const draftRate = people > 0 ? draft / people : null
  const changePoints = liveRate === null || draftRate === null ? null : (draftRate - liveRate) * 100
  return {
    group: counts.group,
    people,
    live,
    draft,
    liveRate,
    draftRate,
    changePoints,
    // Compared on the exact change: a rounded figure would flag at the margin itself.
    flagged: changePoints !== null && Math.abs(changePoints) > settings.marginPoints,
    small: people < settings.smallGroup,
  }
}

const ZERO: ImpactCounts = { live: 0, draft: 0, added: 0, removed: 0, unchanged: 0 }

function add(a: ImpactCounts, b: ImpactCounts): ImpactCounts {
  return {
    live: a.live + b.live,
    draft: a.draft + b.draft,
    added: a.added + b.added,
    removed: a.removed + b.removed,
    unchanged: a.unchanged + b.unchanged,
  }
}

function counts(row: ImpactCounts): ImpactCounts {
  return {
    live: row.live,
    draft: row.draft,
    added: row.added,
    removed: row.removed,
    unchanged: row.unchanged,
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Groups in reading order: age bands youngest first, the others alphabetically. */
function groupOrder(dimension: EqualityDimension): (a: string, b: string) => number {
  if (dimension !== 'ageBand') return byText
  const position = (label: string) => {
    const index = AGE_BANDS.findIndex((band) => band.label === label)
    return index < 0 ? AGE_BANDS.length : index
  }
  return (a, b) => position(a) - position(b) || byText(a, b)
}

/** Builds the report from the counting query's rows (in any order). */
export function impactReport(
  rows: readonly ImpactRow[],
  about: Pick<ImpactReport, 'liveVersion' | 'draftVersion' | 'today'>,
  settings: ImpactSettings,
): ImpactReport {
  const regions = rows
    .filter((row) => row.kind === 'region')
    .map((row) => ({ taskType: row.taskType, romRegion: row.romRegion, ...counts(row) }))
    .sort((a, b) => byText(a.taskType, b.taskType) || byText(a.romRegion, b.romRegion))
  const perType = new Map<string, ImpactCounts>()
  for (const row of regions) perType.set(row.taskType, add(perType.get(row.taskType) ?? ZERO, row))
  const taskTypes = [...perType].map(([taskType, c]) => ({ taskType, ...c }))
  const totals = taskTypes.reduce<ImpactCounts>((sum, row) => add(sum, row), ZERO)

  const people = new Map<string, number>()
  for (const row of rows)
    if (row.kind === 'people') people.set(`${row.dimension}\u0000${row.group}`, row.people)
  // Every dimension's groups add up to everyone present; gender has the fewest to add.
  const persons = rows
    .filter((row) => row.kind === 'people' && row.dimension === 'gender')
    .reduce((sum, row) => sum + (row.kind === 'people' ? row.people : 0), 0)

  const typeKeys: (string | null)[] = [null, ...taskTypes.map((row) => row.taskType)]
  const everyone = typeKeys.map((taskType) => {
    const row = rows.find((r) => r.kind === 'everyone' && r.taskType === taskType)
    const live = row?.kind === 'everyone' ? row.live : 0
    const draft = row?.kind === 'everyone' ? row.draft : 0
    return { taskType, ...groupImpact({ group: 'Everyone', people: persons, live, draft }, settings) }
  })

  const equality: EqualityImpact[] = []
  for (const taskType of typeKeys) {
    for (const dimension of ['nationality', 'gender', 'ageBand'] as const) {
      const counted = new Map<string, { live: number; draft: number }>()
      for (const row of rows) {
        if (row.kind === 'group' && row.taskType === taskType && row.dimension === dimension) {
          counted.set(row.group, { live: row.live, draft: row.draft })
        }
      }
      // Any task type: every group, so that a group nobody in it is recommended shows as 0 of n.
      const names =
        taskType === null
          ? rows.flatMap((row) => (row.kind === 'people' && row.dimension === dimension ? [row.group] : []))
          : [...counted.keys()]
      const groups = [...new Set(names)].sort(groupOrder(dimension)).map((group) =>
        groupImpact(
          {
            group,
            people: people.get(`${dimension}\u0000${group}`) ?? 0,
            live: counted.get(group)?.live ?? 0,
            draft: counted.get(group)?.draft ?? 0,
          },
          settings,
        ),
      )
      equality.push({ dimension, taskType, groups })
    }
  }
  const flagged = equality.reduce((sum, table) => sum + table.groups.filter((g) => g.flagged).length, 0)
  return {
    format: 1,
    ...about,
    ...settings,
    persons,
    everyone,
    taskTypes,
    regions,
    totals,
    equality,
    flagged,
  }
}
