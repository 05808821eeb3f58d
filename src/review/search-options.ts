/**
 * The choices the region and search pages offer, read from the reference
 * tables (and kept for a minute, see referenceChoices): the regions a user
 * may work in, and for one region its task types, countries and reporting
 * locations. The same lists check what comes
 * back, so a tampered form can only pick what the page could have offered.
 */
import type { Kysely } from 'kysely'
import { canSee, type RegionScope } from '../access/region-scope.ts'
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

/**
 * Every choice at once, as the reference tables hold it. Every review page
 * needs them, and they change only when a release loads new reference files
 * (src/db/prepare.ts), so each process keeps one copy for a minute rather
 * than reading some 300 rows on every request.
 */
interface ReferenceChoices {
  /** In the reference data's order. */
  readonly regions: readonly Option[]
  readonly taskTypes: readonly Option[]
  readonly countries: readonly Option[]
  /** Active reporting centres and stations by ROM region, by name. */
  readonly locations: ReadonlyMap<string, readonly Option[]>
}

const CHOICES_TTL_MS = 60_000

const choicesByDatabase = new WeakMap<
  Kysely<Tables>,
  { readonly at: number; readonly choices: Promise<ReferenceChoices> }
>()

function referenceChoices(db: Kysely<Tables>): Promise<ReferenceChoices> {
  const kept = choicesByDatabase.get(db)
  if (kept && performance.now() - kept.at < CHOICES_TTL_MS) return kept.choices
  const choices = readReferenceChoices(db)
  choicesByDatabase.set(db, { at: performance.now(), choices })
  // A failed read is not kept: the next request tries again.
  choices.catch(() => choicesByDatabase.delete(db))
  return choices
}

async function readReferenceChoices(db: Kysely<Tables>): Promise<ReferenceChoices> {
  const [regions, taskTypes, countries, locations] = await Promise.all([
    db.selectFrom('rom_regions').select(['code', 'name']).orderBy('position').orderBy('code').execute(),
    db
      .selectFrom('task_types')
      .where('active', '=', true)
      .select(['code', 'name'])
      .orderBy('position')
      .execute(),
    db.selectFrom('countries').select(['code', 'name']).orderBy('name').execute(),
    db
      .selectFrom('reporting_locations')
      .where('active', '=', true)
      .select(['code', 'name', 'rom_region'])
      .orderBy('name')
      .execute(),
  ])
  const byRegion = new Map<string, Option[]>()
  for (const { rom_region, code, name } of locations) {
    const list = byRegion.get(rom_region) ?? []
    list.push({ code, name })
    byRegion.set(rom_region, list)
  }
  return { regions, taskTypes, countries, locations: byRegion }
}

/** The ROM regions the user may work in, in the reference data's order. */
export async function regionsFor(db: Kysely<Tables>, scope: RegionScope): Promise<Option[]> {
  const { regions } = await referenceChoices(db)
  return regions.filter((region) => canSee(scope, region.code))
}

/** The search choices for a region the user may see; undefined when they may not (or it does not exist). */
export async function searchOptionsFor(
  db: Kysely<Tables>,
  scope: RegionScope,
  regionCode: string,
): Promise<SearchOptions | undefined> {
  const choices = await referenceChoices(db)
  const region = choices.regions.find((candidate) => candidate.code === regionCode)
  if (!region || !canSee(scope, region.code)) return undefined
  return {
    region,
    taskTypes: choices.taskTypes,
    countries: choices.countries,
    locations: choices.locations.get(region.code) ?? [],
  }
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
