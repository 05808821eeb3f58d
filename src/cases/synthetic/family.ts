/**
 * Family: partner, children in the UK and who cares for them.
 */
import { type Draft, type Input, YEAR, yearsInDays } from './draft.ts'
import { weighted } from './random.ts'

type Child = Input['family']['children'][number]

const childCount = weighted<number>([
  [1, 45],
  [2, 30],
  [3, 15],
  [4, 7],
  [5, 3],
])
const relationshipWithChildren = weighted<Input['family']['relationship']>([
  ['MARRIED', 40],
  ['PARTNER', 25],
  ['SEPARATED', 20],
  ['SINGLE', 10],
  ['WIDOWED', 3],
  ['UNKNOWN', 2],
])
const relationshipWithoutChildren = weighted<Input['family']['relationship']>([
  ['SINGLE', 62],
  ['MARRIED', 12],
  ['PARTNER', 8],
  ['SEPARATED', 8],
  ['WIDOWED', 2],
  ['UNKNOWN', 8],
])
const LATEST_CHILD_AGE_DAYS = 17 * YEAR + 360

export function family(draft: Draft): Input['family'] {
  const { random, calendar } = draft
  // Children, and those whose age is disputed, are not recorded as parents or partners.
  if (draft.child) {
    return { relationship: 'SINGLE', primaryCarer: false, familyCase: false, children: [] }
  }
  const parentAge = draft.age >= 22 && draft.age <= 55
  const share = draft.gender === 'F' ? (parentAge ? 0.4 : 0.1) : parentAge ? 0.24 : 0.06
  // Children are born after the parent turned sixteen and are under eighteen now.
  const oldestChild = Math.min(LATEST_CHILD_AGE_DAYS, draft.daysOld - yearsInDays(16))
  const children: Child[] = []
  if (oldestChild > 1 && random.chance(share)) {
    // Oldest first, each born ten months to four years after the one before (now and then a twin).
    let childDaysOld = random.int(1, oldestChild)
    for (let n = childCount(random); n > 0 && childDaysOld >= 1; n--) {
      children.push({
        dateOfBirth: calendar.on(-childDaysOld),
        british: random.chance(0.3),
        livesWith: random.chance(0.7),
      })
      childDaysOld -= random.chance(0.02) ? 0 : random.int(300, 4 * YEAR)
    }
  }
  const caring = children.some((c) => c.livesWith)
  return {
    relationship: (children.length > 0 ? relationshipWithChildren : relationshipWithoutChildren)(random),
    primaryCarer: caring && random.chance(draft.gender === 'F' ? 0.65 : 0.12),
    familyCase: caring && random.chance(0.2),
    children,
  }
}
