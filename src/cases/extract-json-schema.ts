/**
 * The extract's published JSON Schema (docs/case-extract.schema.json), made
 * from the zod schema the importer validates with, so the two cannot drift.
 *
 * The zod schema checks reference codes against the loaded lists in code,
 * which JSON Schema cannot see; they are written in here as enums so that a
 * source-system team's editor can check them too. Checks that depend on the
 * day (a date of birth not in the future) and between fields (a resolved date
 * not before the raised date) are enforced only by the importer.
 */
import { z } from 'zod'
import type { IsoDate } from '../dates.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import { extractRecordSchema } from './extract.ts'
import { extractContextFor } from './extract-context.ts'

export const EXTRACT_JSON_SCHEMA_PATH = 'docs/case-extract.schema.json'

type JsonSchema = { [key: string]: unknown }

/** Refinements are invisible to JSON Schema, so any date serves to build the zod schema. */
const ANY_DAY = '2000-01-01' as IsoDate

/** The schema at `path` (property names; `[]` steps into a list's items). */
function schemaAt(root: JsonSchema, path: readonly string[]): JsonSchema {
  let node = root
  for (const step of path) {
    const next =
      step === '[]' ? node['items'] : (node['properties'] as Record<string, unknown> | undefined)?.[step]
    // A renamed field must fail the build of the schema, not quietly lose its enum.
    if (typeof next !== 'object' || next === null) {
      throw new Error(`the extract schema has no ${path.join('.')} (stopped at ${step})`)
    }
    node = next as JsonSchema
  }
  return node
}

function restrictToCodes(root: JsonSchema, path: readonly string[], codes: readonly string[], list: string) {
  const node = schemaAt(root, path)
  if (node['type'] !== 'string') throw new Error(`${path.join('.')} is not a string in the extract schema`)
  delete node['maxLength']
  node['description'] = `A code from ${list}.`
  node['enum'] = [...codes]
}

export function extractJsonSchema(reference: ReferenceData): JsonSchema {
  const generated = z.toJSONSchema(extractRecordSchema(extractContextFor(reference, ANY_DAY)), {
    io: 'input',
  }) as JsonSchema
  const { $schema, ...rest } = generated
  const schema: JsonSchema = {
    $schema,
    $id: 'urn:ipic:schema:case-extract',
    title: 'IPIC case extract record',
    description:
      'One person in a case extract for IPIC (Identify and prioritise immigration cases). An extract is NDJSON: ' +
      'one JSON object of this shape per line, in UTF-8, optionally gzip-compressed. Dates are YYYY-MM-DD. ' +
      'Fields with a default may be left out. The importer also checks that a date of birth is not in the ' +
      'future, that a barrier is not resolved before it was raised, that reporting dates are in order, ' +
      'that a foreign national offender case has harm.foreignNationalOffender set, that the reporting location ' +
      "is in the person's romRegion, that sourceUpdatedAt is not in the future, that no field is given twice " +
      'in one object, and that text holds no control, invisible or text-reordering characters.',
    ...rest,
  }
  restrictToCodes(
    schema,
    ['romRegion'],
    reference.regions.romRegions.map((r) => r.code),
    'reference/regions.yaml (romRegions)',
  )
  restrictToCodes(
    schema,
    ['iceRegion'],
    reference.regions.iceRegions.map((r) => r.code),
    'reference/regions.yaml (iceRegions)',
  )
  restrictToCodes(
    schema,
    ['nationality'],
    reference.countries.countries.map((c) => c.code),
    'reference/countries.yaml (ISO 3166-1 alpha-3)',
  )
  restrictToCodes(
    schema,
    ['reporting', 'location'],
    reference.locations.reportingLocations.map((l) => l.code),
    'reference/reporting-locations.yaml (retired locations included)',
  )
  restrictToCodes(
    schema,
    ['referrals', '[]', 'businessArea'],
    reference.businessAreas.businessAreas.map((b) => b.code),
    'reference/business-areas.yaml',
  )
  return schema
}

/** The file's exact text: stable, so a regenerated schema diffs cleanly. */
export function formatJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}
