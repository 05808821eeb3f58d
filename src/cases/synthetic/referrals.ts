/**
 * Referrals from business areas that reviewed the case first.
 */
import { type Draft, earliestFirst, eventDaysAgo, type Input, YEAR } from './draft.ts'

type Referral = Input['referrals'][number]

/** How likely each business area is to have referred this person. */
const REFERRAL_LIKELIHOOD: Readonly<
  Record<string, (draft: Draft, vulnerable: Input['vulnerability']) => number>
> = {
  RETURNS_PREPARATION: () => 0.05,
  CRIMINAL_CASEWORK: (draft) => (draft.caseType === 'FNO' ? 0.08 : 0),
  ASYLUM_CASEWORK: (draft) => (draft.caseType === 'ASYLUM' ? 0.03 : 0),
  DETAINED_CASEWORK: () => 0.01,
  SAFEGUARDING_HUB: (_draft, vulnerable) => (vulnerable.indicators.length > 0 ? 0.06 : 0),
}
const OTHER_REFERRAL_LIKELIHOOD = 0.01

export function referrals(
  draft: Draft,
  areas: ReadonlySet<string>,
  vulnerable: Input['vulnerability'],
): Referral[] {
  const { random } = draft
  const found: Referral[] = []
  for (const area of areas) {
    const likelihood = REFERRAL_LIKELIHOOD[area]?.(draft, vulnerable) ?? OTHER_REFERRAL_LIKELIHOOD
    if (likelihood === 0 || !random.chance(likelihood)) continue
    // Most referrals are recent; a few have waited.
    const days = random.chance(0.85) ? random.int(1, 45) : random.int(46, YEAR)
    found.push({ businessArea: area, referredOn: eventDaysAgo(draft, days) })
  }
  return found.sort(earliestFirst((r) => r.referredOn))
}
