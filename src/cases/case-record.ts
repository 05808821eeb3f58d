/**
 * One person's case record, as the case view shows it: every section of the
 * extract, with reference codes resolved to names. Scoped by region: a person
 * outside the user's regions is simply not found.
 */
import type { Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'

export interface CaseRecordView {
  readonly person: {
    readonly personId: string
    readonly homeOfficeReference: string
    readonly familyName: string
    readonly givenNames: string
    readonly dateOfBirth: IsoDate
    readonly ageDisputed: boolean
    readonly gender: string
    readonly nationality: { readonly code: string; readonly name: string }
    readonly romRegion: { readonly code: string; readonly name: string }
    readonly iceRegion: { readonly code: string; readonly name: string }
    readonly redNotice: string
    readonly caseType: string
    readonly immigrationStatus: string
    readonly identifiedForRemoval: boolean
    readonly voluntaryReturnDeclinedOn: IsoDate | null
  }
  readonly documentation: {
    readonly travelDocument: string
    readonly heldBy: string | null
    readonly expiryDate: IsoDate | null
    readonly etdStatus: string
    readonly identityStatus: string
  }
  readonly reporting: {
    readonly location: { readonly code: string; readonly name: string; readonly kind: string }
    readonly type: string
    readonly frequency: string
    readonly nextDates: readonly IsoDate[]
    readonly lastAttended: IsoDate | null
    readonly missedEvents90Days: number
    readonly consecutiveMissed: number
    readonly compliance: string
    readonly everOutOfContact: boolean
    readonly whereabouts: string
    readonly bail: {
      readonly residenceCondition: boolean
      readonly electronicMonitoring: string
      readonly curfew: boolean
      readonly emLastReviewed: IsoDate | null
    }
  }
  readonly barriers: readonly {
    readonly type: string
    readonly suspensive: boolean
    readonly raisedOn: IsoDate
    readonly resolvedOn: IsoDate | null
    readonly owningTeam: string
  }[]
  readonly harm: {
    readonly foreignNationalOffender: boolean
    readonly longestSentenceMonths: number | null
    readonly harmLevel: string
    readonly deportationOrder: boolean
    readonly onLicence: boolean
    readonly offences: readonly {
      readonly category: string
      readonly convictedOn: IsoDate
      readonly sentenceMonths: number | null
    }[]
  }
  readonly family: {
    readonly relationship: string
    readonly primaryCarer: boolean
    readonly familyCase: boolean
    readonly children: readonly {
      readonly dateOfBirth: IsoDate
      readonly british: boolean
      readonly livesWith: boolean
    }[]
  }
  readonly vulnerability: {
    readonly adultAtRiskLevel: number
    readonly nrmStatus: string
    readonly selfHarmRisk: boolean
    readonly careLeaver: boolean
    readonly pregnant: boolean
    readonly emContraindicated: boolean
    readonly indicators: readonly {
      readonly type: string
      readonly identifiedOn: IsoDate
      readonly responseRecorded: boolean
    }[]
  }
  readonly referrals: readonly {
    readonly businessArea: { readonly code: string; readonly name: string; readonly shortName: string }
    readonly referredOn: IsoDate
  }[]
  /** When this service last saw the person's data change. */
  readonly dataChangedAt: Date
  /** When the source system last updated the record, if it said. */
  readonly sourceUpdatedAt: Date | null
  readonly present: boolean
}

const d = (value: string | null) => value as IsoDate | null
const dd = (value: string) => value as IsoDate

/** The lists of a case record, each read from a table of its own. */
export type CaseRecordList = 'barriers' | 'offences' | 'children' | 'indicators' | 'referrals'

export const ALL_CASE_RECORD_LISTS: readonly CaseRecordList[] = [
  'barriers',
  'offences',
  'children',
  'indicators',
  'referrals',
]

/**
 * @param options.lists the lists to read (all by default). A page showing one
 *   section reads only that section's list; the others come back empty, so
 *   pass every list a caller will show.
 */
export async function findCaseRecord(
  db: Kysely<Tables>,
  personId: string,
  scope: RegionScope,
  options: { readonly lists?: readonly CaseRecordList[] } = {},
): Promise<CaseRecordView | undefined> {
  const wanted = new Set(options.lists ?? ALL_CASE_RECORD_LISTS)
  // The person and the wanted lists in one round trip: each list is a JSON
  // array aggregated beside the person's row.
  const p = await db
    .selectFrom('persons as p')
    .innerJoin('countries as c', 'c.code', 'p.nationality')
    .innerJoin('rom_regions as r', 'r.code', 'p.rom_region')
    .innerJoin('ice_regions as i', 'i.code', 'p.ice_region')
    .innerJoin('reporting_locations as l', 'l.code', 'p.reporting_location')
    .selectAll('p')
    .select([
      'c.name as nationality_name',
      'r.name as rom_region_name',
      'i.name as ice_region_name',
      'l.name as location_name',
      'l.kind as location_kind',
    ])
    .$if(wanted.has('barriers'), (q) =>
      q.select((eb) =>
        jsonArrayFrom(
          eb.selectFrom('barriers').selectAll().whereRef('person_id', '=', 'p.person_id').orderBy('position'),
        ).as('barriers'),
      ),
    )
    .$if(wanted.has('offences'), (q) =>
      q.select((eb) =>
        jsonArrayFrom(
          eb.selectFrom('offences').selectAll().whereRef('person_id', '=', 'p.person_id').orderBy('position'),
        ).as('offences'),
      ),
    )
    .$if(wanted.has('children'), (q) =>
      q.select((eb) =>
        jsonArrayFrom(
          eb.selectFrom('children').selectAll().whereRef('person_id', '=', 'p.person_id').orderBy('position'),
        ).as('children'),
      ),
    )
    .$if(wanted.has('indicators'), (q) =>
      q.select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('vulnerability_indicators')
            .selectAll()
            .whereRef('person_id', '=', 'p.person_id')
            .orderBy('position'),
        ).as('indicators'),
      ),
    )
    .$if(wanted.has('referrals'), (q) =>
      q.select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('referrals as f')
            .innerJoin('business_areas as b', 'b.code', 'f.business_area')
            .select(['f.referred_on', 'b.code', 'b.name', 'b.short_name'])
            .whereRef('f.person_id', '=', 'p.person_id')
            .orderBy('f.position'),
        ).as('referrals'),
      ),
    )
    .where('p.person_id', '=', personId)
    .where((eb) => inScope(eb, 'p.rom_region', scope))
    .executeTakeFirst()
  if (!p) return undefined
  const barriers = p.barriers ?? []
  const offences = p.offences ?? []
  const children = p.children ?? []
  const indicators = p.indicators ?? []
  const referrals = p.referrals ?? []

  return {
    person: {
      personId: p.person_id,
      homeOfficeReference: p.home_office_reference,
      familyName: p.family_name,
      givenNames: p.given_names,
      dateOfBirth: dd(p.date_of_birth),
      ageDisputed: p.age_disputed,
      gender: p.gender,
      nationality: { code: p.nationality, name: p.nationality_name },
      romRegion: { code: p.rom_region, name: p.rom_region_name },
      iceRegion: { code: p.ice_region, name: p.ice_region_name },
      redNotice: p.red_notice,
      caseType: p.case_type,
      immigrationStatus: p.immigration_status,
      identifiedForRemoval: p.identified_for_removal,
      voluntaryReturnDeclinedOn: d(p.voluntary_return_declined_on),
    },
    documentation: {
      travelDocument: p.travel_document,
      heldBy: p.travel_document_held_by,
      expiryDate: d(p.travel_document_expiry),
      etdStatus: p.etd_status,
      identityStatus: p.identity_status,
    },
    reporting: {
      location: { code: p.reporting_location, name: p.location_name, kind: p.location_kind },
      type: p.reporting_type,
      frequency: p.reporting_frequency,
      nextDates: [p.next_reporting_date, p.next_reporting_date_2, p.next_reporting_date_3].filter(
        (date): date is string => date !== null,
      ) as IsoDate[],
      lastAttended: d(p.last_attended),
      missedEvents90Days: p.missed_events_90_days,
      consecutiveMissed: p.consecutive_missed,
      compliance: p.compliance,
      everOutOfContact: p.ever_out_of_contact,
      whereabouts: p.whereabouts,
      bail: {
        residenceCondition: p.residence_condition,
        electronicMonitoring: p.electronic_monitoring,
        curfew: p.curfew,
        emLastReviewed: d(p.em_last_reviewed),
      },
    },
    barriers: barriers.map((b) => ({
      type: b.type,
      suspensive: b.suspensive,
      raisedOn: dd(b.raised_on),
      resolvedOn: d(b.resolved_on),
      owningTeam: b.owning_team,
    })),
    harm: {
      foreignNationalOffender: p.foreign_national_offender,
      longestSentenceMonths: p.longest_sentence_months,
      harmLevel: p.harm_level,
      deportationOrder: p.deportation_order,
      onLicence: p.on_licence,
      offences: offences.map((o) => ({
        category: o.category,
        convictedOn: dd(o.convicted_on),
        sentenceMonths: o.sentence_months,
      })),
    },
    family: {
      relationship: p.relationship,
      primaryCarer: p.primary_carer,
      familyCase: p.family_case,
      children: children.map((c) => ({
        dateOfBirth: dd(c.date_of_birth),
        british: c.british,
        livesWith: c.lives_with,
      })),
    },
    vulnerability: {
      adultAtRiskLevel: p.adult_at_risk_level,
      nrmStatus: p.nrm_status,
      selfHarmRisk: p.self_harm_risk,
      careLeaver: p.care_leaver,
      pregnant: p.pregnant,
      emContraindicated: p.em_contraindicated,
      indicators: indicators.map((i) => ({
        type: i.type,
        identifiedOn: dd(i.identified_on),
        responseRecorded: i.response_recorded,
      })),
    },
    referrals: referrals.map((r) => ({
      businessArea: { code: r.code, name: r.name, shortName: r.short_name },
      referredOn: dd(r.referred_on),
    })),
    dataChangedAt: new Date(p.data_changed_at),
    sourceUpdatedAt: p.source_updated_at ? new Date(p.source_updated_at) : null,
    present: p.present,
  }
}
