/**
 * The golden caseload of the explanations' golden test: the stress
 * profile's first 10,000 persons, imported and recommended by the rule set
 * kept in the fixture (its files, so a later change of the live rules does
 * not change it). The fixture holds, for every task of that run, a digest
 * of the explanation the tasks then stored, and a few hundred of them in
 * full (test/fixtures/golden-explanations.json.gz).
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { type CaseloadProfileName, writeExtract } from '../../src/cases/generate.ts'
import { importExtract } from '../../src/cases/import.ts'
import type { IsoDate } from '../../src/dates.ts'
import type { ReferenceData } from '../../src/db/reference-data.ts'
import type { RuleSetFile } from '../../src/db/tables.ts'
import type { RecommendationExplanation } from '../../src/rules/explanation-json.ts'
import { ruleSetFromFiles } from '../../src/rules/load.ts'
import type { RuleSet } from '../../src/rules/model.ts'
import { runRules } from '../../src/tasks/rule-run.ts'
import type { TestDatabase } from './database.ts'
import { publishForTest } from './publication.ts'
import { FIXTURE_TODAY, manualClock } from './tasks.ts'

export const GOLDEN_FIXTURE = resolve(import.meta.dirname, '../fixtures/golden-explanations.json.gz')

export const GOLDEN_CASELOAD = {
  persons: 10_000,
  seed: 19,
  profile: 'stress' as CaseloadProfileName,
  today: FIXTURE_TODAY as IsoDate,
}

export interface GoldenFixture {
  readonly caseload: typeof GOLDEN_CASELOAD
  readonly ruleSetVersion: string
  readonly ruleSetFiles: readonly RuleSetFile[]
  /** `person_id task_type digest`, one per task, sorted. */
  readonly digests: readonly string[]
  /** Some tasks' explanations in full, to show what differs when a digest does. */
  readonly full: readonly { readonly key: string; readonly explanation: RecommendationExplanation }[]
}

export async function readGoldenFixture(): Promise<GoldenFixture> {
  return JSON.parse(gunzipSync(await readFile(GOLDEN_FIXTURE)).toString('utf8')) as GoldenFixture
}

/** Imports the golden caseload into an empty database and runs the rule set over it as of its day. */
export async function recommendGoldenCaseload(
  database: TestDatabase,
  options: { readonly scratch: string; readonly reference: ReferenceData; readonly ruleSet: RuleSet },
): Promise<void> {
  const file = join(options.scratch, 'golden.ndjson')
  await writeExtract(file, { ...GOLDEN_CASELOAD, reference: options.reference })
  await importExtract(database, { file, full: false, clock: manualClock(), reference: options.reference })
  await publishForTest(database.db, options.ruleSet)
  await runRules(database.db, {
    ruleSet: options.ruleSet,
    clock: manualClock(),
    trigger: 'manual',
    full: true,
  })
}

export function goldenRuleSet(files: readonly RuleSetFile[]): RuleSet {
  return ruleSetFromFiles(files)
}

/** A digest of an explanation that does not depend on the order of its keys. */
export function explanationDigest(explanation: RecommendationExplanation): string {
  return createHash('sha256').update(canonicalJson(explanation)).digest('hex').slice(0, 16)
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
