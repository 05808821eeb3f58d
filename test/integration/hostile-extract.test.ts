/**
 * Hostile values in every field of an extract record, checked by the
 * importer's own record check: a line is either a valid record, whose stored
 * text PostgreSQL can hold, or a rejection that names the person and says
 * what is wrong in words. Then one import of a file of such lines: every
 * rejected line is in the rejects file and nothing of it is stored.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { type ExtractLine, MAX_LINE_BYTES } from '../../src/cases/extract-lines.ts'
import {
  type CheckedLine,
  checkLine,
  compiledRecordSchema,
  type RecordSchema,
} from '../../src/cases/record-check.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { REFERENCE_DIR } from '../support/database.ts'
import { checkSyncProperty, hostileText } from '../support/hostile-values.ts'
import { importTestHarness, SMALL_CASELOAD } from '../support/import-harness.ts'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every place in a record a value can be: each field, each list, each list entry. */
function placesIn(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const places = path.length > 0 ? [path] : []
  if (Array.isArray(value)) {
    for (const [i, entry] of value.entries()) places.push(...placesIn(entry, [...path, i]))
  } else if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) places.push(...placesIn(entry, [...path, key]))
  }
  return places
}

/** A hostile JSON value: hostile text, an odd number, the wrong type, or a nest of them. */
const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -0) },
  { weight: 1, arbitrary: fc.double().filter(Number.isFinite) },
  { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, [null], { personId: 'P0042' }, ['<b hostile>']) },
)

/** Numbers JSON.stringify cannot write: put into the line's text as they are, as an extract might. */
const RAW_NUMBERS = ['1e309', '-1e309', '1e-400', '00012', '1.', '.5', '+1', 'NaN', 'Infinity', '0x1F']

/** A valid record with one place set to `value` (or the place removed), as a line of text. */
function lineWith(place: (string | number)[], value: Json | { raw: string } | 'remove'): string {
  const record = structuredClone(validCaseRecord('P0042')) as unknown as Record<string | number, Json>
  let parent: Record<string | number, Json> = record
  for (const step of place.slice(0, -1)) parent = parent[step] as Record<string | number, Json>
  const last = place.at(-1)!
  const marker = '"__raw_number__"'
  if (value === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
  } else
    parent[last] = typeof value === 'object' && value !== null && 'raw' in value ? '__raw_number__' : value
  const text = JSON.stringify(record)
  return typeof value === 'object' && value !== null && 'raw' in value
    ? text.replace(marker, String(value.raw))
    : text
}

const encoder = new TextEncoder()

/** What a rejection must be: the person named, one or more problems, each in words. */
function assertRejectionInWords(checked: Extract<CheckedLine, { kind: 'rejected' }>, what: string): void {
  assert.ok(checked.problems.length > 0, `${what}: rejected without a problem`)
  for (const problem of checked.problems) {
    assert.ok(typeof problem === 'string' && problem.trim().length > 3, `${what}: a problem with no words`)
    assert.doesNotMatch(problem, /\[object Object\]|undefined|ZodError|^\{/, `${what}: "${problem}"`)
    // A problem names the field and the trouble, never the whole of a huge value.
    assert.ok(problem.length < 2000, `${what}: a problem of ${problem.length} characters`)
  }
}

/** Stored text PostgreSQL can hold: no NUL and no lone surrogate (which cannot be written as UTF-8). */
function assertStorable(checked: Extract<CheckedLine, { kind: 'valid' }>, what: string): void {
  const text = checked.person.person + Object.values(checked.person.lists).join('')
  assert.ok(!text.includes(String.fromCharCode(0)), `${what}: a NUL would reach the database`)
  assert.equal(text, text.toWellFormed(), `${what}: a lone surrogate would reach the database`)
}

describe('hostile values in every extract field', () => {
  let schema: RecordSchema
  let places: (string | number)[][]

  before(async () => {
    const reference = await readReferenceData(REFERENCE_DIR)
    schema = compiledRecordSchema(extractContextFor(reference, RECORD_TODAY as IsoDate))
    places = placesIn(validCaseRecord('P0042') as unknown as Json)
  })

  const check = (text: string | Uint8Array): CheckedLine => {
    const line: ExtractLine = {
      kind: 'line',
      number: 7,
      bytes: typeof text === 'string' ? encoder.encode(text) : text,
    }
    return checkLine(line, schema, MAX_LINE_BYTES)
  }

  it('every field, any value: a storable record or a rejection in words that names the person', () => {
    const change = fc.oneof(
      { weight: 8, arbitrary: hostileJson },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((raw) => ({ raw })) },
      { weight: 1, arbitrary: fc.constant('remove' as const) },
    )
    const property = fc.property(fc.nat({ max: places.length - 1 }), change, (index, value) => {
      const place = places[index]!
      const what = `${place.join('.')} = ${JSON.stringify(value)?.slice(0, 200)}`
      const checked = check(lineWith(place, value))
      if (checked.kind === 'valid') assertStorable(checked, what)
      else {
        assertRejectionInWords(checked, what)
        if (place[0] !== 'personId')
          assert.equal(checked.personId, 'P0042', `${what}: the rejection lost the person`)
      }
    })
    checkSyncProperty('every extract field, hostile values', property, 600)
  })

  it('any bytes at all: a rejection in words, never an exception', () => {
    const property = fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }).map((text) => encoder.encode(text)),
        fc.tuple(fc.nat({ max: 400 }), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, bytes]) => {
          const line = encoder.encode(JSON.stringify(validCaseRecord('P0042')))
          const cut = Math.min(at, line.length)
          return new Uint8Array([...line.subarray(0, cut), ...bytes, ...line.subarray(cut)])
        }),
      ),
      (bytes) => {
        const checked = check(bytes)
        if (checked.kind === 'valid') assertStorable(checked, `bytes ${Buffer.from(bytes).toString('hex')}`)
        else assertRejectionInWords(checked, `bytes ${Buffer.from(bytes).toString('hex').slice(0, 200)}`)
      },
    )
    checkSyncProperty('any bytes as an extract line', property, 400)
  })
})

describe('an import of hostile lines', () => {
  const { extract, run, rejectsOf, personIds, rowCount } = importTestHarness()

  it('writes every rejected line to the rejects file and stores nothing of it', async () => {
    const samples = fc.sample(fc.tuple(fc.nat({ max: 1000 }), hostileJson), { numRuns: 40, seed: 17_07 })
    const places = placesIn(validCaseRecord('P0042') as unknown as Json)
    const lines: string[] = []
    const expected: string[] = []
    samples.forEach(([index, value], i) => {
      const personId = `H${String(i).padStart(4, '0')}`
      const text = lineWith(places[index % places.length]!, value).replace(
        '"P0042"',
        JSON.stringify(personId),
      )
      lines.push(text)
      expected.push(personId)
    })
    lines.push(JSON.stringify(validCaseRecord('V0001')))
    const file = await extract('hostile.ndjson', lines)
    const summary = await run(file, { full: false, absenceLimit: SMALL_CASELOAD })
    const rejects = await rejectsOf(file).catch(() => [])
    const stored = await personIds()
    console.log(
      `import of hostile lines: ${summary.read} read, ${summary.inserted} stored, ${summary.rejected} rejected`,
    )
    assert.equal(summary.read, lines.length)
    assert.equal(summary.inserted + summary.rejected, lines.length)
    assert.equal(rejects.length, summary.rejected)
    assert.ok(summary.rejected > 0, 'some hostile lines are rejected')
    assert.ok(stored.includes('V0001'), 'the valid line is stored')
    // Nothing half-stored: a rejected person has no row in persons or any list.
    for (const reject of rejects) {
      assert.ok(reject.problems.length > 0)
      const personId = expected[reject.line - 1]!
      assert.ok(!stored.includes(personId), `${personId} was rejected yet stored`)
    }
    assert.equal(stored.length, summary.inserted)
    assert.equal(await rowCount('barriers'), stored.length - (await emptyBarrierPersons(lines, stored)))
  })
})

/** How many stored persons' lines carry no barriers (a hostile value may have emptied the list legitimately). */
async function emptyBarrierPersons(lines: readonly string[], stored: readonly string[]): Promise<number> {
  let count = 0
  for (const line of lines) {
    const record = JSON.parse(line) as { personId: string; barriers?: unknown }
    if (stored.includes(record.personId) && (!Array.isArray(record.barriers) || record.barriers.length !== 1))
      count++
  }
  return count
}
