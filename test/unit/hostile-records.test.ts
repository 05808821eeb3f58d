/**
 * Records written to mislead: a field given twice, names carrying control,
 * reordering or invisible characters, a date and time the database would
 * round into year 10000, and a person filed in one region who reports in
 * another. Each is rejected with a reason.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { firstRepeatedKey } from '../../src/cases/duplicate-keys.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { type ExtractLine, MAX_LINE_BYTES } from '../../src/cases/extract-lines.ts'
import { quoted } from '../../src/cases/quoted.ts'
import {
  type CheckedLine,
  checkLine,
  compiledRecordSchema,
  type RecordSchema,
} from '../../src/cases/record-check.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { changedRecord, type EditableRecord, RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { REFERENCE_DIR } from '../support/database.ts'

let schema: RecordSchema

before(async () => {
  const reference = await readReferenceData(REFERENCE_DIR)
  schema = compiledRecordSchema(extractContextFor(reference, RECORD_TODAY as IsoDate))
})

function check(text: string): CheckedLine {
  const line: ExtractLine = { kind: 'line', number: 3, bytes: new TextEncoder().encode(text) }
  return checkLine(line, schema, MAX_LINE_BYTES)
}

function rejection(text: string): { personId: string | null; problems: string[] } {
  const checked = check(text)
  assert.equal(checked.kind, 'rejected', 'the line should have been rejected')
  return checked as Extract<CheckedLine, { kind: 'rejected' }>
}

const recordText = (change: (record: EditableRecord) => void) =>
  JSON.stringify(changedRecord('P0042', change))

describe('a key given twice', () => {
  it('is rejected at the top level, naming it, though the value kept would pass', () => {
    const text = JSON.stringify(validCaseRecord('P0042')).replace(
      '"romRegion":"LSE"',
      '"romRegion":"MEE","romRegion":"LSE"',
    )
    assert.deepEqual(rejection(text), {
      kind: 'rejected',
      line: 3,
      personId: 'P0042',
      problems: ['romRegion: is given more than once in the record; a field may appear only once'],
    })
  })

  it('is found inside a section and inside a list, written with spaces or escapes', () => {
    const nested = JSON.stringify(validCaseRecord('P0042')).replace(
      '"curfew":false',
      '"curfew":false, "curfew" :true',
    )
    assert.deepEqual(rejection(nested).problems, [
      'reporting.bail.curfew: is given more than once in the record; a field may appear only once',
    ])
    const inList = JSON.stringify(validCaseRecord('P0042')).replace(
      '"convictedOn":"2019-04-12"',
      '"convictedOn":"2019-04-12","\\u0063onvictedOn":"2019-04-12"',
    )
    assert.deepEqual(rejection(inList).problems, [
      'harm.offences[0].convictedOn: is given more than once in the record; a field may appear only once',
    ])
  })

  it('names no person when the person ID itself is repeated', () => {
    const text = JSON.stringify(validCaseRecord('P0042')).replace(
      '"personId":"P0042"',
      '"personId":"P0001","personId":"P0042"',
    )
    assert.equal(rejection(text).personId, null)
  })

  it('is not confused by a value that looks like a key', () => {
    const text = recordText((r) => (r.barriers[0].owningTeam = 'Team "A": north'))
    assert.equal(check(text).kind, 'valid')
    assert.equal(firstRepeatedKey('{"a":"x\\": y","b":{"a":1}}', { a: 'x": y', b: { a: 1 } }), null)
    assert.deepEqual(firstRepeatedKey('{"a":[{"b":1},{"b":1,"b":2}]}', { a: [{ b: 1 }, { b: 2 }] }), [
      'a',
      1,
      'b',
    ])
  })
})

describe('invisible and control characters in text', () => {
  for (const [what, name, code, at] of [
    ['an escape sequence', 'Oka\u001b[31mfor', 'U+001B', 4],
    ['a right-to-left override', 'Oka\u202erof', 'U+202E', 4],
    ['a zero-width space', 'Oka\u200bfor', 'U+200B', 4],
    ['a zero-width joiner', 'Ok\u200dafor', 'U+200D', 3],
    ['a byte-order mark inside', 'Oka\ufefffor', 'U+FEFF', 4],
    ['a C1 control', 'Oka\u0085for', 'U+0085', 4],
    ['a line break inside', 'Oka\nfor', 'U+000A', 4],
  ] as const) {
    it(`rejects ${what}, saying which character and where, and shows it escaped`, () => {
      const { problems } = rejection(recordText((r) => (r.familyName = name)))
      assert.deepEqual(problems, [
        `familyName: contains an invisible or control character (${code}, character ${at}), which is not allowed`,
      ])
    })
  }

  it('checks given names and a barrier’s owning team too', () => {
    assert.match(
      rejection(recordText((r) => (r.givenNames = 'Grace\u2066'))).problems[0] ?? '',
      /^givenNames: .*U\+2066/,
    )
    assert.match(
      rejection(recordText((r) => (r.barriers[0].owningTeam = 'Unit\u200f'))).problems[0] ?? '',
      /^barriers\[0\]\.owningTeam: .*U\+200F/,
    )
  })

  it('accepts letters of any script, accents and apostrophes', () => {
    for (const name of ['Ńwánkwọ', "O'Brien-Dúnlaith", 'Ахмедов', 'محمد', '李']) {
      assert.equal(check(recordText((r) => (r.familyName = name))).kind, 'valid', name)
    }
  })

  it('never writes one into a message unescaped', () => {
    assert.equal(quoted('a\u202eb\u200bc\u007f'), '"a\\u202eb\\u200bc\\u007f"')
    const { problems } = rejection(recordText((r) => (r.gender = '\u202eM')))
    assert.match(problems[0] ?? '', /^gender: "\\u202eM" is not a known gender/)
  })
})

describe('a date and time out of range', () => {
  it('rejects a sourceUpdatedAt in year 9999, which the database would round into year 10000', () => {
    for (const value of [
      '9999-12-31T23:59:59.9999999Z',
      '9999-12-31T20:00:00-14:00',
      '3026-01-01T00:00:00Z',
    ]) {
      assert.deepEqual(rejection(recordText((r) => (r.sourceUpdatedAt = value))).problems, [
        `sourceUpdatedAt: ${JSON.stringify(value)} is in the future (today is ${RECORD_TODAY})`,
      ])
    }
  })

  it('allows up to a day ahead, for a source system’s clock or time zone', () => {
    assert.equal(check(recordText((r) => (r.sourceUpdatedAt = '2026-03-03T09:00:00+14:00'))).kind, 'valid')
    assert.equal(check(recordText((r) => (r.sourceUpdatedAt = '2026-03-03T23:59:59Z'))).kind, 'valid')
    assert.equal(check(recordText((r) => (r.sourceUpdatedAt = '2026-03-04T00:00:00Z'))).kind, 'rejected')
  })
})

describe('a reporting location in another region', () => {
  it('is rejected, naming both regions', () => {
    const { problems } = rejection(recordText((r) => (r.romRegion = 'MEE')))
    assert.deepEqual(problems, [
      `reporting.location: "BECKET_HOUSE" is in ROM region LSE, not in the person's romRegion "MEE"`,
    ])
  })

  it('is accepted when both agree', () => {
    const text = recordText((r) => {
      r.romRegion = 'MEE'
      r.reporting.location = 'SANDFORD_HOUSE'
    })
    assert.equal(check(text).kind, 'valid')
  })
})
