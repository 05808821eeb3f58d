/**
 * One complete, valid case record, written by hand so that tests do not
 * depend on the generator. Every list holds one entry, so a test that
 * imports it exercises every child table.
 */
import type { CaseRecordInput } from '../../src/cases/extract.ts'

/** The date the records below are valid on (dates of birth are checked against it). */
export const RECORD_TODAY = '2026-03-02'

export function validCaseRecord(personId = 'P0001'): CaseRecordInput {
  return {
    personId,
    homeOfficeReference: `HO/${personId}`,
    familyName: 'Okafor',
    givenNames: 'Grace Adaeze',
    dateOfBirth: '1990-05-17',
    ageDisputed: false,
    gender: 'F',
    nationality: 'NGA',
    romRegion: 'LSE',
    iceRegion: 'LSE',
    redNotice: 'NONE',
    caseType: 'NON_ASYLUM',
    immigrationStatus: 'OVERSTAYER',
    identifiedForRemoval: false,
    voluntaryReturnDeclinedOn: null,
    documentation: {
      travelDocument: 'EXPIRED_PASSPORT',
      heldBy: 'HOME_OFFICE',
      expiryDate: '2021-08-31',
      etdStatus: 'NOT_STARTED',
      identityStatus: 'VERIFIED',
    },
    reporting: {
      location: 'BECKET_HOUSE',
      type: 'IN_PERSON',
      frequency: 'MONTHLY',
      nextDates: ['2026-03-10', '2026-04-07', '2026-05-05'],
      lastAttended: '2026-02-10',
      missedEvents90Days: 0,
      consecutiveMissed: 0,
      compliance: 'COMPLIANT',
      everOutOfContact: false,
      whereabouts: 'KNOWN',
      bail: {
        residenceCondition: true,
        electronicMonitoring: 'NONE',
        curfew: false,
        emLastReviewed: null,
      },
    },
    barriers: [
      {
        type: 'FURTHER_SUBMISSIONS',
        suspensive: true,
        raisedOn: '2025-11-03',
        resolvedOn: null,
        owningTeam: 'Further Submissions Unit',
      },
    ],
    harm: {
      foreignNationalOffender: false,
      longestSentenceMonths: null,
      harmLevel: 'LOW',
      deportationOrder: false,
      onLicence: false,
      offences: [{ category: 'IMMIGRATION', convictedOn: '2019-04-12', sentenceMonths: null }],
    },
    family: {
      relationship: 'MARRIED',
      primaryCarer: true,
      familyCase: true,
      children: [{ dateOfBirth: '2017-09-01', british: true, livesWith: true }],
    },
    vulnerability: {
      adultAtRiskLevel: 1,
      nrmStatus: 'NONE',
      selfHarmRisk: false,
      careLeaver: false,
      pregnant: false,
      emContraindicated: false,
      indicators: [{ type: 'MENTAL_HEALTH', identifiedOn: '2025-06-20', responseRecorded: false }],
    },
    referrals: [{ businessArea: 'RETURNS_PREPARATION', referredOn: '2026-01-15' }],
    sourceUpdatedAt: '2026-02-28T17:45:00Z',
  }
}

/** A record as plain JSON, so that a test can break it in ways the types forbid. */
// biome-ignore lint/suspicious/noExplicitAny: tests write invalid values on purpose
export type EditableRecord = Record<string, any>

/** A valid record with `change` applied to a deep copy. */
export function changedRecord(personId: string, change: (record: EditableRecord) => void): CaseRecordInput {
  const copy: EditableRecord = structuredClone(validCaseRecord(personId))
  change(copy)
  return copy as CaseRecordInput
}
