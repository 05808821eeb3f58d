/**
 * The published JSON Schemas of the rule files (docs/rule-file.schema.json
 * and docs/global-safeguards.schema.json), made from the zod schemas the
 * loader checks with, so the two cannot drift. A `# yaml-language-server:
 * $schema=…` line at the top of each file lets an editor check it as people
 * type.
 *
 * Field, list and item-field names are plain strings in zod (the loader
 * checks them against the catalogue to suggest a correction); here they
 * become enums from the catalogue, so the editor offers them as completions
 * and flags a misspelt one. Nationality, ethnicity and gender are absent
 * from the catalogue and so from the enums.
 */
import { z } from 'zod'
import { itemFieldNames, lists, personFields } from './fields.ts'
import { globalSafeguardsFile, ruleFile } from './rule-file-schema.ts'

export const RULE_FILE_SCHEMA_PATH = 'docs/rule-file.schema.json'
export const GLOBAL_SAFEGUARDS_SCHEMA_PATH = 'docs/global-safeguards.schema.json'

type JsonSchema = { [key: string]: unknown }

const NAMES: Readonly<Record<string, readonly string[]>> = {
  PersonFieldName: [...personFields.keys()],
  ItemFieldName: itemFieldNames,
  ListName: [...lists.keys()],
}

function jsonSchemaOf(schema: z.ZodType, id: string): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema
  const definitions = json['definitions'] as Record<string, JsonSchema> | undefined
  for (const [name, values] of Object.entries(NAMES)) {
    const definition = definitions?.[name]
    // A renamed definition must fail the build of the schema, not quietly lose its enum.
    if (!definition) throw new Error(`the rule file schema has no ${name}`)
    definition['enum'] = [...values]
  }
  return { $id: id, ...json }
}

export function ruleFileJsonSchema(): JsonSchema {
  return jsonSchemaOf(ruleFile, 'https://ipic.service.gov.uk/schemas/rule-file.schema.json')
}

export function globalSafeguardsJsonSchema(): JsonSchema {
  return jsonSchemaOf(
    globalSafeguardsFile,
    'https://ipic.service.gov.uk/schemas/global-safeguards.schema.json',
  )
}

export function formatJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}
