/**
 * What the tests of the synthetic-data generator share: the date they
 * generate on, a sample of persons checked against the extract schema, and
 * helpers to measure what share of the sample has some property.
 */
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { type CaseRecord, extractRecordSchema } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import {
  type CaseloadProfileName,
  type GenerateOptions,
  generateCaseRecords,
} from '../../src/cases/generate.ts'
import { ageOn, type IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'

export const TODAY = '2026-03-02' as IsoDate
export const SAMPLE_SIZE = 5_000

/** The reference data in reference/, which the generator draws regions, locations and codes from. */
export function readTestReference(): Promise<ReferenceData> {
  return readReferenceData(resolve(import.meta.dirname, '../../reference'))
}

export function generateOptions(reference: ReferenceData, persons: number, seed = 11): GenerateOptions {
  return { persons, seed, today: TODAY, reference }
}

/**
 * SAMPLE_SIZE generated persons of a caseload profile, each parsed by the
 * extract schema (which throws on the first invalid one).
 */
export function checkedSample(reference: ReferenceData, profile: CaseloadProfileName): CaseRecord[] {
  const schema = extractRecordSchema(extractContextFor(reference, TODAY))
  return [...generateCaseRecords({ ...generateOptions(reference, SAMPLE_SIZE), profile })].map((input) =>
    schema.parse(input),
  )
}

export function shareOf(sample: readonly CaseRecord[], predicate: (person: CaseRecord) => boolean): number {
  return sample.filter(predicate).length / sample.length
}

export function assertBetween(actual: number, low: number, high: number, what: string): void {
  assert.ok(
    actual >= low && actual <= high,
    `${what}: ${(actual * 100).toFixed(1)}% is outside ${low * 100}–${high * 100}%`,
  )
}

export const openBarriers = (p: CaseRecord) => p.barriers.filter((b) => b.resolvedOn === null)
export const ageOf = (p: CaseRecord) => ageOn(p.dateOfBirth as IsoDate, TODAY)
