import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CaseRecordView } from '../../../src/cases/case-record.ts'
import { GENDER } from '../../../src/cases/values.ts'
import type { IsoDate } from '../../../src/dates.ts'
import type { TaskHistoryEvent, TaskView } from '../../../src/review/task-view.ts'
import { paths } from '../../../src/web/paths.ts'
import { availableActions, caseFrame, casePage, holderText } from '../../../src/web/view-models/case.ts'
import { historyTimeline } from '../../../src/web/view-models/case-history.ts'
import {
  barriers,
  documentation,
  familyStatus,
  harm,
  personDetails,
  reportingDetails,
  vulnerability,
} from '../../../src/web/view-models/case-record-sections.ts'
import { dateText, labelOf, yesNo } from '../../../src/web/view-models/case-values.ts'
import { whyRecommended } from '../../../src/web/view-models/why-recommended.ts'

const d = (text: string) => text as IsoDate

const TASK: TaskView = {
  id: 42,
  personId: 'P1',
  personName: 'Grace Okafor',
  homeOfficeReference: 'HO/P1',
  taskType: { code: 'FAILED_TO_REPORT', name: 'Failed-to-report follow-up' },
  romRegion: 'LSE',
  reportingDate: d('2018-08-01'),
  status: 'RECOMMENDED',
  version: 1,
  ruleCode: 'FAILED_TO_REPORT',
  ruleSetVersion: 'abc123',
  explanation: { rule: 'FAILED_TO_REPORT', missedEvents90Days: 2, selfHarmRisk: false, nothing: null },
  factsVersion: null,
  evaluatedOn: null,
  createdAt: new Date('2018-07-25T08:00:00Z'),
  statusChangedAt: new Date('2018-07-25T08:00:00Z'),
  statusChangedBy: null,
  assignedTo: null,
  personDataChangedAt: new Date('2018-07-25T08:00:00Z'),
}

const RECORD: CaseRecordView = {
  person: {
    personId: 'P1',
    homeOfficeReference: 'HO/P1',
    familyName: 'Okafor',
    givenNames: 'Grace',
    dateOfBirth: d('1990-05-17'),
    ageDisputed: false,
    gender: 'F',
    nationality: { code: 'NGA', name: 'Nigeria' },
    romRegion: { code: 'LSE', name: 'London and South East' },
    iceRegion: { code: 'LSE', name: 'London and South East' },
    redNotice: 'NONE',
    caseType: 'NON_ASYLUM',
    immigrationStatus: 'OVERSTAYER',
    identifiedForRemoval: true,
    voluntaryReturnDeclinedOn: null,
  },
  documentation: {
    travelDocument: 'EXPIRED_PASSPORT',
    heldBy: null,
    expiryDate: d('2021-08-31'),
    etdStatus: 'APPLIED',
    identityStatus: 'VERIFIED',
  },
  reporting: {
    location: { code: 'BECKET_HOUSE', name: 'Becket House', kind: 'REPORTING_CENTRE' },
    type: 'IN_PERSON',
    frequency: 'MONTHLY',
    nextDates: [d('2018-08-01'), d('2018-09-01')],
    lastAttended: null,
    missedEvents90Days: 2,
    consecutiveMissed: 1,
    compliance: 'FAILED_TO_REPORT',
    everOutOfContact: false,
    whereabouts: 'KNOWN',
    bail: { residenceCondition: true, electronicMonitoring: 'TAG', curfew: false, emLastReviewed: null },
  },
  barriers: [
    { type: 'APPEAL', suspensive: true, raisedOn: d('2018-01-02'), resolvedOn: null, owningTeam: 'Appeals' },
  ],
  harm: {
    foreignNationalOffender: true,
    longestSentenceMonths: null,
    harmLevel: 'MEDIUM',
    deportationOrder: false,
    onLicence: true,
    offences: [{ category: 'THEFT', convictedOn: d('2015-03-04'), sentenceMonths: 6 }],
  },
  family: {
    relationship: 'MARRIED',
    primaryCarer: true,
    familyCase: true,
    children: [],
  },
  vulnerability: {
    adultAtRiskLevel: 2,
    nrmStatus: 'PENDING',
    selfHarmRisk: true,
    careLeaver: false,
    pregnant: false,
    emContraindicated: false,
    indicators: [{ type: 'MENTAL_HEALTH', identifiedOn: d('2017-06-20'), responseRecorded: false }],
  },
  referrals: [],
  dataChangedAt: new Date('2018-07-24T13:05:00Z'),
  sourceUpdatedAt: null,
  present: true,
}

function rows(content: { summary: readonly { key: { text: string }; value: { text: string } }[] }) {
  return Object.fromEntries(content.summary.map((r) => [r.key.text, r.value.text]))
}

describe('case view formatters', () => {
  it('writes dates the GOV.UK way and says when nothing is recorded', () => {
    assert.equal(dateText(d('2018-07-25')), '25 July 2018')
    assert.equal(dateText(null), 'Not recorded')
  })
  it('says yes or no', () => {
    assert.equal(yesNo(true), 'Yes')
    assert.equal(yesNo(false), 'No')
    assert.equal(yesNo(null), 'Not recorded')
  })
  it('labels codes, showing an unknown code rather than hiding it', () => {
    assert.equal(labelOf(GENDER, 'F'), 'Female')
    assert.equal(labelOf(GENDER, 'Q'), 'Q')
    assert.equal(labelOf(GENDER, null), 'Not recorded')
  })
})

describe('the case record sections', () => {
  it('person details use labels, long dates and "Not recorded"', () => {
    const r = rows(personDetails(RECORD))
    assert.equal(r['Full name'], 'Grace Okafor')
    assert.equal(r['Date of birth'], '17 May 1990')
    assert.equal(r.Gender, 'Female')
    assert.equal(r['Country of nationality'], 'Nigeria')
    assert.equal(r['Red notice status'], 'None')
    assert.equal(r['Identified for removal'], 'Yes')
    assert.equal(r['Voluntary return declined on'], 'Not recorded')
    assert.deepEqual(personDetails(RECORD).tables[0]?.rows, [])
  })
  it('documentation', () => {
    const r = rows(documentation(RECORD))
    assert.equal(r['Travel document'], 'Expired passport')
    assert.equal(r['Travel document held by'], 'Not recorded')
    assert.equal(r['Travel document expiry date'], '31 August 2021')
    assert.equal(r['Emergency travel document status'], 'Applied')
  })
  it('reporting details list the next dates', () => {
    const r = rows(reportingDetails(RECORD))
    assert.equal(r['Next reporting dates'], '1 August 2018, 1 September 2018')
    assert.equal(r['Last attended'], 'Not recorded')
    assert.equal(r.Compliance, 'Failed to report')
    assert.equal(r['Electronic monitoring'], 'Tag')
  })
  it('barriers, harm, family and vulnerability', () => {
    assert.deepEqual(
      barriers(RECORD).tables[0]?.rows[0]?.map((c) => c.text),
      ['Appeal', 'Yes', '2 January 2018', 'Not resolved', 'Appeals'],
    )
    assert.equal(rows(harm(RECORD))['Longest sentence (months)'], 'Not recorded')
    assert.deepEqual(
      harm(RECORD).tables[0]?.rows[0]?.map((c) => c.text),
      ['Theft', '4 March 2015', '6'],
    )
    assert.equal(rows(familyStatus(RECORD))['Relationship status'], 'Married or civil partnership')
    assert.equal(familyStatus(RECORD).tables[0]?.emptyText, 'No children are recorded.')
    assert.equal(rows(vulnerability(RECORD))['National Referral Mechanism'], 'Referral pending')
    assert.deepEqual(
      vulnerability(RECORD).tables[0]?.rows[0]?.map((c) => c.text),
      ['Mental health condition', '20 June 2017', 'No'],
    )
  })
})

describe('the case frame', () => {
  const holder = { userId: 'cw2', name: 'Sam Other', since: new Date('2018-07-25T13:05:00Z') }

  it('names whoever has the case open, or "You"', () => {
    assert.equal(holderText(holder, 'cw1'), 'Sam Other has this case open (since 2:05pm on 25 July 2018)')
    assert.equal(holderText(holder, 'cw2'), 'You have this case open (since 2:05pm on 25 July 2018)')
    assert.equal(holderText(undefined, 'cw1'), undefined)
  })

  it('offers the decisions that change the status, none for a withdrawn task', () => {
    assert.deepEqual(availableActions('RECOMMENDED'), ['accept', 'reject', 'hold'])
    assert.deepEqual(availableActions('ACCEPTED'), ['reject', 'hold'])
    assert.deepEqual(availableActions('REJECTED'), ['accept', 'hold'])
    assert.deepEqual(availableActions('ON_HOLD'), ['accept', 'reject'])
    assert.deepEqual(availableActions('WITHDRAWN'), [])
  })

  it('carries the way back on every link and marks the current section', () => {
    const back = '/review-tasks/LSE/recommended?page=2'
    const frame = caseFrame({ task: TASK, current: 'harm', back, backParam: back, holder, userId: 'cw1' })
    assert.equal(frame.backHref, back)
    assert.equal(frame.subNavigation.length, 9)
    assert.deepEqual(
      frame.subNavigation.filter((item) => item.active).map((item) => item.text),
      ['Harm'],
    )
    assert.equal(frame.subNavigation[0]?.href, paths.taskSection(42, 'person-details', back))
    assert.deepEqual(
      frame.actions.map((a) => [a.text, a.href]),
      [
        ['Accept task', paths.taskDecision(42, 'accept', back)],
        ['Reject task', paths.taskDecision(42, 'reject', back)],
        ['Place on hold', paths.taskDecision(42, 'hold', back)],
      ],
    )
    assert.equal(frame.statusSummary, undefined)
    assert.deepEqual(frame.task.status, { text: 'Recommended', classes: 'govuk-tag--blue' })
  })

  it('says who made the current decision', () => {
    const frame = caseFrame({
      task: {
        ...TASK,
        status: 'ON_HOLD',
        statusChangedBy: { id: 'cw2', name: 'Sam Other' },
        statusChangedAt: new Date('2018-07-25T13:05:00Z'),
      },
      current: undefined,
      back: '/review-tasks',
      backParam: undefined,
      holder: undefined,
      userId: 'cw1',
    })
    assert.equal(
      frame.statusSummary,
      'Placed on hold by Sam Other at 2:05pm on 25 July 2018. You can change this decision.',
    )
    assert.equal(frame.subNavigation[0]?.href, paths.taskSection(42, 'person-details'))
  })

  it('titles a page by its section and the person', () => {
    const frame = caseFrame({
      task: TASK,
      current: 'history',
      back: '/',
      backParam: undefined,
      holder,
      userId: 'x',
    })
    assert.equal(casePage({ frame, section: 'history', timeline: [] }).pageTitle, 'History – Grace Okafor')
  })
})

describe('why recommended', () => {
  it('falls back to the values stored with a task that has no full explanation, and says so', () => {
    const why = whyRecommended({ ...TASK, personDataChangedAt: new Date('2018-07-24T13:05:00Z') })
    assert.match(why.fallbackNotice ?? '', /without a full explanation/)
    assert.deepEqual(
      why.sections[0]?.lines.map((l) => l.text),
      ['rule: FAILED_TO_REPORT', 'missedEvents90Days: 2', 'selfHarmRisk: No', 'nothing: Not recorded'],
    )
    assert.deepEqual(
      why.facts.map((f) => [f.key.text, f.value.text]),
      [
        ['Rule', 'FAILED_TO_REPORT'],
        ['Rule set version', 'abc123'],
        ['Recommended on', '9:00am on 25 July 2018'],
        ["Person's data last changed", '2:05pm on 24 July 2018'],
      ],
    )
  })

  it('describes a full explanation condition by condition with the person’s values', () => {
    const why = whyRecommended({
      ...TASK,
      explanation: {
        rule: { code: 'FAILED_TO_REPORT', name: 'Failed to report', version: 'abc123' },
        evaluatedOn: '2018-07-25',
        conditions: [
          {
            id: 'c1',
            text: 'Missed events in 90 days is at least 1',
            depth: 0,
            field: 'reporting.missedEvents90Days',
            operator: 'gte',
            expected: 1,
            actual: 2,
            held: true,
          },
        ],
        safeguards: [],
        priority: { score: 10, factors: [] },
        reportingDate: { field: 'reporting.nextDates', value: '2018-08-01' },
        dataChangedAt: '2018-07-24T13:05:00Z',
      },
    })
    assert.equal(why.fallbackNotice, undefined)
    const conditions = why.sections.find((s) => s.heading === 'Conditions')
    assert.equal(conditions?.lines[0]?.outcome, 'met')
    assert.match(
      conditions?.lines[0]?.text ?? '',
      /^Missed events in 90 days is at least 1: (yes|no) \(.+\), so this condition is (met|not met)$/,
    )
    assert.ok(why.sections.some((s) => s.heading === 'Safeguards (checked first)'))
  })
})

describe('the history timeline', () => {
  it('shows who, when, reasons, details, note and the confirmed checks', () => {
    const events: TaskHistoryEvent[] = [
      {
        version: 2,
        status: 'REJECTED',
        occurredAt: new Date('2018-07-25T13:05:00Z'),
        user: { id: 'cw1', name: 'Casey Worker' },
        ruleSetVersion: null,
        reasons: [
          { code: 'MEDICAL', label: 'Medical' },
          { code: 'OTHER', label: 'Other (explanation required)' },
        ],
        details: 'In hospital',
        note: null,
        checksConfirmed: true,
        evidence: null,
      },
      {
        version: 1,
        status: 'RECOMMENDED',
        occurredAt: new Date('2018-07-25T08:00:00Z'),
        user: null,
        ruleSetVersion: 'abc123',
        reasons: [],
        details: null,
        note: null,
        checksConfirmed: null,
        evidence: null,
      },
    ]
    assert.deepEqual(historyTimeline(events), [
      {
        title: 'Rejected',
        byline: 'Casey Worker',
        datetime: '2018-07-25T13:05:00.000Z',
        when: '2:05pm on 25 July 2018',
        lines: [
          'Reasons: Medical; Other (explanation required)',
          'Details: In hospital',
          'Confirmed that barriers, vulnerability and family circumstances were checked',
        ],
      },
      {
        title: 'Recommended',
        byline: 'the rules',
        datetime: '2018-07-25T08:00:00.000Z',
        when: '9:00am on 25 July 2018',
        lines: ['Rule set version abc123'],
      },
    ])
  })
})
