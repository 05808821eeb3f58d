/**
 * The lists of the field catalogue: the items a person may have several of
 * (barriers, offences, children, vulnerability indicators, referrals), each
 * with its table and the fields a `count … where` condition may test.
 */
import { BARRIER_TYPE, OFFENCE_CATEGORY, VULNERABILITY_INDICATOR } from '../cases/values.ts'
import type {
  BarrierRow,
  ChildRow,
  OffenceRow,
  ReferralRow,
  VulnerabilityIndicatorRow,
} from '../db/tables.ts'
import {
  BOOLEAN,
  code,
  column,
  DATE,
  type FieldSource,
  type FieldType,
  type ItemField,
  type ListDefinition,
  NUMBER,
  TEXT,
} from './field-types.ts'

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

export const LISTS: readonly ListDefinition[] = [
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
