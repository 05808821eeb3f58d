/**
 * The stress profile gives every task type a sizeable minority of people to
 * find, and the global safeguards a visible minority to hold back. (The
 * realistic profile's shares are checked through the rules themselves, in
 * caseload-profiles.test.ts.)
 */
import { before, describe, it } from 'node:test'
import type { CaseRecord } from '../../src/cases/extract.ts'
import { daysBetween, type IsoDate } from '../../src/dates.ts'
import {
  ageOf,
  assertBetween,
  checkedSample,
  openBarriers,
  readTestReference,
  shareOf,
  TODAY,
} from '../support/generated-sample.ts'

let sample: CaseRecord[]

const share = (predicate: (person: CaseRecord) => boolean) => shareOf(sample, predicate)

before(async () => {
  sample = checkedSample(await readTestReference(), 'stress')
})

/**
 * Rough sketches of the domain brief's task types and global safeguards, not
 * the rules themselves: they check that the data gives every task a
 * realistic minority of people to find.
 */
describe('generateCaseRecords: enough people for every task type', () => {
  const appealRightsExhausted = (p: CaseRecord) => p.immigrationStatus === 'APPEAL_RIGHTS_EXHAUSTED'
  const usableDocument = (p: CaseRecord) =>
    ['VALID_PASSPORT', 'EMERGENCY_TRAVEL_DOCUMENT'].includes(p.documentation.travelDocument) &&
    (p.documentation.expiryDate ?? '') > TODAY
  const openSuspensive = (p: CaseRecord) => openBarriers(p).some((b) => b.suspensive)
  const safeguarded = (p: CaseRecord) =>
    p.vulnerability.adultAtRiskLevel >= 2 ||
    p.vulnerability.pregnant ||
    ageOf(p) < 18 ||
    p.ageDisputed ||
    ['PENDING', 'POSITIVE_REASONABLE_GROUNDS', 'POSITIVE_CONCLUSIVE_GROUNDS'].includes(
      p.vulnerability.nrmStatus,
    ) ||
    openSuspensive(p)
  const enforceable = (p: CaseRecord) => !safeguarded(p)
  const daysAgo = (date: string | null) =>
    date === null ? Number.POSITIVE_INFINITY : daysBetween(date as IsoDate, TODAY)

  const sketches: Record<string, (p: CaseRecord) => boolean> = {
    REPORTING_REVIEW: (p) =>
      enforceable(p) &&
      ((p.reporting.compliance === 'COMPLIANT' &&
        p.reporting.missedEvents90Days === 0 &&
        !p.reporting.everOutOfContact &&
        !(p.harm.foreignNationalOffender && p.harm.harmLevel === 'HIGH') &&
        (p.documentation.etdStatus === 'REFUSED' ||
          openBarriers(p).some((b) => b.type === 'NO_RETURNS_ROUTE'))) ||
        p.reporting.missedEvents90Days >= 2),
    REMOTE_REPORTING: (p) =>
      enforceable(p) &&
      p.reporting.type === 'IN_PERSON' &&
      !p.harm.foreignNationalOffender &&
      p.harm.harmLevel !== 'HIGH' &&
      !p.identifiedForRemoval &&
      !p.reporting.everOutOfContact,
    DOCUMENTATION_INTERVIEW: (p) =>
      enforceable(p) &&
      appealRightsExhausted(p) &&
      !usableDocument(p) &&
      !openBarriers(p).some((b) => b.type === 'ASYLUM_CLAIM'),
    VOLUNTARY_RETURN: (p) =>
      enforceable(p) && appealRightsExhausted(p) && daysAgo(p.voluntaryReturnDeclinedOn) > 90,
    DETENTION_REVIEW: (p) =>
      enforceable(p) &&
      usableDocument(p) &&
      openBarriers(p).length === 0 &&
      p.identifiedForRemoval &&
      p.family.children.length === 0,
    EM_REVIEW: (p) =>
      enforceable(p) &&
      p.harm.deportationOrder &&
      !p.vulnerability.emContraindicated &&
      (p.reporting.bail.electronicMonitoring === 'NONE' || daysAgo(p.reporting.bail.emLastReviewed) > 91),
    FAILED_TO_REPORT: (p) =>
      enforceable(p) &&
      p.reporting.consecutiveMissed >= 1 &&
      !['HOSPITAL', 'CUSTODY', 'LEFT_UK'].includes(p.reporting.whereabouts),
    BARRIER_PROGRESSION: (p) => openBarriers(p).some((b) => daysAgo(b.raisedOn) > 365),
    SAFEGUARDING: (p) => p.vulnerability.indicators.some((i) => !i.responseRecorded),
  }

  for (const [task, sketch] of Object.entries(sketches)) {
    it(`gives ${task} a minority of people`, () => assertBetween(share(sketch), 0.01, 0.18, task))
  }

  it('lets the global safeguards hold back a visible minority', () => {
    assertBetween(share(safeguarded), 0.15, 0.45, 'safeguarded')
    // Each safeguard plays its part, not only the barriers.
    assertBetween(
      share((p) => p.vulnerability.adultAtRiskLevel >= 2),
      0.02,
      0.15,
      'adult at risk 2 or 3',
    )
    assertBetween(
      share((p) => ageOf(p) < 18 || p.ageDisputed),
      0.02,
      0.07,
      'under 18 or age disputed',
    )
  })
})
