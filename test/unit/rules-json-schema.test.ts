import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import {
  formatJsonSchema,
  GLOBAL_SAFEGUARDS_SCHEMA_PATH,
  globalSafeguardsJsonSchema,
  RULE_FILE_SCHEMA_PATH,
  ruleFileJsonSchema,
} from '../../src/rules/json-schema.ts'
import { GLOBAL_SAFEGUARDS_FILE } from '../../src/rules/rule-file-schema.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const RULES = resolve(ROOT, 'rules')

type Schema = { [key: string]: unknown }

/**
 * Checks a value against the parts of JSON Schema (draft 7) the rule-file
 * schema uses and lists what is wrong, so the test needs no validator
 * dependency. A keyword it does not know fails loudly rather than passing
 * quietly.
 */
function problems(root: Schema, schema: Schema, value: unknown, path = '$'): string[] {
  const known = new Set([
    '$schema',
    '$id',
    'title',
    'description',
    'definitions',
    'default',
    'format',
    'propertyNames',
    '$ref',
    'allOf',
    'anyOf',
    'oneOf',
    'type',
    'const',
    'enum',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'minItems',
    'minLength',
    'maxLength',
    'pattern',
    'exclusiveMinimum',
    'maximum',
  ])
  for (const keyword of Object.keys(schema)) {
    if (!known.has(keyword)) throw new Error(`the test validator does not know ${keyword} (at ${path})`)
  }
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/definitions/', '')
    return problems(root, (root.definitions as Record<string, Schema>)[name] as Schema, value, path)
  }
  if (Array.isArray(schema.allOf)) {
    return (schema.allOf as Schema[]).flatMap((s) => problems(root, s, value, path))
  }
  if (Array.isArray(schema.anyOf)) {
    const each = (schema.anyOf as Schema[]).map((s) => problems(root, s, value, path))
    return each.some((p) => p.length === 0) ? [] : [`${path}: matches none of anyOf`]
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter(
      (s) => problems(root, s, value, path).length === 0,
    ).length
    return passing === 1 ? [] : [`${path}: matches ${passing} of oneOf`]
  }
  const out: string[] = []
  const type = typeOf(value)
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type]
    if (!allowed.includes(type) && !(type === 'integer' && allowed.includes('number'))) {
      return [`${path}: is ${type}, not ${allowed.join(' or ')}`]
    }
  }
  if ('const' in schema && value !== schema.const) out.push(`${path}: is not ${JSON.stringify(schema.const)}`)
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    out.push(`${path}: ${JSON.stringify(value)} is not allowed`)
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      out.push(`${path}: too short`)
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) out.push(`${path}: too long`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      out.push(`${path}: pattern`)
  }
  if (
    typeof value === 'number' &&
    typeof schema.exclusiveMinimum === 'number' &&
    value <= schema.exclusiveMinimum
  ) {
    out.push(`${path}: too small`)
  }
  if (typeof value === 'number' && typeof schema.maximum === 'number' && value > schema.maximum) {
    out.push(`${path}: too large`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      out.push(`${path}: too few items`)
    if (schema.items)
      for (const [i, item] of value.entries())
        out.push(...problems(root, schema.items as Schema, item, `${path}[${i}]`))
  }
  if (type === 'object') {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const key of (schema.required ?? []) as string[])
      if (!(key in object)) out.push(`${path}.${key}: is missing`)
    for (const [key, item] of Object.entries(object)) {
      if (properties[key]) out.push(...problems(root, properties[key], item, `${path}.${key}`))
      else if (schema.additionalProperties === false) out.push(`${path}.${key}: is not allowed`)
      else if (typeof schema.additionalProperties === 'object') {
        out.push(...problems(root, schema.additionalProperties as Schema, item, `${path}.${key}`))
      }
    }
  }
  return out
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (Number.isInteger(value)) return 'integer'
  return typeof value
}

async function ruleFiles(): Promise<{ name: string; content: string }[]> {
  const names = (await readdir(RULES)).filter((n) => n.endsWith('.yaml')).sort()
  return Promise.all(
    names.map(async (name) => ({ name, content: await readFile(resolve(RULES, name), 'utf8') })),
  )
}

describe('the rule files’ JSON Schemas', () => {
  it('are up to date with the zod schemas and the field catalogue (run npm run docs:rules-schema)', async () => {
    assert.equal(
      await readFile(resolve(ROOT, RULE_FILE_SCHEMA_PATH), 'utf8'),
      formatJsonSchema(ruleFileJsonSchema()),
    )
    assert.equal(
      await readFile(resolve(ROOT, GLOBAL_SAFEGUARDS_SCHEMA_PATH), 'utf8'),
      formatJsonSchema(globalSafeguardsJsonSchema()),
    )
  })

  it('offer the catalogue’s field names, and never nationality, ethnicity or gender', () => {
    const definitions = ruleFileJsonSchema().definitions as Record<string, Schema>
    const fields = definitions.PersonFieldName?.enum as string[]
    assert.ok(fields.includes('harm.harmLevel'))
    assert.ok(fields.includes('reporting.nextDates[0]'))
    assert.ok(fields.includes('person.age'))
    for (const name of fields) assert.doesNotMatch(name, /nationality|ethnic|gender/i)
    assert.deepEqual(definitions.ListName?.enum, [
      'barriers',
      'offences',
      'children',
      'vulnerabilityIndicators',
      'referrals',
    ])
    assert.ok((definitions.ItemFieldName?.enum as string[] | undefined)?.includes('open'))
  })

  it('accept every file in rules/, each of which names its schema for the editor', async () => {
    const schemas = { rule: ruleFileJsonSchema(), global: globalSafeguardsJsonSchema() }
    for (const file of await ruleFiles()) {
      const global = file.name === GLOBAL_SAFEGUARDS_FILE
      const schemaFile = global ? 'global-safeguards.schema.json' : 'rule-file.schema.json'
      assert.equal(
        file.content.split('\n')[0],
        `# yaml-language-server: $schema=../docs/${schemaFile}`,
        `${file.name} must start with the yaml-language-server line`,
      )
      const schema = global ? schemas.global : schemas.rule
      assert.deepEqual(problems(schema, schema, parse(file.content)), [], file.name)
    }
  })

  it('flag the mistakes an editor should catch as people type', async () => {
    const schema = ruleFileJsonSchema()
    const [file] = (await ruleFiles()).filter((f) => f.name === 'DOCUMENTATION_INTERVIEW.yaml')
    const valid = parse(file?.content ?? '')
    const withField = structuredClone(valid)
    withField.eligibility.all[0].field = 'person.nationality'
    assert.notDeepEqual(problems(schema, schema, withField), [])
    const withBareNumber = structuredClone(valid)
    withBareNumber.eligibility.all[0] = {
      field: 'vulnerability.adultAtRiskLevel',
      operator: 'equals',
      value: 1,
    }
    assert.notDeepEqual(problems(schema, schema, withBareNumber), [])
    const withUnknownKey = structuredClone(valid)
    withUnknownKey.eligibilty = withUnknownKey.eligibility
    assert.deepEqual(problems(schema, schema, withUnknownKey), ['$.eligibilty: is not allowed'])
  })
})
