/**
 * The seven sections of the case record in the case view, each already in
 * words (case-values.ts), and which lists of the record each page reads.
 */
import type { CaseRecordList, CaseRecordView } from '../../cases/case-record.ts'
import * as values from '../../cases/values.ts'
import type { CaseSection } from '../case/sections.ts'
import {
  dateText,
  labelOf,
  NOT_RECORDED,
  numberText,
  row,
  type SummaryRow,
  type TableView,
  yesNo,
} from './case-values.ts'

export interface SectionContent {
  readonly summary: readonly SummaryRow[]
  readonly tables: readonly TableView[]
}

export function personDetails(record: CaseRecordView): SectionContent {
  const p = record.person
  return {
    summary: [
      row('Full name', `${p.givenNames} ${p.familyName}`),
      row('Home Office reference', p.homeOfficeReference),
      row('Person ID', p.personId),
      row('Date of birth', dateText(p.dateOfBirth)),
      row('Age disputed', yesNo(p.ageDisputed)),
      row('Country of nationality', p.nationality.name),
      row('Gender', labelOf(values.GENDER, p.gender)),
      row('Red notice status', labelOf(values.RED_NOTICE, p.redNotice)),
      row('Case type', labelOf(values.CASE_TYPE, p.caseType)),
      row('Immigration status', labelOf(values.IMMIGRATION_STATUS, p.immigrationStatus)),
      row('Identified for removal', yesNo(p.identifiedForRemoval)),
      row('Voluntary return declined on', dateText(p.voluntaryReturnDeclinedOn)),
      row('ROM region', p.romRegion.name),
      row('ICE region', p.iceRegion.name),
    ],
    tables: [
      {
        caption: 'Referrals',
        head: [{ text: 'Business area' }, { text: 'Referred on' }],
        rows: record.referrals.map((r) => [{ text: r.businessArea.name }, { text: dateText(r.referredOn) }]),
        emptyText: 'No business area has referred this case.',
      },
    ],
  }
}

export function documentation(record: CaseRecordView): SectionContent {
  const d = record.documentation
  return {
    summary: [
      row('Travel document', labelOf(values.TRAVEL_DOCUMENT, d.travelDocument)),
      row('Travel document held by', labelOf(values.DOCUMENT_HOLDER, d.heldBy)),
      row('Travel document expiry date', dateText(d.expiryDate)),
      row('Emergency travel document status', labelOf(values.ETD_STATUS, d.etdStatus)),
      row('Identity status', labelOf(values.IDENTITY_STATUS, d.identityStatus)),
    ],
    tables: [],
  }
}

export function reportingDetails(record: CaseRecordView): SectionContent {
  const r = record.reporting
  return {
    summary: [
      row('Reporting location', r.location.name),
      row('Reporting type', labelOf(values.REPORTING_TYPE, r.type)),
      row('Reporting frequency', labelOf(values.REPORTING_FREQUENCY, r.frequency)),
      row(
        'Next reporting dates',
        r.nextDates.length === 0 ? NOT_RECORDED : r.nextDates.map(dateText).join(', '),
      ),
      row('Last attended', dateText(r.lastAttended)),
      row('Missed reporting events in the last 90 days', String(r.missedEvents90Days)),
      row('Consecutive missed reporting events', String(r.consecutiveMissed)),
      row('Compliance', labelOf(values.COMPLIANCE, r.compliance)),
      row('Ever out of contact', yesNo(r.everOutOfContact)),
      row('Whereabouts', labelOf(values.WHEREABOUTS, r.whereabouts)),
      row('Bail residence condition', yesNo(r.bail.residenceCondition)),
      row('Electronic monitoring', labelOf(values.ELECTRONIC_MONITORING, r.bail.electronicMonitoring)),
      row('Curfew', yesNo(r.bail.curfew)),
      row('Electronic monitoring last reviewed', dateText(r.bail.emLastReviewed)),
    ],
    tables: [],
  }
}

export function barriers(record: CaseRecordView): SectionContent {
  return {
    summary: [],
    tables: [
      {
        caption: 'Barriers to removal',
        head: [
          { text: 'Barrier' },
          { text: 'Suspensive' },
          { text: 'Raised on' },
          { text: 'Resolved on' },
          { text: 'Owning team' },
        ],
        rows: record.barriers.map((b) => [
          { text: labelOf(values.BARRIER_TYPE, b.type) },
          { text: yesNo(b.suspensive) },
          { text: dateText(b.raisedOn) },
          { text: b.resolvedOn ? dateText(b.resolvedOn) : 'Not resolved' },
          { text: b.owningTeam },
        ]),
        emptyText: 'No barriers are recorded.',
      },
    ],
  }
}

export function harm(record: CaseRecordView): SectionContent {
  const h = record.harm
  return {
    summary: [
      row('Foreign national offender', yesNo(h.foreignNationalOffender)),
      row('Longest sentence (months)', numberText(h.longestSentenceMonths)),
      row('Harm level', labelOf(values.HARM_LEVEL, h.harmLevel)),
      row('Deportation order', yesNo(h.deportationOrder)),
      row('On licence', yesNo(h.onLicence)),
    ],
    tables: [
      {
        caption: 'Offences',
        head: [{ text: 'Offence' }, { text: 'Convicted on' }, { text: 'Sentence (months)' }],
        rows: h.offences.map((o) => [
          { text: labelOf(values.OFFENCE_CATEGORY, o.category) },
          { text: dateText(o.convictedOn) },
          { text: numberText(o.sentenceMonths) },
        ]),
        emptyText: 'No offences are recorded.',
      },
    ],
  }
}

export function familyStatus(record: CaseRecordView): SectionContent {
  const f = record.family
  return {
    summary: [
      row('Relationship status', labelOf(values.RELATIONSHIP, f.relationship)),
      row('Primary carer', yesNo(f.primaryCarer)),
      row('Family case', yesNo(f.familyCase)),
    ],
    tables: [
      {
        caption: 'Children',
        head: [{ text: 'Date of birth' }, { text: 'British' }, { text: 'Lives with the person' }],
        rows: f.children.map((c) => [
          { text: dateText(c.dateOfBirth) },
          { text: yesNo(c.british) },
          { text: yesNo(c.livesWith) },
        ]),
        emptyText: 'No children are recorded.',
      },
    ],
  }
}

export function vulnerability(record: CaseRecordView): SectionContent {
  const v = record.vulnerability
  return {
    summary: [
      row('Adult at risk level', String(v.adultAtRiskLevel)),
      row('National Referral Mechanism', labelOf(values.NRM_STATUS, v.nrmStatus)),
      row('Risk of self-harm', yesNo(v.selfHarmRisk)),
      row('Care leaver', yesNo(v.careLeaver)),
      row('Pregnant', yesNo(v.pregnant)),
      row('Electronic monitoring contraindicated', yesNo(v.emContraindicated)),
    ],
    tables: [
      {
        caption: 'Vulnerability indicators',
        head: [{ text: 'Indicator' }, { text: 'Identified on' }, { text: 'Response recorded' }],
        rows: v.indicators.map((i) => [
          { text: labelOf(values.VULNERABILITY_INDICATOR, i.type) },
          { text: dateText(i.identifiedOn) },
          { text: yesNo(i.responseRecorded) },
        ]),
        emptyText: 'No vulnerability indicators are recorded.',
      },
    ],
  }
}

type RecordSection = Exclude<CaseSection, 'why-recommended' | 'history'>

export const RECORD_SECTIONS: Record<RecordSection, (record: CaseRecordView) => SectionContent> = {
  'person-details': personDetails,
  documentation,
  'reporting-details': reportingDetails,
  barriers,
  harm,
  'family-status': familyStatus,
  vulnerability,
}

/** The lists of the case record each page shows: a page reads only those. */
export const SECTION_LISTS: Record<CaseSection, readonly CaseRecordList[]> = {
  'person-details': ['referrals'],
  documentation: [],
  'reporting-details': [],
  barriers: ['barriers'],
  harm: ['offences'],
  'family-status': ['children'],
  vulnerability: ['indicators'],
  'why-recommended': [],
  history: [],
}

export function isRecordSection(section: CaseSection): section is RecordSection {
  return section in RECORD_SECTIONS
}
