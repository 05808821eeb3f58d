/**
 * Removal prospects: whether someone has been identified for removal, and
 * whether they have declined a voluntary return.
 */
import type { IsoDate } from '../../dates.ts'
import { type Draft, eventDaysAgo, type ImmigrationStatus, type Input, YEAR } from './draft.ts'

type Barrier = Input['barriers'][number]

const REMOVABLE: ReadonlySet<ImmigrationStatus> = new Set([
  'APPEAL_RIGHTS_EXHAUSTED',
  'DEPORTATION_ORDER_SIGNED',
  'OVERSTAYER',
  'ILLEGAL_ENTRANT',
  'LEAVE_CURTAILED',
])

export function identifiedForRemoval(
  draft: Draft,
  documents: Input['documentation'],
  open: Barrier[],
): boolean {
  const blocked = open.some(
    (b) => b.suspensive || b.type === 'NO_RETURNS_ROUTE' || b.type === 'MEDICALLY_UNFIT',
  )
  if (blocked || draft.child) return false
  const documented =
    documents.travelDocument === 'VALID_PASSPORT' || documents.travelDocument === 'EMERGENCY_TRAVEL_DOCUMENT'
  // Only an appeal lodged out of time leaves a person with another status removable.
  if (!REMOVABLE.has(draft.status)) return draft.random.chance(0.02)
  const { identifiedForRemoval: likelihood } = draft.profile
  return draft.random.chance(documented ? likelihood.documented : likelihood.undocumented)
}

/** Some people told to leave have declined help to go home; a share of them recently. */
export function voluntaryReturnDeclinedOn(draft: Draft): IsoDate | null {
  const { random } = draft
  const declined = draft.profile.voluntaryReturnDeclined
  if (!REMOVABLE.has(draft.status) || draft.child || !random.chance(declined.share)) return null
  return eventDaysAgo(
    draft,
    random.chance(declined.recentShare) ? random.int(1, 90) : random.int(91, 2 * YEAR),
  )
}
