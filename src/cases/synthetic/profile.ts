/**
 * Caseload profiles: the few proportions that decide how many persons each
 * task type finds, gathered in one place (docs/decisions/0025-realistic-caseload.md).
 *
 * - `realistic`: a reporting caseload the service has been working for a
 *   while, where most people's reporting is already set right, documentation
 *   is under way and reviews are in date; about one person in six has a
 *   task, as the rules' own descriptions make plausible.
 * - `stress`: the first caseload the generator made, nearly one task per
 *   person: the worst case for the rule run and the review pages. Its values
 *   are kept exactly, so an extract is byte-identical for the same seed and
 *   figures measured on it stay comparable.
 *
 * A profile changes probabilities only, never how many random numbers a
 * person draws or in what order, so the rest of the generator is the same
 * code for both.
 */
import type { CaseRecordInput as Input } from '../extract.ts'
import { type Random, weighted } from './random.ts'

export const CASELOAD_PROFILES = ['realistic', 'stress'] as const
export type CaseloadProfileName = (typeof CASELOAD_PROFILES)[number]
export const DEFAULT_CASELOAD_PROFILE: CaseloadProfileName = 'realistic'

export function isCaseloadProfileName(name: string): name is CaseloadProfileName {
  return (CASELOAD_PROFILES as readonly string[]).includes(name)
}

type Reporting = Input['reporting']
type Picker<T> = (random: Random) => T

export interface CaseloadProfile {
  readonly name: CaseloadProfileName
  /** Adults' reporting compliance: FAILED_TO_REPORT, and REPORTING_REVIEW's increase. */
  readonly adultCompliance: Picker<Reporting['compliance']>
  /** Chance a compliant person missed an event or two before their last attended one: REPORTING_REVIEW's increase. */
  readonly compliantWithEarlierMisses: number
  /** How often people report: REPORTING_REVIEW's reduction is for those who report fortnightly or more. */
  readonly frequency: {
    readonly closelyManaged: Picker<Reporting['frequency']>
    readonly others: Picker<Reporting['frequency']>
  }
  /** How people other than offenders report: REMOTE_REPORTING is for those still reporting in person. */
  readonly reportingTypeForOthers: Picker<Reporting['type']>
  /** Monitoring of a person with a deportation order: EM_REVIEW considers it for those without. */
  readonly deportationMonitoring: Picker<Reporting['bail']['electronicMonitoring']>
  /** Days since the last monitoring review are drawn from 1 to this: EM_REVIEW is due after 90. */
  readonly emLastReviewedWithinDays: number
  /**
   * Emergency travel document progress of an undocumented person, by whether
   * removal is their next step (appeal rights exhausted or a deportation
   * order signed): DOCUMENTATION_INTERVIEW is for those whose document is not
   * yet in progress.
   */
  readonly etdWithoutDocument: (removalNext: boolean) => Picker<Input['documentation']['etdStatus']>
  /** Chance a removable adult is identified for removal, with and without a travel document: DETENTION_REVIEW. */
  readonly identifiedForRemoval: { readonly documented: number; readonly undocumented: number }
  /** Chance a removable adult has declined voluntary return, and that it was in the last 90 days: VOLUNTARY_RETURN. */
  readonly voluntaryReturnDeclined: { readonly share: number; readonly recentShare: number }
  /**
   * How long open barriers have waited: each kind's share older than a year
   * is multiplied by `oldShareFactor`, and the rest were raised up to
   * `recentDays` ago: BARRIER_PROGRESSION asks about those open over 180 days.
   */
  readonly barrierAge: { readonly oldShareFactor: number; readonly recentDays: number }
  /** Chance a vulnerability indicator has a recorded response: SAFEGUARDING is for those without. */
  readonly responseRecorded: {
    /** For a person with no adult-at-risk level assessed. */
    readonly unassessed: number
    /** For an assessed person's indicator identified in the last 60 days. */
    readonly recent: number
    readonly older: number
  }
}

const STRESS_ETD_WITHOUT_DOCUMENT = weighted<Input['documentation']['etdStatus']>([
  ['NOT_STARTED', 40],
  ['APPLIED', 20],
  ['INTERVIEW_PENDING', 10],
  ['AGREED', 6],
  ['REFUSED', 16],
  ['EXPIRED', 8],
])

const STRESS: CaseloadProfile = {
  name: 'stress',
  adultCompliance: weighted([
    ['COMPLIANT', 84],
    ['FAILED_TO_REPORT', 8],
    ['OUT_OF_CONTACT', 5],
    ['ABSCONDER', 3],
  ]),
  compliantWithEarlierMisses: 0.05,
  frequency: {
    closelyManaged: weighted([
      ['TWICE_WEEKLY', 6],
      ['WEEKLY', 36],
      ['FORTNIGHTLY', 26],
      ['MONTHLY', 24],
      ['TWO_MONTHLY', 5],
      ['QUARTERLY', 3],
    ]),
    others: weighted([
      ['TWICE_WEEKLY', 1],
      ['WEEKLY', 11],
      ['FORTNIGHTLY', 20],
      ['MONTHLY', 38],
      ['TWO_MONTHLY', 12],
      ['QUARTERLY', 13],
      ['SIX_MONTHLY', 5],
    ]),
  },
  reportingTypeForOthers: weighted([
    ['IN_PERSON', 55],
    ['TELEPHONE', 23],
    ['DIGITAL', 22],
  ]),
  deportationMonitoring: weighted([
    ['TAG', 45],
    ['NON_FITTED_DEVICE', 15],
    ['NONE', 40],
  ]),
  emLastReviewedWithinDays: 200,
  etdWithoutDocument: () => STRESS_ETD_WITHOUT_DOCUMENT,
  identifiedForRemoval: { documented: 0.65, undocumented: 0.2 },
  voluntaryReturnDeclined: { share: 0.4, recentShare: 0.5 },
  barrierAge: { oldShareFactor: 1, recentDays: 365 },
  responseRecorded: { unassessed: 0.45, recent: 0.6, older: 0.93 },
}

/** Once removal is the next step, documentation is mostly under way or done. */
const ETD_AFTER_APPEAL_RIGHTS = weighted<Input['documentation']['etdStatus']>([
  ['NOT_STARTED', 2],
  ['APPLIED', 3],
  ['INTERVIEW_PENDING', 50],
  ['AGREED', 31],
  ['REFUSED', 10],
  ['EXPIRED', 4],
])

const REALISTIC: CaseloadProfile = {
  name: 'realistic',
  adultCompliance: weighted([
    ['COMPLIANT', 96.5],
    ['FAILED_TO_REPORT', 2],
    ['OUT_OF_CONTACT', 1],
    ['ABSCONDER', 0.5],
  ]),
  compliantWithEarlierMisses: 0.02,
  frequency: {
    closelyManaged: weighted([
      ['TWICE_WEEKLY', 2],
      ['WEEKLY', 8],
      ['FORTNIGHTLY', 10],
      ['MONTHLY', 50],
      ['TWO_MONTHLY', 18],
      ['QUARTERLY', 12],
    ]),
    others: weighted([
      ['TWICE_WEEKLY', 0.2],
      ['WEEKLY', 1.5],
      ['FORTNIGHTLY', 3.3],
      ['MONTHLY', 45],
      ['TWO_MONTHLY', 20],
      ['QUARTERLY', 22],
      ['SIX_MONTHLY', 8],
    ]),
  },
  reportingTypeForOthers: weighted([
    ['IN_PERSON', 6],
    ['TELEPHONE', 44],
    ['DIGITAL', 50],
  ]),
  deportationMonitoring: weighted([
    ['TAG', 62],
    ['NON_FITTED_DEVICE', 30],
    ['NONE', 8],
  ]),
  emLastReviewedWithinDays: 100,
  etdWithoutDocument: (removalNext) => (removalNext ? ETD_AFTER_APPEAL_RIGHTS : STRESS_ETD_WITHOUT_DOCUMENT),
  identifiedForRemoval: { documented: 0.08, undocumented: 0.03 },
  voluntaryReturnDeclined: { share: 0.93, recentShare: 0.93 },
  barrierAge: { oldShareFactor: 0.3, recentDays: 180 },
  responseRecorded: { unassessed: 0.9, recent: 0.85, older: 0.99 },
}

export const CASELOAD_PROFILE: Readonly<Record<CaseloadProfileName, CaseloadProfile>> = {
  realistic: REALISTIC,
  stress: STRESS,
}
