/**
 * `npm run docs:schema`: writes docs/case-extract.schema.json from the zod
 * schema and the reference data. Run it after changing either; a unit test
 * fails while the checked-in file is out of date.
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  EXTRACT_JSON_SCHEMA_PATH,
  extractJsonSchema,
  formatJsonSchema,
} from '../src/cases/extract-json-schema.ts'
import { readReferenceData } from '../src/db/reference-data.ts'

const root = resolve(import.meta.dirname, '..')
const reference = await readReferenceData(resolve(root, 'reference'))
const target = resolve(root, EXTRACT_JSON_SCHEMA_PATH)
await writeFile(target, formatJsonSchema(extractJsonSchema(reference)))
process.stdout.write(`Wrote ${EXTRACT_JSON_SCHEMA_PATH}\n`)
