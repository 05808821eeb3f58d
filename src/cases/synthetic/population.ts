/**
 * What the generator draws from the reference data once, before the first
 * person: who reports where, and the spread of nationalities.
 */
import type { IsoDate } from '../../dates.ts'
import type { ReferenceData } from '../../db/reference-data.ts'
import { Calendar } from './calendar.ts'
import { referenceOffsetFor } from './identity.ts'
import { type NamePools, namePools } from './names.ts'
import { CASELOAD_PROFILE, type CaseloadProfile, type CaseloadProfileName } from './profile.ts'
import { type Random, weighted } from './random.ts'

/** Everything drawn from the reference data once, before the first person. */
export interface Population {
  readonly seed: number
  readonly profile: CaseloadProfile
  readonly calendar: Calendar
  readonly names: NamePools
  readonly nationality: (random: Random) => string
  readonly romRegion: (random: Random) => string
  readonly locationIn: ReadonlyMap<string, (random: Random) => string>
  readonly iceRegions: readonly string[]
  readonly businessAreas: ReadonlySet<string>
  /** Spreads Home Office reference numbers differently for each seed. */
  readonly referenceOffset: number
}

/**
 * Rough make-up of a reporting caseload by nationality. Codes the reference
 * data does not list are skipped; every other listed country gets a small
 * weight, so the whole list is used.
 */
const NATIONALITY_WEIGHTS: Readonly<Record<string, number>> = {
  ALB: 9,
  PAK: 7,
  IND: 6,
  IRN: 6,
  IRQ: 6,
  AFG: 6,
  NGA: 5,
  BGD: 5,
  ERI: 4,
  SDN: 4,
  CHN: 4,
  VNM: 4,
  SYR: 3,
  TUR: 3,
  LKA: 2,
  JAM: 2,
  GHA: 2,
  ZWE: 2,
  SOM: 2,
  EGY: 2,
  ETH: 1.5,
  BRA: 1.5,
  GMB: 1,
  SLE: 1,
  CMR: 1,
  COD: 1,
  KEN: 1,
  UGA: 1,
  MAR: 1,
  DZA: 1,
  LBY: 1,
  GEO: 1,
  COL: 1,
  PHL: 1,
  MYS: 1,
  NPL: 0.8,
  ROU: 0.8,
  POL: 0.8,
  LTU: 0.5,
  KWT: 0.5,
  YEM: 0.5,
}
const OTHER_NATIONALITY_WEIGHT = 0.1

/** Share of the caseload by ROM region; a region not named here gets a middling share. */
const REGION_WEIGHTS: Readonly<Record<string, number>> = {
  LSE: 40,
  MEE: 17,
  NW: 14,
  NEYH: 12,
  WSW: 9,
  SNI: 8,
}
const OTHER_REGION_WEIGHT = 8
/** Reporting centres see more people than police stations. */
const LOCATION_KIND_WEIGHTS = { REPORTING_CENTRE: 4, POLICE_STATION: 1 } as const
/** Now and then enforcement work sits in a different region from reporting. */
export const ICE_REGION_DIFFERS = 0.04

export function describePopulation(options: {
  seed: number
  profile: CaseloadProfileName
  today: IsoDate
  reference: ReferenceData
}): Population {
  const { reference } = options
  const active = reference.locations.reportingLocations.filter((l) => l.active)
  const locationIn = new Map<string, (random: Random) => string>()
  for (const region of reference.regions.romRegions) {
    const here = active.filter((l) => l.romRegion === region.code)
    // A region without an open reporting location cannot hold a reporting person.
    if (here.length > 0) {
      locationIn.set(region.code, weighted(here.map((l) => [l.code, LOCATION_KIND_WEIGHTS[l.kind]])))
    }
  }
  if (locationIn.size === 0) throw new RangeError('the reference data has no active reporting location')
  const regions = [...locationIn.keys()]
  return {
    seed: options.seed,
    profile: CASELOAD_PROFILE[options.profile],
    calendar: new Calendar(options.today),
    names: namePools(),
    nationality: weighted(
      reference.countries.countries.map((c) => [
        c.code,
        NATIONALITY_WEIGHTS[c.code] ?? OTHER_NATIONALITY_WEIGHT,
      ]),
    ),
    romRegion: weighted(regions.map((code) => [code, REGION_WEIGHTS[code] ?? OTHER_REGION_WEIGHT])),
    locationIn,
    iceRegions: reference.regions.iceRegions.map((r) => r.code),
    businessAreas: new Set(reference.businessAreas.businessAreas.map((b) => b.code)),
    referenceOffset: referenceOffsetFor(options.seed),
  }
}
