/**
 * `npm run docs:rules-schema`: writes the rule files' JSON Schemas from the
 * zod schemas and the field catalogue. Run it after changing either; a unit
 * test fails while the checked-in files are out of date.
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  formatJsonSchema,
  GLOBAL_SAFEGUARDS_SCHEMA_PATH,
  globalSafeguardsJsonSchema,
  RULE_FILE_SCHEMA_PATH,
  ruleFileJsonSchema,
} from '../src/rules/json-schema.ts'

const root = resolve(import.meta.dirname, '..')
await writeFile(resolve(root, RULE_FILE_SCHEMA_PATH), formatJsonSchema(ruleFileJsonSchema()))
await writeFile(resolve(root, GLOBAL_SAFEGUARDS_SCHEMA_PATH), formatJsonSchema(globalSafeguardsJsonSchema()))
process.stdout.write(`Wrote ${RULE_FILE_SCHEMA_PATH} and ${GLOBAL_SAFEGUARDS_SCHEMA_PATH}\n`)
