/**
 * generateCaseRecords gives the same persons for the same seed, date and
 * reference data, and every record it gives is valid and consistent.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { type CaseRecord, extractRecordSchema } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { generateCaseRecords } from '../../src/cases/generate.ts'
import { ageOn, daysBetween, type IsoDate } from '../../src/dates.ts'
import type { ReferenceData } from '../../src/db/reference-data.ts'
import {
  assertBetween,
  checkedSample,
  generateOptions,
  openBarriers,
  readTestReference,
  SAMPLE_SIZE,
  shareOf,
  TODAY,
} from '../support/generated-sample.ts'

let reference: ReferenceData
let sample: CaseRecord[]

const options = (persons: number, seed?: number) => generateOptions(reference, persons, seed)
const share = (predicate: (person: CaseRecord) => boolean) => shareOf(sample, predicate)

before(async () => {
  reference = await readTestReference()
  sample = checkedSample(reference, 'stress')
})

describe('generateCaseRecords: determinism', () => {
  it('gives the same records for the same seed, date and reference data', () => {
    const first = JSON.stringify([...generateCaseRecords(options(300, 5))])
    const second = JSON.stringify([...generateCaseRecords(options(300, 5))])
    assert.equal(first, second)
  })

  it('gives different people for a different seed', () => {
    const one = [...generateCaseRecords(options(300, 5))]
    const other = [...generateCaseRecords(options(300, 6))]
    const sameName = one.filter((p, i) => p.familyName === other[i]?.familyName).length
    assert.ok(sameName < 30, `${sameName} of 300 persons kept their family name`)
    assert.notEqual(JSON.stringify(one), JSON.stringify(other))
  })

  it('gives each person the same record however many are generated', () => {
    const few = [...generateCaseRecords(options(40))]
    const many = [...generateCaseRecords(options(400))].slice(0, 40)
    assert.deepEqual(few, many)
  })

  it('generates nothing for zero persons, and refuses a negative count or seed', () => {
    assert.deepEqual([...generateCaseRecords(options(0))], [])
    assert.throws(() => [...generateCaseRecords(options(-1))], RangeError)
    assert.throws(() => [...generateCaseRecords(options(1, -3))], RangeError)
    assert.throws(() => [...generateCaseRecords(options(1.5))], RangeError)
  })
})

describe('generateCaseRecords: validity', () => {
  it('writes records that all pass the extract schema', () => {
    const schema = extractRecordSchema(extractContextFor(reference, TODAY))
    for (const input of generateCaseRecords(options(SAMPLE_SIZE, 99))) {
      const result = schema.safeParse(input)
      assert.ok(result.success, `${input.personId}: ${JSON.stringify(result.error?.issues)}`)
    }
  })

  it('numbers persons from P0000001 and gives each a distinct, plausible Home Office reference', () => {
    assert.equal(sample[0]?.personId, 'P0000001')
    assert.equal(sample.at(-1)?.personId, `P${String(SAMPLE_SIZE).padStart(7, '0')}`)
    assert.equal(new Set(sample.map((p) => p.personId)).size, SAMPLE_SIZE)
    assert.equal(new Set(sample.map((p) => p.homeOfficeReference)).size, SAMPLE_SIZE)
    for (const p of sample) assert.match(p.homeOfficeReference, /^(H\d{7}|[A-Z]\d{7}\/\d{2})$/)
    assertBetween(
      share((p) => p.homeOfficeReference.startsWith('H')),
      0.5,
      0.8,
      'H-style references',
    )
  })

  it('keeps the parts of a record consistent with each other', () => {
    for (const p of sample) {
      const open = openBarriers(p)
      if (p.caseType === 'FNO') {
        assert.ok(p.harm.offences.length > 0, `${p.personId}: offender without offences`)
        assert.ok(
          (p.harm.longestSentenceMonths ?? 0) >= 12,
          `${p.personId}: offender without a 12-month sentence`,
        )
      }
      if (p.harm.deportationOrder)
        assert.ok(p.harm.foreignNationalOffender, `${p.personId}: order without offence`)
      if (p.immigrationStatus === 'ASYLUM_CLAIM_PENDING') {
        assert.ok(
          open.some((b) => b.type === 'ASYLUM_CLAIM' && b.suspensive),
          `${p.personId}: pending claim without an open barrier`,
        )
      }
      if (p.vulnerability.nrmStatus === 'PENDING') {
        assert.ok(
          open.some((b) => b.type === 'TRAFFICKING_REFERRAL_PENDING'),
          `${p.personId}: NRM without barrier`,
        )
      }
      if (p.vulnerability.pregnant) assert.equal(p.gender, 'F')
      if (p.documentation.travelDocument === 'NONE') assert.equal(p.documentation.expiryDate, null)
      if (p.documentation.travelDocument === 'VALID_PASSPORT') {
        assert.ok((p.documentation.expiryDate ?? '') > TODAY, `${p.personId}: valid passport has expired`)
      }
      if (p.reporting.compliance === 'COMPLIANT') assert.equal(p.reporting.consecutiveMissed, 0)
      else
        assert.ok(
          p.reporting.consecutiveMissed >= 1,
          `${p.personId}: ${p.reporting.compliance} but no misses`,
        )
      for (const c of p.family.children) {
        assert.ok(
          c.dateOfBirth <= TODAY && ageOn(c.dateOfBirth as IsoDate, TODAY) < 18,
          `${p.personId}: child age`,
        )
        assert.ok(
          daysBetween(p.dateOfBirth as IsoDate, c.dateOfBirth as IsoDate) >= 16 * 365,
          `${p.personId}: parent age`,
        )
      }
      for (const o of p.harm.offences) {
        assert.ok(
          ageOn(p.dateOfBirth as IsoDate, o.convictedOn as IsoDate) >= 18,
          `${p.personId}: convicted as a child`,
        )
      }
    }
  })

  it('dates every past event before today and records the source update after all of them', () => {
    for (const p of sample) {
      const events = [
        p.reporting.lastAttended,
        p.reporting.bail.emLastReviewed,
        p.voluntaryReturnDeclinedOn,
        ...p.barriers.flatMap((b) => [b.raisedOn, b.resolvedOn]),
        ...p.harm.offences.map((o) => o.convictedOn),
        ...p.vulnerability.indicators.map((i) => i.identifiedOn),
        ...p.referrals.map((r) => r.referredOn),
      ].filter((d): d is string => d !== null)
      const updated = (p.sourceUpdatedAt ?? '').slice(0, 10)
      assert.ok(updated < TODAY, `${p.personId}: updated ${updated}`)
      for (const d of events) {
        assert.ok(d > p.dateOfBirth && d < TODAY, `${p.personId}: event on ${d}`)
        assert.ok(d <= updated, `${p.personId}: event on ${d} after the update on ${updated}`)
      }
    }
  })
})
