/**
 * Barriers to removal: the legal route (claims, appeals, further submissions,
 * judicial review) and practical obstacles (no document, no route, illness).
 */
import { type Draft, earliestFirst, eventDaysAgo, historyLimit, type Input, YEAR } from './draft.ts'

type Barrier = Input['barriers'][number]

type BarrierType = Barrier['type']
const OWNING_TEAM: Record<BarrierType, string> = {
  ASYLUM_CLAIM: 'Asylum Casework',
  HUMAN_RIGHTS_CLAIM: 'Asylum Casework',
  APPEAL: 'Appeals and Litigation',
  JUDICIAL_REVIEW: 'Litigation Operations',
  FURTHER_SUBMISSIONS: 'Further Submissions Unit',
  OUTSTANDING_APPLICATION: 'UK Visas and Immigration',
  TRAFFICKING_REFERRAL_PENDING: 'Single Competent Authority',
  NO_TRAVEL_DOCUMENT: 'Returns Preparation',
  NO_RETURNS_ROUTE: 'Returns Logistics',
  MEDICALLY_UNFIT: 'Returns Logistics',
  INJUNCTION: 'Litigation Operations',
}
/** Criminal Casework owns the claims and appeals of foreign national offenders. */
const OFFENDER_OWNED: ReadonlySet<BarrierType> = new Set([
  'HUMAN_RIGHTS_CLAIM',
  'APPEAL',
  'FURTHER_SUBMISSIONS',
])

/**
 * How long ago an open barrier was raised: a minority have waited more than
 * a year (the caseload profile says how much of the kind's `oldShare` and how
 * recent the rest are).
 */
function openFor(draft: Draft, oldShare: number, oldest: number): number {
  const { random } = draft
  const age = draft.profile.barrierAge
  return random.chance(oldShare * age.oldShareFactor)
    ? random.int(YEAR + 1, oldest)
    : random.int(1, age.recentDays)
}

/** A barrier in days before today, before it is fitted to the person's lifetime. */
interface PendingBarrier {
  type: BarrierType
  suspensive: boolean
  raised: number
  resolved: number | null
}

/**
 * The person's legal route, most recent step first, built backwards from
 * today: an open step (the current claim, appeal or submissions) and, for
 * some people, the resolved steps that led to it. Older source records often
 * carry no history, so not everyone has it.
 */
function legalRoute(draft: Draft): PendingBarrier[] {
  const { random } = draft
  const steps: PendingBarrier[] = []
  let cursor = 0
  const open = (type: BarrierType, raised: number, suspensive = true) => {
    steps.push({ type, suspensive, raised, resolved: null })
    cursor = raised
  }
  const resolvedBefore = (type: BarrierType, gap: number, lasted: number) => {
    const resolved = cursor + gap
    steps.push({ type, suspensive: true, raised: resolved + lasted, resolved })
    cursor = resolved + lasted
  }
  const claim: BarrierType = draft.caseType === 'ASYLUM' ? 'ASYLUM_CLAIM' : 'HUMAN_RIGHTS_CLAIM'
  const withHistory = random.chance(0.6)

  switch (draft.status) {
    case 'ASYLUM_CLAIM_PENDING':
      open('ASYLUM_CLAIM', openFor(draft, 0.3, 5 * YEAR))
      break
    case 'APPEAL_PENDING':
      // An appeal out of time does not stop removal.
      open('APPEAL', openFor(draft, 0.12, 3 * YEAR), random.chance(0.9))
      if (withHistory) resolvedBefore(claim, random.int(5, 14), random.int(90, 900))
      break
    case 'APPEAL_RIGHTS_EXHAUSTED':
    case 'DEPORTATION_ORDER_SIGNED': {
      const furtherSubmissions = draft.status === 'APPEAL_RIGHTS_EXHAUSTED' ? 0.18 : 0.1
      if (random.chance(furtherSubmissions)) open('FURTHER_SUBMISSIONS', openFor(draft, 0.25, 4 * YEAR))
      else if (random.chance(0.04)) open('JUDICIAL_REVIEW', random.int(1, 500), random.chance(0.6))
      if (withHistory) {
        cursor += random.int(30, 700)
        resolvedBefore('APPEAL', random.int(14, 60), random.int(90, 600))
        resolvedBefore(claim, random.int(5, 14), random.int(60, 900))
      }
      break
    }
    case 'OVERSTAYER':
    case 'LEAVE_CURTAILED':
      if (random.chance(0.15))
        open('OUTSTANDING_APPLICATION', openFor(draft, 0.2, 3 * YEAR), random.chance(0.2))
      else if (random.chance(0.04)) open('HUMAN_RIGHTS_CLAIM', openFor(draft, 0.2, 3 * YEAR))
      break
    case 'ILLEGAL_ENTRANT':
      if (random.chance(0.05)) open('HUMAN_RIGHTS_CLAIM', openFor(draft, 0.2, 3 * YEAR))
      break
  }
  return steps
}

/** Practical obstacles to removal, independent of the legal route. */
function practicalBarriers(
  draft: Draft,
  documents: Input['documentation'],
  vulnerable: Input['vulnerability'],
): PendingBarrier[] {
  const { random } = draft
  const found: PendingBarrier[] = []
  const add = (type: BarrierType, suspensive: boolean, raised: number, resolved: number | null = null) =>
    found.push({ type, suspensive, raised, resolved })

  const undocumented = documents.travelDocument === 'NONE' || documents.travelDocument === 'EXPIRED_PASSPORT'
  if (undocumented && documents.etdStatus === 'REFUSED' && random.chance(0.6)) {
    add('NO_TRAVEL_DOCUMENT', false, openFor(draft, 0.3, 4 * YEAR))
  }
  if (random.chance(0.03)) add('NO_RETURNS_ROUTE', false, openFor(draft, 0.35, 5 * YEAR))
  const unwell = vulnerable.indicators.some((i) => i.type === 'PHYSICAL_HEALTH')
  if (random.chance(unwell ? 0.15 : 0.01)) add('MEDICALLY_UNFIT', false, openFor(draft, 0.2, 2 * YEAR))
  if (random.chance(0.003)) add('INJUNCTION', true, random.int(1, 120))
  if (vulnerable.nrmStatus === 'PENDING')
    add('TRAFFICKING_REFERRAL_PENDING', true, openFor(draft, 0.25, 3 * YEAR))
  // A few that were raised and have since been settled.
  if (random.chance(0.02)) {
    const resolved = random.int(1, 2 * YEAR)
    add('MEDICALLY_UNFIT', false, resolved + random.int(14, 300), resolved)
  }
  return found
}

export function barriers(
  draft: Draft,
  documents: Input['documentation'],
  vulnerable: Input['vulnerability'],
): Barrier[] {
  const pending = [...legalRoute(draft), ...practicalBarriers(draft, documents, vulnerable)]
  if (pending.length === 0) return []
  // Squeeze a history longer than the person's adult life into it, keeping its order.
  const oldest = Math.max(...pending.map((b) => b.raised))
  const scale = Math.min(1, historyLimit(draft) / oldest)
  const fit = (days: number) => Math.max(1, Math.round(days * scale))
  const owners = draft.caseType === 'FNO' ? OFFENDER_OWNED : undefined
  return pending
    .map(
      (b): Barrier => ({
        type: b.type,
        suspensive: b.suspensive,
        raisedOn: eventDaysAgo(draft, fit(b.raised)),
        resolvedOn: b.resolved === null ? null : eventDaysAgo(draft, fit(b.resolved)),
        owningTeam: owners?.has(b.type) ? 'Criminal Casework' : OWNING_TEAM[b.type],
      }),
    )
    .sort(earliestFirst((b) => b.raisedOn))
}
