/**
 * The field catalogue: every part of the case record a rule may read, by the
 * dotted name rule authors write (`harm.harmLevel`, `person.age`), with its
 * type, its words for pages and where its value comes from.
 *
 * Rules see the case model, not the tables: a field is either a column or a
 * value derived from one on "today" (ages, days since, whether a barrier is
 * still open). The compiler turns a source into SQL; the rule-test runner
 * turns a test person's value back into columns.
 *
 * Nationality, ethnicity and gender are deliberately absent: they must never
 * decide or order a recommendation. Naming one in a rule is a reported
 * problem, not an "unknown field".
 */
import {
  BARRIER_TYPE,
  CASE_TYPE,
  COMPLIANCE,
  DOCUMENT_HOLDER,
  ELECTRONIC_MONITORING,
  ETD_STATUS,
  HARM_LEVEL,
  IDENTITY_STATUS,
  IMMIGRATION_STATUS,
  NRM_STATUS,
  OFFENCE_CATEGORY,
  RED_NOTICE,
  RELATIONSHIP,
  REPORTING_FREQUENCY,
  REPORTING_TYPE,
  TRAVEL_DOCUMENT,
  VULNERABILITY_INDICATOR,
  WHEREABOUTS,
} from '../cases/values.ts'
import type {
  BarrierRow,
  ChildRow,
  OffenceRow,
  PersonRow,
  ReferralRow,
  VulnerabilityIndicatorRow,
} from '../db/tables.ts'

export type FieldType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'date' }
  | { readonly kind: 'text' }
  | {
      readonly kind: 'code'
      readonly codes: readonly string[]
      readonly labels: Readonly<Record<string, string>>
    }

export type FieldKind = FieldType['kind']

/**
 * Where a field's value comes from, relative to one row. Derived sources are
 * computed on the evaluation date ("today"), so a rule never stores an age.
 */
export type FieldSource<Column extends string> =
  | { readonly kind: 'column'; readonly column: Column }
  /** Whole years from the date in `column` to today (an age). */
  | { readonly kind: 'yearsSince'; readonly column: Column }
  /** Days from the date in `column` to today: positive when it is in the past. */
  | { readonly kind: 'daysSince'; readonly column: Column }
  /** Days from today to the date in `column`: positive when it is in the future. */
  | { readonly kind: 'daysUntil'; readonly column: Column }
  /** True while `column` is empty (a barrier with no resolved date is open). */
  | { readonly kind: 'isNull'; readonly column: Column }

interface FieldBase<Column extends string> {
  /** What rule authors write. */
  readonly name: string
  /** Plain-English words for pages: "Harm level". */
  readonly label: string
  readonly type: FieldType
  /** Whether a person may have no value at all (see the null semantics in compile.ts). */
  readonly nullable: boolean
  readonly source: FieldSource<Column>
}

type PersonColumn = keyof PersonRow & string
export type PersonField = FieldBase<PersonColumn> & { readonly scope: 'person' }

/** A field of one item in a list (a barrier, an offence, a child …). */
export type ItemField = FieldBase<string> & { readonly scope: 'item'; readonly list: string }

export interface ListDefinition {
  /** What rule authors write after `count:`. */
  readonly name: string
  readonly table: 'barriers' | 'offences' | 'children' | 'vulnerability_indicators' | 'referrals'
  /** "barrier", for "Number of barriers …". */
  readonly itemLabel: string
  readonly pluralLabel: string
  readonly fields: ReadonlyMap<string, ItemField>
}

const BOOLEAN: FieldType = { kind: 'boolean' }
const NUMBER: FieldType = { kind: 'number' }
const DATE: FieldType = { kind: 'date' }
const TEXT: FieldType = { kind: 'text' }
function code(values: { codes: readonly string[]; labels: Record<string, string> }): FieldType {
  return { kind: 'code', codes: values.codes, labels: values.labels }
}

const column = <C extends string>(c: C) => ({ kind: 'column', column: c }) as const

function personField(
  name: string,
  label: string,
  type: FieldType,
  source: FieldSource<PersonColumn>,
  nullable = false,
): PersonField {
  return { scope: 'person', name, label, type, source, nullable }
}

const PERSON_FIELDS: readonly PersonField[] = [
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

function itemFields(
  list: string,
  fields: readonly [
    name: string,
    label: string,
    type: FieldType,
    source: FieldSource<string>,
    nullable?: boolean,
  ][],
): ReadonlyMap<string, ItemField> {
  return new Map(
    fields.map(([name, label, type, source, nullable = false]) => [
      name,
      { scope: 'item', list, name, label, type, source, nullable },
    ]),
  )
}

type Columns<Row> = Exclude<keyof Row & string, 'person_id' | 'position'>
const col = <Row>(c: Columns<Row>) => column(c)

const LISTS: readonly ListDefinition[] = [
  {
    name: 'barriers',
    table: 'barriers',
    itemLabel: 'barrier',
    pluralLabel: 'barriers',
    fields: itemFields('barriers', [
      ['type', 'Barrier type', code(BARRIER_TYPE), col<BarrierRow>('type')],
      ['suspensive', 'Suspends removal', BOOLEAN, col<BarrierRow>('suspensive')],
      ['raisedOn', 'Date raised', DATE, col<BarrierRow>('raised_on')],
      ['resolvedOn', 'Date resolved', DATE, col<BarrierRow>('resolved_on'), true],
      ['open', 'Still open', BOOLEAN, { kind: 'isNull', column: 'resolved_on' }],
      ['ageInDays', 'Days since raised', NUMBER, { kind: 'daysSince', column: 'raised_on' }],
      ['owningTeam', 'Owning team', TEXT, col<BarrierRow>('owning_team')],
    ]),
  },
  {
    name: 'offences',
    table: 'offences',
    itemLabel: 'offence',
    pluralLabel: 'offences',
    fields: itemFields('offences', [
      ['category', 'Offence category', code(OFFENCE_CATEGORY), col<OffenceRow>('category')],
      ['convictedOn', 'Date convicted', DATE, col<OffenceRow>('convicted_on')],
      ['ageInDays', 'Days since conviction', NUMBER, { kind: 'daysSince', column: 'convicted_on' }],
      ['sentenceMonths', 'Sentence (months)', NUMBER, col<OffenceRow>('sentence_months'), true],
    ]),
  },
  {
    name: 'children',
    table: 'children',
    itemLabel: 'child',
    pluralLabel: 'children',
    fields: itemFields('children', [
      ['dateOfBirth', 'Date of birth', DATE, col<ChildRow>('date_of_birth')],
      ['age', 'Age', NUMBER, { kind: 'yearsSince', column: 'date_of_birth' }],
      ['british', 'British', BOOLEAN, col<ChildRow>('british')],
      ['livesWith', 'Lives with the person', BOOLEAN, col<ChildRow>('lives_with')],
    ]),
  },
  {
    name: 'vulnerabilityIndicators',
    table: 'vulnerability_indicators',
    itemLabel: 'vulnerability indicator',
    pluralLabel: 'vulnerability indicators',
    fields: itemFields('vulnerabilityIndicators', [
      ['type', 'Indicator', code(VULNERABILITY_INDICATOR), col<VulnerabilityIndicatorRow>('type')],
      ['identifiedOn', 'Date identified', DATE, col<VulnerabilityIndicatorRow>('identified_on')],
      ['ageInDays', 'Days since identified', NUMBER, { kind: 'daysSince', column: 'identified_on' }],
      ['responseRecorded', 'Response recorded', BOOLEAN, col<VulnerabilityIndicatorRow>('response_recorded')],
    ]),
  },
  {
    name: 'referrals',
    table: 'referrals',
    itemLabel: 'referral',
    pluralLabel: 'referrals',
    fields: itemFields('referrals', [
      ['businessArea', 'Referring business area', TEXT, col<ReferralRow>('business_area')],
      ['referredOn', 'Date referred', DATE, col<ReferralRow>('referred_on')],
      ['ageInDays', 'Days since referred', NUMBER, { kind: 'daysSince', column: 'referred_on' }],
    ]),
  },
]

export const personFields: ReadonlyMap<string, PersonField> = new Map(PERSON_FIELDS.map((f) => [f.name, f]))
export const lists: ReadonlyMap<string, ListDefinition> = new Map(LISTS.map((l) => [l.name, l]))

/** Every name an item condition may use, over all lists: for the JSON Schema. */
export const itemFieldNames: readonly string[] = [
  ...new Set(LISTS.flatMap((l) => [...l.fields.keys()])),
].sort()

/**
 * Parts of the record that exist but that rules must never read. Checked by
 * the last part of the name, so `person.nationality` and `nationality` are
 * both refused with the reason rather than a spelling suggestion.
 */
const PROTECTED: ReadonlyMap<string, string> = new Map([
  ['nationality', 'nationality'],
  ['countryofnationality', 'nationality'],
  ['ethnicity', 'ethnicity'],
  ['ethnicgroup', 'ethnicity'],
  ['gender', 'gender'],
  ['sex', 'gender'],
])

/** "nationality is not available to rules or priority" when `name` names a protected characteristic. */
export function protectedCharacteristic(name: string): string | undefined {
  const last = name.split('.').at(-1)?.toLowerCase() ?? ''
  const what = PROTECTED.get(last)
  return what ? `${what} is not available to rules or priority` : undefined
}

/** The label of a code, or the code itself when the field has no such code. */
export function codeLabel(type: FieldType, value: string): string {
  return type.kind === 'code' ? (type.labels[value] ?? value) : value
}

/** A person-level or item-level field by the name a rule uses. */
export function findField(name: string): PersonField | ItemField | undefined {
  const person = personFields.get(name)
  if (person) return person
  const dot = name.indexOf('.')
  if (dot < 0) return undefined
  return lists.get(name.slice(0, dot))?.fields.get(name.slice(dot + 1))
}
