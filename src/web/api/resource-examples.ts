/**
 * Worked examples of the person, rule-run and MI operations, on the same
 * data as the task examples (task-examples.ts): Grace Okafor (P1) in LSE,
 * P2 in MEE, and the stand-in rule run of 09:00 on 2 March 2026.
 */
import type { ApiExample } from './operations.ts'
import { PROBLEM_TYPE_BASE } from './problem-details.ts'

const problemType = (code: string) => `${PROBLEM_TYPE_BASE}#${code}`

const GRACE_OKAFOR = {
  person: {
    personId: 'P1',
    homeOfficeReference: 'HO/P1',
    familyName: 'Okafor',
    givenNames: 'Grace',
    dateOfBirth: '1990-05-17',
    nationality: {
      code: 'NGA',
      name: 'Nigeria',
    },
    romRegion: {
      code: 'LSE',
      name: 'London and South East',
    },
    ageDisputed: false,
    gender: 'F',
    iceRegion: {
      code: 'LSE',
      name: 'London and South East',
    },
    redNotice: 'NONE',
    caseType: 'NON_ASYLUM',
    immigrationStatus: 'OVERSTAYER',
    identifiedForRemoval: false,
    voluntaryReturnDeclinedOn: null,
  },
  documentation: {
    travelDocument: 'NONE',
    heldBy: null,
    expiryDate: null,
    etdStatus: 'NOT_STARTED',
    identityStatus: 'VERIFIED',
  },
  reporting: {
    location: {
      code: 'BECKET_HOUSE',
      name: 'Becket House',
      kind: 'REPORTING_CENTRE',
    },
    type: 'IN_PERSON',
    frequency: 'MONTHLY',
    nextDates: ['2026-03-10'],
    lastAttended: '2026-02-10',
    missedEvents90Days: 2,
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
  barriers: [],
  harm: {
    foreignNationalOffender: false,
    longestSentenceMonths: null,
    harmLevel: 'LOW',
    deportationOrder: false,
    onLicence: false,
    offences: [],
  },
  family: {
    relationship: 'SINGLE',
    primaryCarer: false,
    familyCase: false,
    children: [],
  },
  vulnerability: {
    adultAtRiskLevel: 0,
    nrmStatus: 'NONE',
    selfHarmRisk: false,
    careLeaver: false,
    pregnant: false,
    emContraindicated: false,
    indicators: [],
  },
  referrals: [],
  dataChangedAt: '2026-03-02T08:00:00.000Z',
  sourceUpdatedAt: null,
  present: true,
}

export const PERSON_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'person-in-lse',
    summary: 'Grace Okafor’s record',
    params: { personId: 'P1' },
    response: { status: 200, body: GRACE_OKAFOR },
  },
  {
    name: 'person-in-another-region',
    summary: 'A person in a region the client may not see',
    params: { personId: 'P2' },
    response: { status: 404, body: { type: problemType('not-found'), status: 404 } },
  },
]

const STAND_IN_RUN = {
  id: 1,
  ruleSetVersion: 'stand-in-v1',
  trigger: 'manual',
  status: 'COMPLETED',
  startedAt: '2026-03-02T09:00:00.000Z',
  finishedAt: '2026-03-02T09:00:00.000Z',
  personsEvaluated: 2,
  counts: [
    { taskType: 'FAILED_TO_REPORT', romRegion: 'LSE', new: 1, unchanged: 0, withdrawn: 0, suppressed: 0 },
  ],
  failure: null,
}

export const RULE_RUN_LIST_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'latest-runs',
    summary: 'The latest runs',
    query: { limit: '20' },
    response: { status: 200, body: { runs: [STAND_IN_RUN], next: null } },
  },
]

export const RULE_RUN_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'one-run',
    summary: 'The run that made the tasks',
    params: { runId: 1 },
    response: { status: 200, body: STAND_IN_RUN },
  },
  {
    name: 'no-such-run',
    summary: 'A run that does not exist',
    params: { runId: 99 },
    response: { status: 404, body: { type: problemType('not-found'), status: 404 } },
  },
]

export const RULE_RUN_QUEUE_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'queue-a-run',
    summary: 'Queue an incremental run',
    body: { full: false },
    response: { status: 202, body: { jobId: '3f1c1b0e-9a4d-4c52-8f0e-2a7d5b6c1e90', status: 'queued' } },
  },
]

export const MI_EXAMPLES: readonly ApiExample[] = [
  {
    name: 'report-as-json-lines',
    summary: 'The first days of March as JSON lines',
    query: { from: '2026-03-01', to: '2026-03-07', format: 'jsonl' },
    response: {
      status: 200,
      body: '{"Person ID":"P1","HO ID":"HO/P1","Intervention Type":"Failed-to-report follow-up","Full Name":"Grace Okafor","Gender":"F","Country of Nationality":"Nigeria","Date of Birth":"1990-05-17","Age":35,"Next Reporting Date":"2026-03-10","Next Reporting Date + 1":null,"Next Reporting Date + 2":null,"Reporting Frequency":"Monthly","ROM Region":"London and South East","ICE Region":"London and South East","Reporting Centre":"Becket House","Referral":null,"Date Generated":"2026-03-02","Rule Version":"stand-in-v1","Current Flag":"Y","Current Status":"Recommended","Status Updated On":"2026-03-02 09:00:00","Status Updated By":"IPIC rules","Legal or suspensive barrier outstanding":null,"Adult at risk / vulnerability":null,"Family or best interests of a child":null,"Medical":null,"Source data incorrect":null,"Circumstances changed":null,"Duplicate or already in progress":null,"No realistic prospect of documentation or removal":null,"Owned by another team":null,"Disproportionate given compliance":null,"Operational constraint":null,"Other (explanation required)":null,"Rejection Explanation":null}\n',
      mediaType: 'application/jsonl',
    },
  },
  {
    name: 'range-backwards',
    summary: 'A range that ends before it starts',
    query: { from: '2026-03-07', to: '2026-03-01' },
    response: { status: 422, body: { type: problemType('invalid-report-range'), status: 422 } },
  },
]
