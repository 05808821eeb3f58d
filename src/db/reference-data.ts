/**
 * Reference data: the YAML files in reference/ (regions, reporting
 * locations, countries, business areas, task types, rejection reasons) are
 * validated and written to their tables by `ipic migrate`. A team edits the
 * files, not the code. Entries removed from a file are marked inactive where
 * the table allows it, never deleted, so history keeps its meaning.
 */
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import { parseYamlText } from '../yaml/parse.ts'
import { readYamlFile } from '../yaml/read-file.ts'
import type { Tables } from './tables.ts'
import { writeWorkingDays } from './working-days.ts'

const code = z.string().regex(/^[A-Z0-9_]{2,40}$/, 'must be 2 to 40 capital letters, digits or underscores')
const name = z.string().trim().min(1).max(200)

const regionsFile = z.strictObject({
  romRegions: z.array(z.strictObject({ code, name })).min(1),
  iceRegions: z.array(z.strictObject({ code, name })).min(1),
})
const locationsFile = z.strictObject({
  reportingLocations: z
    .array(
      z.strictObject({
        code,
        name,
        kind: z.enum(['REPORTING_CENTRE', 'POLICE_STATION']),
        romRegion: code,
        active: z.boolean().default(true),
      }),
    )
    .min(1),
})
const countriesFile = z.strictObject({
  countries: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code'),
        alpha2: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
        name,
      }),
    )
    .min(1),
})
const businessAreasFile = z.strictObject({
  businessAreas: z.array(z.strictObject({ code, name, shortName: z.string().min(1).max(10) })),
})
const taskTypesFile = z.strictObject({
  taskTypes: z
    .array(
      z.strictObject({
        code,
        name,
        description: z.string().min(1).max(1000),
        enforcement: z.boolean(),
        active: z.boolean().default(true),
        /** Target time to a decision, in working days from the recommendation (migration 0021). */
        decideWithinWorkingDays: z.number().int().min(1).max(250).default(10),
        /** Acts at the next reporting event: due the working day before the reporting date too. */
        decideBeforeReportingDate: z.boolean().default(false),
      }),
    )
    .min(1),
})
const rejectionReasonsFile = z.strictObject({
  rejectionReasons: z
    .array(
      z.strictObject({
        code,
        label: name,
        raisesDataQualityItem: z.boolean().default(false),
        explanationRequired: z.boolean().default(false),
        active: z.boolean().default(true),
      }),
    )
    .min(1),
})

export class ReferenceDataError extends Error {}

async function readReferenceFile<T extends z.ZodType>(directory: string, file: string, schema: T) {
  const path = join(directory, file)
  const read = await readYamlFile(path)
  if (!read.ok) throw new ReferenceDataError(`${path} ${read.message}`)
  const parsed = parseYamlText(read.text)
  if (!parsed.ok) {
    const problems = parsed.problems.map(({ at, message }) =>
      'line' in at ? `  line ${at.line}, column ${at.column}: ${message}` : `  ${at.join('.')}: ${message}`,
    )
    throw new ReferenceDataError(`${path} is not valid:\n${problems.join('\n')}`)
  }
  const result = schema.safeParse(parsed.value)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ReferenceDataError(`${path} is not valid:\n${problems.join('\n')}`)
  }
  return result.data as z.output<T>
}

function assertUnique(file: string, codes: string[]): void {
  const seen = new Set<string>()
  for (const c of codes) {
    if (seen.has(c)) throw new ReferenceDataError(`${file}: the code ${c} appears more than once`)
    seen.add(c)
  }
}

const bankHolidaysFile = z.strictObject({
  bankHolidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')),
})

/** The bank holidays of reference/bank-holidays.yaml; none (Monday to Friday only) when there is no such file. */
export async function readBankHolidays(directory: string): Promise<string[]> {
  const exists = await access(join(directory, 'bank-holidays.yaml')).then(
    () => true,
    () => false,
  )
  if (!exists) return []
  return (await readReferenceFile(directory, 'bank-holidays.yaml', bankHolidaysFile)).bankHolidays
}

export interface ReferenceData {
  regions: z.output<typeof regionsFile>
  locations: z.output<typeof locationsFile>
  countries: z.output<typeof countriesFile>
  businessAreas: z.output<typeof businessAreasFile>
  taskTypes: z.output<typeof taskTypesFile>
  rejectionReasons: z.output<typeof rejectionReasonsFile>
}

export async function readReferenceData(directory: string): Promise<ReferenceData> {
  const data: ReferenceData = {
    regions: await readReferenceFile(directory, 'regions.yaml', regionsFile),
    locations: await readReferenceFile(directory, 'reporting-locations.yaml', locationsFile),
    countries: await readReferenceFile(directory, 'countries.yaml', countriesFile),
    businessAreas: await readReferenceFile(directory, 'business-areas.yaml', businessAreasFile),
    taskTypes: await readReferenceFile(directory, 'task-types.yaml', taskTypesFile),
    rejectionReasons: await readReferenceFile(directory, 'rejection-reasons.yaml', rejectionReasonsFile),
  }
  assertUnique(
    'regions.yaml romRegions',
    data.regions.romRegions.map((r) => r.code),
  )
  assertUnique(
    'regions.yaml iceRegions',
    data.regions.iceRegions.map((r) => r.code),
  )
  assertUnique(
    'reporting-locations.yaml',
    data.locations.reportingLocations.map((l) => l.code),
  )
  assertUnique(
    'countries.yaml',
    data.countries.countries.map((c) => c.code),
  )
  assertUnique(
    'business-areas.yaml',
    data.businessAreas.businessAreas.map((b) => b.code),
  )
  assertUnique(
    'task-types.yaml',
    data.taskTypes.taskTypes.map((t) => t.code),
  )
  assertUnique(
    'rejection-reasons.yaml',
    data.rejectionReasons.rejectionReasons.map((r) => r.code),
  )
  const romRegions = new Set(data.regions.romRegions.map((r) => r.code))
  for (const location of data.locations.reportingLocations) {
    if (!romRegions.has(location.romRegion)) {
      throw new ReferenceDataError(
        `reporting-locations.yaml: ${location.code} names the ROM region ${location.romRegion}, which regions.yaml does not list`,
      )
    }
  }
  return data
}

/** Writes the reference data in one transaction: all of it or none. */
export async function loadReferenceData(db: Kysely<Tables>, directory: string): Promise<ReferenceData> {
  const data = await readReferenceData(directory)
  await db.transaction().execute(async (trx) => {
    const upsert = async <T extends keyof Tables>(
      table: T,
      rows: Tables[T][] | object[],
      columns: string[],
    ) => {
      if (rows.length === 0) return
      await trx
        .insertInto(table)
        .values(rows as never)
        .onConflict((oc) =>
          oc
            .column('code' as never)
            .doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as never),
        )
        .execute()
    }
    await upsert(
      'rom_regions',
      data.regions.romRegions.map((r, position) => ({ ...r, position })),
      ['name', 'position'],
    )
    await upsert(
      'ice_regions',
      data.regions.iceRegions.map((r, position) => ({ ...r, position })),
      ['name', 'position'],
    )
    await upsert(
      'reporting_locations',
      data.locations.reportingLocations.map((l) => ({
        code: l.code,
        name: l.name,
        kind: l.kind,
        rom_region: l.romRegion,
        active: l.active,
      })),
      ['name', 'kind', 'rom_region', 'active'],
    )
    await upsert('countries', data.countries.countries, ['alpha2', 'name'])
    await upsert(
      'business_areas',
      data.businessAreas.businessAreas.map((b) => ({ code: b.code, name: b.name, short_name: b.shortName })),
      ['name', 'short_name'],
    )
    await upsert(
      'task_types',
      data.taskTypes.taskTypes.map((t, position) => ({
        code: t.code,
        name: t.name,
        description: t.description,
        enforcement: t.enforcement,
        active: t.active,
        position,
        decide_within_working_days: t.decideWithinWorkingDays,
        decide_before_reporting_date: t.decideBeforeReportingDate,
      })),
      [
        'name',
        'description',
        'enforcement',
        'position',
        'active',
        'decide_within_working_days',
        'decide_before_reporting_date',
      ],
    )
    await writeWorkingDays(trx, await readBankHolidays(directory))
    await upsert(
      'rejection_reasons',
      data.rejectionReasons.rejectionReasons.map((r, position) => ({
        code: r.code,
        label: r.label,
        position,
        raises_data_quality_item: r.raisesDataQualityItem,
        explanation_required: r.explanationRequired,
        active: r.active,
      })),
      ['label', 'position', 'raises_data_quality_item', 'explanation_required', 'active'],
    )
    const retire = async (
      table: 'reporting_locations' | 'task_types' | 'rejection_reasons',
      codes: string[],
    ) => {
      await trx.updateTable(table).set({ active: false }).where('code', 'not in', codes).execute()
    }
    await retire(
      'reporting_locations',
      data.locations.reportingLocations.map((l) => l.code),
    )
    await retire(
      'task_types',
      data.taskTypes.taskTypes.map((t) => t.code),
    )
    await retire(
      'rejection_reasons',
      data.rejectionReasons.rejectionReasons.map((r) => r.code),
    )
  })
  return data
}
