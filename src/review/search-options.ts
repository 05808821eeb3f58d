/**
 * The choices the region and search pages offer: the regions a user may
 * work in, and for one region its task types, countries and reporting
 * locations. The same lists check what comes back, so a tampered form can
 * only pick what the page could have offered.
 */
import { canSee, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import type { SearchContext } from './search.ts'

export interface Option {
  readonly code: string
  readonly name: string
}

export interface SearchOptions {
  readonly region: Option
  readonly taskTypes: readonly Option[]
  readonly countries: readonly Option[]
  readonly locations: readonly Option[]
}

/**
 * Every choice the review pages offer, built once from the reference data
 * the process loaded at start (runtime.reference). Reference data changes
 * only when `ipic migrate` or a start loads the reference files
 * (src/db/prepare.ts), and a release that changes them restarts the
 * service, so the copy loaded at start is the one in force: no page reads
 * these lists from the database.
 */
export class SearchChoices {
  /** In the reference data's order. */
  readonly #regions: readonly Option[]
  /** Active task types, in the reference data's order. */
  readonly #taskTypes: readonly Option[]
  /** By name. */
  readonly #countries: readonly Option[]
  /** Active reporting centres and stations by ROM region, by name. */
  readonly #locations: ReadonlyMap<string, readonly Option[]>
  /** The Referral column's codes (business areas' short names) with their names, in the reference data's order. */
  readonly #referralCodes: readonly Option[]

  constructor(reference: ReferenceData) {
    const option = ({ code, name }: Option): Option => ({ code, name })
    this.#regions = reference.regions.romRegions.map(option)
    this.#taskTypes = reference.taskTypes.taskTypes.filter((type) => type.active).map(option)
    this.#countries = reference.countries.countries.map(option).sort(byName)
    const byRegion = new Map<string, Option[]>()
    for (const location of [...reference.locations.reportingLocations].sort(byName)) {
      if (!location.active) continue
      const list = byRegion.get(location.romRegion) ?? []
      list.push(option(location))
      byRegion.set(location.romRegion, list)
    }
    this.#locations = byRegion
    this.#referralCodes = reference.businessAreas.businessAreas.map((area) => ({
      code: area.shortName,
      name: area.name,
    }))
  }

  /** What each code of the lists' Referral column stands for. */
  referralCodes(): readonly Option[] {
    return this.#referralCodes
  }

  /** The ROM regions the user may work in, in the reference data's order. */
  regionsFor(scope: RegionScope): Option[] {
    return this.#regions.filter((region) => canSee(scope, region.code))
  }

  /** The search choices for a region the user may see; undefined when they may not (or it does not exist). */
  optionsFor(scope: RegionScope, regionCode: string): SearchOptions | undefined {
    const region = this.#regions.find((candidate) => candidate.code === regionCode)
    if (!region || !canSee(scope, region.code)) return undefined
    return {
      region,
      taskTypes: this.#taskTypes,
      countries: this.#countries,
      locations: this.#locations.get(region.code) ?? [],
    }
  }
}

/**
 * By name, character by character: the order PostgreSQL's C collation gave
 * when these lists were read from the database with `order by name`.
 */
function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

export function searchContext(options: SearchOptions, today: IsoDate, maxDays: number): SearchContext {
  const codes = (list: readonly Option[]) => new Set(list.map((option) => option.code))
  return {
    today,
    maxDays,
    taskTypes: codes(options.taskTypes),
    countries: codes(options.countries),
    locations: codes(options.locations),
    regionName: options.region.name,
  }
}
