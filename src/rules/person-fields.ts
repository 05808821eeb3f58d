/**
 * The person-level entries of the field catalogue: one per part of the case
 * record a rule may read about the person (`person.age`, `harm.harmLevel`),
 * grouped as the extract groups them. The lists of items (barriers,
 * offences …) are in list-fields.ts.
 */
import {
  CASE_TYPE,
  COMPLIANCE,
  DOCUMENT_HOLDER,
  ELECTRONIC_MONITORING,
  ETD_STATUS,
  HARM_LEVEL,
  IDENTITY_STATUS,
  IMMIGRATION_STATUS,
  NRM_STATUS,
  RED_NOTICE,
  RELATIONSHIP,
  REPORTING_FREQUENCY,
  REPORTING_TYPE,
  TRAVEL_DOCUMENT,
  WHEREABOUTS,
} from '../cases/values.ts'
import {
  BOOLEAN,
  code,
  column,
  DATE,
  type FieldSource,
  type FieldType,
  NUMBER,
  type PersonColumn,
  type PersonField,
  TEXT,
} from './field-types.ts'

function personField(
  name: string,
  label: string,
  type: FieldType,
  source: FieldSource<PersonColumn>,
  nullable = false,
): PersonField {
  return { scope: 'person', name, label, type, source, nullable }
}

export const PERSON_FIELDS: readonly PersonField[] = [
  personField('person.dateOfBirth', 'Date of birth', DATE, column('date_of_birth')),
  personField('person.age', 'Age', NUMBER, { kind: 'yearsSince', column: 'date_of_birth' }),
  personField('person.ageDisputed', 'Age disputed', BOOLEAN, column('age_disputed')),
  personField('person.romRegion', 'ROM region', TEXT, column('rom_region')),
  personField('person.redNotice', 'Interpol red notice', code(RED_NOTICE), column('red_notice')),
  personField('person.caseType', 'Case type', code(CASE_TYPE), column('case_type')),
  personField(
    'person.immigrationStatus',
    'Immigration status',
    code(IMMIGRATION_STATUS),
    column('immigration_status'),
  ),
  personField(
    'person.identifiedForRemoval',
    'Identified for removal',
    BOOLEAN,
    column('identified_for_removal'),
  ),
  personField(
    'person.voluntaryReturnDeclinedOn',
    'Date voluntary return was last declined',
    DATE,
    column('voluntary_return_declined_on'),
    true,
  ),

  personField(
    'documentation.travelDocument',
    'Travel document',
    code(TRAVEL_DOCUMENT),
    column('travel_document'),
  ),
  personField(
    'documentation.heldBy',
    'Travel document held by',
    code(DOCUMENT_HOLDER),
    column('travel_document_held_by'),
    true,
  ),
  personField(
    'documentation.expiryDate',
    'Travel document expiry date',
    DATE,
    column('travel_document_expiry'),
    true,
  ),
  personField('documentation.etdStatus', 'Emergency travel document status', code(ETD_STATUS), {
    kind: 'column',
    column: 'etd_status',
  }),
  personField(
    'documentation.identityStatus',
    'Identity status',
    code(IDENTITY_STATUS),
    column('identity_status'),
  ),

  personField('reporting.location', 'Reporting location', TEXT, column('reporting_location')),
  personField('reporting.type', 'Reporting type', code(REPORTING_TYPE), column('reporting_type')),
  personField(
    'reporting.frequency',
    'Reporting frequency',
    code(REPORTING_FREQUENCY),
    column('reporting_frequency'),
  ),
  personField('reporting.nextDates[0]', 'Next reporting date', DATE, column('next_reporting_date'), true),
  personField('reporting.nextDates[1]', 'Second reporting date', DATE, column('next_reporting_date_2'), true),
  personField('reporting.nextDates[2]', 'Third reporting date', DATE, column('next_reporting_date_3'), true),
  personField(
    'reporting.daysUntilNextReporting',
    'Days until the next reporting date',
    NUMBER,
    { kind: 'daysUntil', column: 'next_reporting_date' },
    true,
  ),
  personField('reporting.lastAttended', 'Last attended reporting', DATE, column('last_attended'), true),
  personField(
    'reporting.daysSinceLastAttended',
    'Days since the person last reported',
    NUMBER,
    { kind: 'daysSince', column: 'last_attended' },
    true,
  ),
  personField(
    'reporting.missedEvents90Days',
    'Reporting events missed in the last 90 days',
    NUMBER,
    column('missed_events_90_days'),
  ),
  personField(
    'reporting.consecutiveMissed',
    'Reporting events missed in a row',
    NUMBER,
    column('consecutive_missed'),
  ),
  personField('reporting.compliance', 'Reporting compliance', code(COMPLIANCE), column('compliance')),
  personField(
    'reporting.everOutOfContact',
    'Has ever been out of contact',
    BOOLEAN,
    column('ever_out_of_contact'),
  ),
  personField('reporting.whereabouts', 'Whereabouts', code(WHEREABOUTS), column('whereabouts')),
  personField(
    'reporting.bail.residenceCondition',
    'Bail residence condition',
    BOOLEAN,
    column('residence_condition'),
  ),
  personField(
    'reporting.bail.electronicMonitoring',
    'Electronic monitoring',
    code(ELECTRONIC_MONITORING),
    column('electronic_monitoring'),
  ),
  personField('reporting.bail.curfew', 'Bail curfew', BOOLEAN, column('curfew')),
  personField(
    'reporting.bail.emLastReviewed',
    'Electronic monitoring last reviewed',
    DATE,
    column('em_last_reviewed'),
    true,
  ),
  personField(
    'reporting.bail.daysSinceEmReviewed',
    'Days since electronic monitoring was last reviewed',
    NUMBER,
    { kind: 'daysSince', column: 'em_last_reviewed' },
    true,
  ),

  personField(
    'harm.foreignNationalOffender',
    'Foreign national offender',
    BOOLEAN,
    column('foreign_national_offender'),
  ),
  personField(
    'harm.longestSentenceMonths',
    'Longest sentence (months)',
    NUMBER,
    column('longest_sentence_months'),
    true,
  ),
  personField('harm.harmLevel', 'Harm level', code(HARM_LEVEL), column('harm_level')),
  personField('harm.deportationOrder', 'Deportation order', BOOLEAN, column('deportation_order')),
  personField('harm.onLicence', 'On licence', BOOLEAN, column('on_licence')),

  personField('family.relationship', 'Relationship', code(RELATIONSHIP), column('relationship')),
  personField('family.primaryCarer', 'Primary carer of a child', BOOLEAN, column('primary_carer')),
  personField('family.familyCase', 'Family case', BOOLEAN, column('family_case')),

  personField('vulnerability.adultAtRiskLevel', 'Adult at risk level', NUMBER, column('adult_at_risk_level')),
  personField('vulnerability.nrmStatus', 'Trafficking (NRM) status', code(NRM_STATUS), column('nrm_status')),
  personField('vulnerability.selfHarmRisk', 'Risk of self-harm', BOOLEAN, column('self_harm_risk')),
  personField('vulnerability.careLeaver', 'Care leaver', BOOLEAN, column('care_leaver')),
  personField('vulnerability.pregnant', 'Pregnant', BOOLEAN, column('pregnant')),
  personField(
    'vulnerability.emContraindicated',
    'Electronic monitoring medically contraindicated',
    BOOLEAN,
    column('em_contraindicated'),
  ),
]
