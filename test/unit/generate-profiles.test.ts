/**
 * The caseload profiles: the stress profile writes exactly the extracts the
 * generator wrote before profiles existed (so figures measured on it stay
 * comparable), each profile gives the same extract for the same seed, and
 * the realistic profile is the default.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { type CaseloadProfileName, generateCaseRecords } from '../../src/cases/generate.ts'
import type { ReferenceData } from '../../src/db/reference-data.ts'
import { checkedSample, generateOptions, readTestReference } from '../support/generated-sample.ts'

let reference: ReferenceData

before(async () => {
  reference = await readTestReference()
})

function extractText(persons: number, seed: number, profile?: CaseloadProfileName): string {
  const options = { ...generateOptions(reference, persons, seed), ...(profile ? { profile } : {}) }
  let text = ''
  for (const record of generateCaseRecords(options)) text += `${JSON.stringify(record)}\n`
  return text
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('caseload profiles', () => {
  // Taken from the generator as it was before profiles, on 2 March 2026 with reference/ as it is.
  const BEFORE_PROFILES: ReadonlyArray<readonly [persons: number, seed: number, sha256: string]> = [
    [2_000, 11, '61f38e281c56e1c73f67889c3945377e8369b54a82e7c52f2eb108ce8e3a1fab'],
    [2_000, 2018, 'fe81742037d17eb170b19e9cd478cdb3050bcbef802805dfb1af356bd80714b7'],
  ]
  for (const [persons, seed, digest] of BEFORE_PROFILES) {
    it(`stress writes the extract written before profiles existed (seed ${seed})`, () => {
      assert.equal(sha256(extractText(persons, seed, 'stress')), digest)
    })
  }

  for (const profile of ['realistic', 'stress'] as const) {
    it(`${profile} gives the same extract for the same seed, and another for another seed`, () => {
      const first = extractText(500, 9, profile)
      assert.equal(extractText(500, 9, profile), first)
      assert.notEqual(extractText(500, 10, profile), first)
    })
  }

  it('is realistic when no profile is given, and realistic differs from stress', () => {
    const realistic = extractText(300, 4, 'realistic')
    assert.equal(extractText(300, 4), realistic)
    assert.notEqual(extractText(300, 4, 'stress'), realistic)
  })

  it('writes realistic records that all pass the extract schema', () => {
    assert.equal(checkedSample(reference, 'realistic').length, 5_000)
  })

  it('keeps the same persons in both profiles: only the proportions differ', () => {
    const realistic = [
      ...generateCaseRecords({ ...generateOptions(reference, 200, 4), profile: 'realistic' }),
    ]
    const stress = [...generateCaseRecords({ ...generateOptions(reference, 200, 4), profile: 'stress' })]
    const sameName = realistic.filter((p, i) => p.familyName === stress[i]?.familyName).length
    assert.equal(sameName, 200, 'names are drawn before anything a profile shapes')
    assert.deepEqual(
      realistic.map((p) => p.dateOfBirth),
      stress.map((p) => p.dateOfBirth),
    )
  })
})
