/**
 * Reporting: where, how and how often a person reports, the next three
 * dates, what they have missed, their bail conditions and monitoring.
 */
import { type Draft, eventDaysAgo, historyLimit, type Input, YEAR } from './draft.ts'
import { type Random, weighted } from './random.ts'

type Frequency = Input['reporting']['frequency']
type Compliance = Input['reporting']['compliance']

/** Days between reporting events; all whole weeks, so events stay on one weekday. */
const INTERVAL: Record<Frequency, number> = {
  TWICE_WEEKLY: 7,
  WEEKLY: 7,
  FORTNIGHTLY: 14,
  MONTHLY: 28,
  TWO_MONTHLY: 56,
  QUARTERLY: 91,
  SIX_MONTHLY: 182,
}
const reportingTypeForOffenders = weighted<Input['reporting']['type']>([
  ['IN_PERSON', 92],
  ['TELEPHONE', 5],
  ['DIGITAL', 3],
])
const complianceForChildren = weighted<Compliance>([
  ['COMPLIANT', 95],
  ['FAILED_TO_REPORT', 4],
  ['OUT_OF_CONTACT', 1],
])
const WHEREABOUTS_BY_COMPLIANCE: Record<Compliance, (random: Random) => Input['reporting']['whereabouts']> = {
  COMPLIANT: weighted([
    ['KNOWN', 99.5],
    ['HOSPITAL', 0.5],
  ]),
  FAILED_TO_REPORT: weighted([
    ['KNOWN', 55],
    ['HOSPITAL', 10],
    ['CUSTODY', 10],
    ['UNKNOWN', 25],
  ]),
  OUT_OF_CONTACT: weighted([
    ['UNKNOWN', 80],
    ['LEFT_UK', 8],
    ['CUSTODY', 7],
    ['HOSPITAL', 5],
  ]),
  ABSCONDER: weighted([
    ['UNKNOWN', 90],
    ['LEFT_UK', 10],
  ]),
}
const consecutiveMisses = weighted<number>([
  [1, 60],
  [2, 25],
  [3, 15],
])
const electronicMonitoring = {
  offender: weighted<Input['reporting']['bail']['electronicMonitoring']>([
    ['TAG', 10],
    ['NON_FITTED_DEVICE', 5],
    ['NONE', 85],
  ]),
  others: weighted<Input['reporting']['bail']['electronicMonitoring']>([
    ['TAG', 0.5],
    ['NON_FITTED_DEVICE', 1],
    ['NONE', 98.5],
  ]),
}
/** Twice-weekly events fall on Monday and Thursday, or Tuesday and Friday. */
const TWICE_WEEKLY_DAYS: ReadonlySet<number> = new Set([1, 2, 4, 5])
const MONDAY = 1
const TUESDAY = 2
const LOOK_BACK_DAYS = 90

/**
 * A reporting pattern: the first event after today (days ahead) and the gaps
 * that repeat from it. Twice-weekly reporting alternates three and four days
 * (Monday and Thursday, or Tuesday and Friday); everything else keeps a
 * constant gap of whole weeks.
 */
interface Schedule {
  readonly first: number
  readonly gaps: readonly [number, number]
}

/** The `n`th event before the first upcoming one, in days from today (negative). */
function pastEvent(schedule: Schedule, n: number): number {
  const [g1, g2] = schedule.gaps
  return schedule.first - Math.floor(n / 2) * (g1 + g2) - (n % 2 === 1 ? g2 : 0)
}

function schedule(draft: Draft, frequency: Frequency): Schedule {
  const { random, calendar } = draft
  const twiceWeekly = frequency === 'TWICE_WEEKLY'
  const interval = INTERVAL[frequency]
  const gapsFrom = (first: number): readonly [number, number] => {
    if (!twiceWeekly) return [interval, interval]
    const day = calendar.weekdayOf(first)
    return day === MONDAY || day === TUESDAY ? [3, 4] : [4, 3]
  }
  const fits = (first: number) => {
    const day = calendar.weekdayOf(first)
    const weekday = twiceWeekly ? TWICE_WEEKLY_DAYS.has(day) : day >= 1 && day <= 5
    // The previous event must be in the past, not today, so it can be attended or missed.
    return weekday && pastEvent({ first, gaps: gapsFrom(first) }, 1) <= -1
  }
  const latest = twiceWeekly ? 4 : interval - 1
  let first = random.int(1, latest)
  for (let tries = 0; !fits(first) && tries < 20; tries++) first = random.int(1, latest)
  for (let candidate = 1; !fits(first) && candidate <= 7; candidate++) first = candidate
  return { first, gaps: gapsFrom(first) }
}

export function reporting(
  draft: Draft,
  location: string,
  offender: Input['harm'],
  vulnerable: Input['vulnerability'],
): Input['reporting'] {
  const { random, calendar, profile } = draft
  const closelyManaged = offender.foreignNationalOffender || offender.harmLevel === 'HIGH'
  const frequency = (closelyManaged ? profile.frequency.closelyManaged : profile.frequency.others)(random)
  const plan = schedule(draft, frequency)
  const compliance = (draft.child ? complianceForChildren : profile.adultCompliance)(random)
  const whereabouts = WHEREABOUTS_BY_COMPLIANCE[compliance](random)

  // Missed events: the `missed` most recent past events, then the one attended.
  let missed = 0
  let earlierMisses = 0
  let neverAttended = false
  switch (compliance) {
    case 'COMPLIANT':
      if (random.chance(profile.compliantWithEarlierMisses)) earlierMisses = random.int(1, 2)
      break
    case 'FAILED_TO_REPORT':
      missed = consecutiveMisses(random)
      if (random.chance(0.1)) earlierMisses = 1
      break
    case 'OUT_OF_CONTACT':
    case 'ABSCONDER': {
      const since = compliance === 'ABSCONDER' ? random.int(180, 5 * YEAR) : random.int(45, 2 * YEAR)
      // At least the latest event has been missed, however long the gap between events.
      do missed++
      while (pastEvent(plan, missed + 1) > -since)
      neverAttended = compliance === 'ABSCONDER' && random.chance(0.1)
      break
    }
  }
  const attended = pastEvent(plan, missed + 1)
  let missedEvents90Days = 0
  for (let n = 1; n <= missed && pastEvent(plan, n) >= -LOOK_BACK_DAYS; n++) missedEvents90Days++
  for (let n = missed + 2; n < missed + 2 + earlierMisses && pastEvent(plan, n) >= -LOOK_BACK_DAYS; n++) {
    missedEvents90Days++
  }

  // Reporting is suspended while someone is in custody or has left the country.
  const suspended = whereabouts === 'CUSTODY' || whereabouts === 'LEFT_UK'
  const [g1, g2] = plan.gaps
  const nextDates = suspended
    ? []
    : [calendar.on(plan.first), calendar.on(plan.first + g1), calendar.on(plan.first + g1 + g2)]

  const monitoring = (
    offender.deportationOrder
      ? profile.deportationMonitoring
      : offender.foreignNationalOffender
        ? electronicMonitoring.offender
        : electronicMonitoring.others
  )(random)
  // A medical reason against a tag is usually respected.
  const em = vulnerable.emContraindicated && monitoring === 'TAG' && random.chance(0.9) ? 'NONE' : monitoring
  const monitored = em !== 'NONE'
  return {
    location,
    type: (closelyManaged ? reportingTypeForOffenders : profile.reportingTypeForOthers)(random),
    frequency,
    nextDates,
    lastAttended: neverAttended ? null : eventDaysAgo(draft, Math.min(-attended, historyLimit(draft))),
    missedEvents90Days,
    consecutiveMissed: Math.min(200, missed),
    compliance,
    everOutOfContact: compliance === 'OUT_OF_CONTACT' || compliance === 'ABSCONDER' || random.chance(0.09),
    whereabouts,
    bail: {
      residenceCondition: random.chance(0.75),
      electronicMonitoring: em,
      curfew: random.chance(em === 'TAG' ? 0.45 : 0.02),
      // Reviews are meant to be quarterly; some are overdue and a few never happened.
      emLastReviewed:
        monitored && random.chance(0.95)
          ? eventDaysAgo(draft, random.int(1, profile.emLastReviewedWithinDays))
          : null,
    },
  }
}
