/**
 * A validated case record as the rows the database keeps: one flattened
 * `persons` row and the rows of each list, with the content hash that lets an
 * import recognise a record it already holds.
 *
 * The hash is taken over exactly what is stored, written in a fixed key order,
 * so a source system that reorders keys, pads text or leaves out a field that
 * defaults does not make an unchanged person look changed.
 */
import { hash } from 'node:crypto'
import type {
  BarrierRow,
  ChildRow,
  OffenceRow,
  PersonRow,
  ReferralRow,
  VulnerabilityIndicatorRow,
} from '../db/tables.ts'
import type { CaseRecord } from './extract.ts'

/** The `persons` columns an extract fills; the import sets the rest (hash, timestamps, presence). */
export type PersonColumns = Omit<
  PersonRow,
  'content_hash' | 'first_imported_at' | 'data_changed_at' | 'present' | 'source_updated_at'
> & { source_updated_at: string | null }

/** A list row without its key: the person and position come from where it sits. */
type ListRow<T> = Omit<T, 'person_id' | 'position'>

export interface PersonRows {
  person: PersonColumns
  barriers: ListRow<BarrierRow>[]
  offences: ListRow<OffenceRow>[]
  children: ListRow<ChildRow>[]
  vulnerabilityIndicators: ListRow<VulnerabilityIndicatorRow>[]
  referrals: ListRow<ReferralRow>[]
}

/**
 * Every `persons` column the extract fills, in table order. The import names
 * columns explicitly rather than using `*`, so a column another feature adds
 * to `persons` keeps its own default.
 */
export const PERSON_COLUMNS = [
  'person_id',
  'home_office_reference',
  'family_name',
  'given_names',
  'date_of_birth',
  'age_disputed',
  'gender',
  'nationality',
  'rom_region',
  'ice_region',
  'red_notice',
  'case_type',
  'immigration_status',
  'identified_for_removal',
  'voluntary_return_declined_on',
  'travel_document',
  'travel_document_held_by',
  'travel_document_expiry',
  'etd_status',
  'identity_status',
  'reporting_location',
  'reporting_type',
  'reporting_frequency',
  'next_reporting_date',
  'next_reporting_date_2',
  'next_reporting_date_3',
  'last_attended',
  'missed_events_90_days',
  'consecutive_missed',
  'compliance',
  'ever_out_of_contact',
  'whereabouts',
  'residence_condition',
  'electronic_monitoring',
  'curfew',
  'em_last_reviewed',
  'foreign_national_offender',
  'longest_sentence_months',
  'harm_level',
  'deportation_order',
  'on_licence',
  'relationship',
  'primary_carer',
  'family_case',
  'adult_at_risk_level',
  'nrm_status',
  'self_harm_risk',
  'care_leaver',
  'pregnant',
  'em_contraindicated',
  'source_updated_at',
] as const satisfies readonly (keyof PersonColumns)[]

/** The list tables, each with the columns of its rows after (person_id, position). */
export const LIST_TABLES = {
  barriers: { table: 'barriers', columns: ['type', 'suspensive', 'raised_on', 'resolved_on', 'owning_team'] },
  offences: { table: 'offences', columns: ['category', 'convicted_on', 'sentence_months'] },
  children: { table: 'children', columns: ['date_of_birth', 'british', 'lives_with'] },
  vulnerabilityIndicators: {
    table: 'vulnerability_indicators',
    columns: ['type', 'identified_on', 'response_recorded'],
  },
  referrals: { table: 'referrals', columns: ['business_area', 'referred_on'] },
} as const satisfies Record<
  Exclude<keyof PersonRows, 'person'>,
  { table: string; columns: readonly string[] }
>

export type ListName = keyof typeof LIST_TABLES
export const LIST_NAMES = Object.keys(LIST_TABLES) as ListName[]

// Key order below is the stored order, and so the order the hash sees.
export function toPersonRows(record: CaseRecord): PersonRows {
  const { documentation, reporting, harm, family, vulnerability } = record
  const [next1 = null, next2 = null, next3 = null] = reporting.nextDates
  return {
    person: {
      person_id: record.personId,
      home_office_reference: record.homeOfficeReference,
      family_name: record.familyName,
      given_names: record.givenNames,
      date_of_birth: record.dateOfBirth,
      age_disputed: record.ageDisputed,
      gender: record.gender,
      nationality: record.nationality,
      rom_region: record.romRegion,
      ice_region: record.iceRegion,
      red_notice: record.redNotice,
      case_type: record.caseType,
      immigration_status: record.immigrationStatus,
      identified_for_removal: record.identifiedForRemoval,
      voluntary_return_declined_on: record.voluntaryReturnDeclinedOn,
      travel_document: documentation.travelDocument,
      travel_document_held_by: documentation.heldBy,
      travel_document_expiry: documentation.expiryDate,
      etd_status: documentation.etdStatus,
      identity_status: documentation.identityStatus,
      reporting_location: reporting.location,
      reporting_type: reporting.type,
      reporting_frequency: reporting.frequency,
      next_reporting_date: next1,
      next_reporting_date_2: next2,
      next_reporting_date_3: next3,
      last_attended: reporting.lastAttended,
      missed_events_90_days: reporting.missedEvents90Days,
      consecutive_missed: reporting.consecutiveMissed,
      compliance: reporting.compliance,
      ever_out_of_contact: reporting.everOutOfContact,
      whereabouts: reporting.whereabouts,
      residence_condition: reporting.bail.residenceCondition,
      electronic_monitoring: reporting.bail.electronicMonitoring,
      curfew: reporting.bail.curfew,
      em_last_reviewed: reporting.bail.emLastReviewed,
      foreign_national_offender: harm.foreignNationalOffender,
      longest_sentence_months: harm.longestSentenceMonths,
      harm_level: harm.harmLevel,
      deportation_order: harm.deportationOrder,
      on_licence: harm.onLicence,
      relationship: family.relationship,
      primary_carer: family.primaryCarer,
      family_case: family.familyCase,
      adult_at_risk_level: vulnerability.adultAtRiskLevel,
      nrm_status: vulnerability.nrmStatus,
      self_harm_risk: vulnerability.selfHarmRisk,
      care_leaver: vulnerability.careLeaver,
      pregnant: vulnerability.pregnant,
      em_contraindicated: vulnerability.emContraindicated,
      source_updated_at: record.sourceUpdatedAt,
    },
    barriers: record.barriers.map((barrier) => ({
      type: barrier.type,
      suspensive: barrier.suspensive,
      raised_on: barrier.raisedOn,
      resolved_on: barrier.resolvedOn,
      owning_team: barrier.owningTeam,
    })),
    offences: harm.offences.map((offence) => ({
      category: offence.category,
      convicted_on: offence.convictedOn,
      sentence_months: offence.sentenceMonths,
    })),
    children: family.children.map((child) => ({
      date_of_birth: child.dateOfBirth,
      british: child.british,
      lives_with: child.livesWith,
    })),
    vulnerabilityIndicators: vulnerability.indicators.map((indicator) => ({
      type: indicator.type,
      identified_on: indicator.identifiedOn,
      response_recorded: indicator.responseRecorded,
    })),
    referrals: record.referrals.map((referral) => ({
      business_area: referral.businessArea,
      referred_on: referral.referredOn,
    })),
  }
}

/** A person's rows as COPY text (one string per table, each line ending in a newline) and their hash. */
export interface EncodedPerson {
  readonly personId: string
  readonly contentHash: string
  /** The `persons` line up to its content hash column, without a newline: the batch adds whether the person is new. */
  readonly person: string
  readonly lists: Readonly<Record<ListName, string>>
}

type CopyValue = string | number | boolean | null

// COPY's text format gives meaning to backslash, tab, newline and carriage
// return; every other character, Unicode included, stands for itself.
const COPY_SPECIAL = /[\\\t\n\r]/
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

export function copyValue(value: CopyValue): string {
  if (value === null) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return String(value)
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c] as string) : value
}

function encodeList<T extends object>(
  personId: string,
  rows: readonly T[],
  columns: readonly string[],
): string {
  let text = ''
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position] as Record<string, CopyValue>
    text += `${personId}\t${position}`
    for (const column of columns) text += `\t${copyValue(row[column] ?? null)}`
    text += '\n'
  }
  return text
}

/**
 * A person's `persons` line, up to its content hash: the columns written out
 * one by one in PERSON_COLUMNS order (a test holds it to that order). Looking
 * each column up by name in a loop took half as long again, on every record.
 */
function personLine(p: PersonColumns): string {
  return (
    `${copyValue(p.person_id)}` +
    `\t${copyValue(p.home_office_reference)}` +
    `\t${copyValue(p.family_name)}` +
    `\t${copyValue(p.given_names)}` +
    `\t${copyValue(p.date_of_birth)}` +
    `\t${copyValue(p.age_disputed)}` +
    `\t${copyValue(p.gender)}` +
    `\t${copyValue(p.nationality)}` +
    `\t${copyValue(p.rom_region)}` +
    `\t${copyValue(p.ice_region)}` +
    `\t${copyValue(p.red_notice)}` +
    `\t${copyValue(p.case_type)}` +
    `\t${copyValue(p.immigration_status)}` +
    `\t${copyValue(p.identified_for_removal)}` +
    `\t${copyValue(p.voluntary_return_declined_on)}` +
    `\t${copyValue(p.travel_document)}` +
    `\t${copyValue(p.travel_document_held_by)}` +
    `\t${copyValue(p.travel_document_expiry)}` +
    `\t${copyValue(p.etd_status)}` +
    `\t${copyValue(p.identity_status)}` +
    `\t${copyValue(p.reporting_location)}` +
    `\t${copyValue(p.reporting_type)}` +
    `\t${copyValue(p.reporting_frequency)}` +
    `\t${copyValue(p.next_reporting_date)}` +
    `\t${copyValue(p.next_reporting_date_2)}` +
    `\t${copyValue(p.next_reporting_date_3)}` +
    `\t${copyValue(p.last_attended)}` +
    `\t${copyValue(p.missed_events_90_days)}` +
    `\t${copyValue(p.consecutive_missed)}` +
    `\t${copyValue(p.compliance)}` +
    `\t${copyValue(p.ever_out_of_contact)}` +
    `\t${copyValue(p.whereabouts)}` +
    `\t${copyValue(p.residence_condition)}` +
    `\t${copyValue(p.electronic_monitoring)}` +
    `\t${copyValue(p.curfew)}` +
    `\t${copyValue(p.em_last_reviewed)}` +
    `\t${copyValue(p.foreign_national_offender)}` +
    `\t${copyValue(p.longest_sentence_months)}` +
    `\t${copyValue(p.harm_level)}` +
    `\t${copyValue(p.deportation_order)}` +
    `\t${copyValue(p.on_licence)}` +
    `\t${copyValue(p.relationship)}` +
    `\t${copyValue(p.primary_carer)}` +
    `\t${copyValue(p.family_case)}` +
    `\t${copyValue(p.adult_at_risk_level)}` +
    `\t${copyValue(p.nrm_status)}` +
    `\t${copyValue(p.self_harm_risk)}` +
    `\t${copyValue(p.care_leaver)}` +
    `\t${copyValue(p.pregnant)}` +
    `\t${copyValue(p.em_contraindicated)}` +
    `\t${copyValue(p.source_updated_at)}`
  )
}

/**
 * Encodes a person once for both uses: the hash is taken over the same text
 * that is sent, so nothing is serialised twice on the hot path.
 */
export function encodePerson(rows: PersonRows): EncodedPerson {
  const personId = copyValue(rows.person.person_id)
  const line = personLine(rows.person)
  const lists = {
    barriers: encodeList(personId, rows.barriers, LIST_TABLES.barriers.columns),
    offences: encodeList(personId, rows.offences, LIST_TABLES.offences.columns),
    children: encodeList(personId, rows.children, LIST_TABLES.children.columns),
    vulnerabilityIndicators: encodeList(
      personId,
      rows.vulnerabilityIndicators,
      LIST_TABLES.vulnerabilityIndicators.columns,
    ),
    referrals: encodeList(personId, rows.referrals, LIST_TABLES.referrals.columns),
  }
  // Each list is introduced by its name on a line of its own; data lines
  // always hold a tab and names never do, so no two contents hash alike.
  const contentHash = hash(
    'sha1',
    `${line}\nbarriers\n${lists.barriers}offences\n${lists.offences}children\n${lists.children}` +
      `indicators\n${lists.vulnerabilityIndicators}referrals\n${lists.referrals}`,
    'base64',
  )
  return { personId: rows.person.person_id, contentHash, person: `${line}\t${contentHash}`, lists }
}
