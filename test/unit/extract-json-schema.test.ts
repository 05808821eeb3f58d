import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { before, describe, it } from 'node:test'
import {
  EXTRACT_JSON_SCHEMA_PATH,
  extractJsonSchema,
  formatJsonSchema,
} from '../../src/cases/extract-json-schema.ts'
import { generateCaseRecords } from '../../src/cases/generate.ts'
import type { IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'

const ROOT = resolve(import.meta.dirname, '../..')

type Schema = { [key: string]: unknown }

/**
 * Checks a value against the parts of JSON Schema the extract schema uses
 * (types, required and unknown properties, enums, patterns, lengths, bounds,
 * nullable alternatives) and lists what is wrong. Small enough to read, so
 * the test needs no validator dependency; a keyword it does not know fails
 * loudly rather than passing quietly.
 */
function problems(schema: Schema, value: unknown, path = '$'): string[] {
  const known = new Set([
    '$schema',
    '$id',
    'title',
    'description',
    'default',
    'format',
    'type',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'enum',
    'pattern',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'maxItems',
    'anyOf',
  ])
  for (const keyword of Object.keys(schema)) {
    if (!known.has(keyword)) throw new Error(`${path}: the checker does not know "${keyword}"`)
  }
  if (Array.isArray(schema['anyOf'])) {
    const options = schema['anyOf'] as Schema[]
    return options.some((option) => problems(option, value, path).length === 0)
      ? []
      : [`${path}: matches none of the alternatives`]
  }
  const found: string[] = []
  const type = schema['type']
  const actual =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : Number.isInteger(value)
          ? 'integer'
          : typeof value
  if (type !== undefined && type !== actual && !(type === 'number' && actual === 'integer')) {
    return [`${path}: is ${actual}, not ${String(type)}`]
  }
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) {
    found.push(`${path}: ${JSON.stringify(value)} is not in the enum`)
  }
  if (typeof value === 'string') {
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(value)) {
      found.push(`${path}: does not match the pattern`)
    }
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength'])
      found.push(`${path}: too short`)
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength'])
      found.push(`${path}: too long`)
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum'])
      found.push(`${path}: below the minimum`)
    if (typeof schema['maximum'] === 'number' && value > schema['maximum'])
      found.push(`${path}: above the maximum`)
  }
  if (Array.isArray(value)) {
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) {
      found.push(`${path}: too many items`)
    }
    const items = schema['items'] as Schema | undefined
    if (items) {
      for (const [i, item] of value.entries()) found.push(...problems(items, item, `${path}[${i}]`))
    }
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>
    for (const name of (schema['required'] ?? []) as string[]) {
      if (!(name in record)) found.push(`${path}.${name}: is missing`)
    }
    for (const [name, field] of Object.entries(record)) {
      const property = properties[name]
      if (property) found.push(...problems(property, field, `${path}.${name}`))
      else if (schema['additionalProperties'] === false) found.push(`${path}.${name}: is not allowed`)
    }
  }
  return found
}

let reference: ReferenceData
let schema: Schema

before(async () => {
  reference = await readReferenceData(resolve(ROOT, 'reference'))
  schema = extractJsonSchema(reference)
})

describe('the published extract JSON Schema', () => {
  it('is the checked-in file, byte for byte (run `npm run docs:schema` after changing the extract)', async () => {
    const checkedIn = await readFile(resolve(ROOT, EXTRACT_JSON_SCHEMA_PATH), 'utf8')
    assert.equal(checkedIn, formatJsonSchema(schema))
  })

  it('names itself and lists the reference codes as enums', () => {
    assert.equal(schema['$id'], 'urn:ipic:schema:case-extract')
    assert.equal(typeof schema['title'], 'string')
    assert.equal(typeof schema['description'], 'string')
    const properties = schema['properties'] as Record<string, Schema>
    const codes = (list: { code: string }[]) => list.map((item) => item.code)
    assert.deepEqual(properties['romRegion']?.['enum'], codes(reference.regions.romRegions))
    assert.deepEqual(properties['iceRegion']?.['enum'], codes(reference.regions.iceRegions))
    assert.deepEqual(properties['nationality']?.['enum'], codes(reference.countries.countries))
    const reporting = (properties['reporting'] as Schema)['properties'] as Record<string, Schema>
    assert.deepEqual(reporting['location']?.['enum'], codes(reference.locations.reportingLocations))
    const referral = ((properties['referrals'] as Schema)['items'] as Schema)['properties'] as Record<
      string,
      Schema
    >
    assert.deepEqual(referral['businessArea']?.['enum'], codes(reference.businessAreas.businessAreas))
  })

  it('leaves fields with a default out of the required list', () => {
    const required = schema['required'] as string[]
    assert.ok(required.includes('personId'))
    assert.ok(!required.includes('sourceUpdatedAt'))
    assert.ok(!required.includes('voluntaryReturnDeclinedOn'))
  })

  it('accepts generated records', () => {
    for (const record of generateCaseRecords({
      persons: 300,
      seed: 3,
      today: '2026-03-02' as IsoDate,
      reference,
    })) {
      assert.deepEqual(problems(schema, record), [], record.personId)
    }
  })

  it('rejects a record with an unknown code, a missing field or an unexpected one', () => {
    const [record] = [
      ...generateCaseRecords({ persons: 1, seed: 3, today: '2026-03-02' as IsoDate, reference }),
    ]
    assert.ok(record)
    const { familyName: _left, ...missing } = record
    assert.deepEqual(problems(schema, { ...record, romRegion: 'ATLANTIS' }), [
      '$.romRegion: "ATLANTIS" is not in the enum',
    ])
    assert.deepEqual(problems(schema, missing), ['$.familyName: is missing'])
    assert.deepEqual(problems(schema, { ...record, favouriteColour: 'blue' }), [
      '$.favouriteColour: is not allowed',
    ])
    assert.deepEqual(
      problems(schema, { ...record, reporting: { ...record.reporting, location: 'NOWHERE' } }),
      ['$.reporting.location: "NOWHERE" is not in the enum'],
    )
    assert.deepEqual(problems(schema, { ...record, gender: 'Q' }), ['$.gender: "Q" is not in the enum'])
  })
})
