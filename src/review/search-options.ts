/**
 * The choices the region and search pages offer, read from the reference
 * tables: the regions a user may work in, and for one region its task
 * types, countries and reporting locations. The same lists check what comes
 * back, so a tampered form can only pick what the page could have offered.
 */
import type { Kysely } from 'kysely'
import { inScope, type RegionScope } from '../access/region-scope.ts'
import type { IsoDate } from '../dates.ts'
import type { Tables } from '../db/tables.ts'
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

/** The ROM regions the user may work in, in the reference data's order. */
export async function regionsFor(db: Kysely<Tables>, scope: RegionScope): Promise<Option[]> {
  return db
    .selectFrom('rom_regions')
    .where((eb) => inScope(eb, 'rom_regions.code', scope))
    .select(['code', 'name'])
    .orderBy('position')
    .orderBy('code')
    .execute()
}

/** The search choices for a region the user may see; undefined when they may not (or it does not exist). */
export async function searchOptionsFor(
  db: Kysely<Tables>,
  scope: RegionScope,
  regionCode: string,
): Promise<SearchOptions | undefined> {
  const region = await db
    .selectFrom('rom_regions')
    .where('code', '=', regionCode)
    .where((eb) => inScope(eb, 'rom_regions.code', scope))
    .select(['code', 'name'])
    .executeTakeFirst()
  if (!region) return undefined
  const [taskTypes, countries, locations] = await Promise.all([
    db
      .selectFrom('task_types')
      .where('active', '=', true)
      .select(['code', 'name'])
      .orderBy('position')
      .execute(),
    db.selectFrom('countries').select(['code', 'name']).orderBy('name').execute(),
    db
      .selectFrom('reporting_locations')
      .where('rom_region', '=', region.code)
      .where('active', '=', true)
      .select(['code', 'name'])
      .orderBy('name')
      .execute(),
  ])
  return { region, taskTypes, countries, locations }
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
