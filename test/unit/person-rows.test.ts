import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { type CaseRecordInput, extractRecordSchema } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { copyValue, encodePerson, PERSON_COLUMNS, toPersonRows } from '../../src/cases/person-rows.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { REFERENCE_DIR } from '../support/database.ts'

let parse: (input: unknown) => ReturnType<typeof toPersonRows>

before(async () => {
  const reference = await readReferenceData(REFERENCE_DIR)
  const schema = extractRecordSchema(extractContextFor(reference, RECORD_TODAY as IsoDate))
  parse = (input) => toPersonRows(schema.parse(input))
})

const hashOf = (input: unknown) => encodePerson(parse(input)).contentHash

describe('toPersonRows', () => {
  it('flattens every section into the persons row and keeps lists in order', () => {
    const record = validCaseRecord('P0001')
    record.barriers.push({
      type: 'APPEAL',
      suspensive: false,
      raisedOn: '2024-01-02',
      resolvedOn: '2024-06-30',
      owningTeam: 'Appeals',
    })
    const rows = parse(record)
    assert.equal(rows.person.person_id, 'P0001')
    assert.equal(rows.person.travel_document, 'EXPIRED_PASSPORT')
    assert.equal(rows.person.travel_document_held_by, 'HOME_OFFICE')
    assert.equal(rows.person.reporting_location, 'BECKET_HOUSE')
    assert.equal(rows.person.next_reporting_date, '2026-03-10')
    assert.equal(rows.person.next_reporting_date_3, '2026-05-05')
    assert.equal(rows.person.residence_condition, true)
    assert.equal(rows.person.harm_level, 'LOW')
    assert.equal(rows.person.adult_at_risk_level, 1)
    assert.equal(rows.person.source_updated_at, '2026-02-28T17:45:00Z')
    assert.deepEqual(
      rows.barriers.map((b) => b.type),
      ['FURTHER_SUBMISSIONS', 'APPEAL'],
    )
    assert.deepEqual(rows.children, [{ date_of_birth: '2017-09-01', british: true, lives_with: true }])
    assert.deepEqual(rows.referrals, [{ business_area: 'RETURNS_PREPARATION', referred_on: '2026-01-15' }])
  })

  it('fills every persons column the extract provides', () => {
    const rows = parse(validCaseRecord())
    assert.deepEqual(Object.keys(rows.person).sort(), [...PERSON_COLUMNS].sort())
  })

  it('leaves missing reporting dates empty', () => {
    const record = validCaseRecord()
    record.reporting.nextDates = ['2026-03-10']
    const rows = parse(record)
    assert.equal(rows.person.next_reporting_date_2, null)
    assert.equal(rows.person.next_reporting_date_3, null)
  })
})

describe('encodePerson', () => {
  it('writes COPY text: tabs between columns, \\N for null, t/f for true/false', () => {
    const encoded = encodePerson(parse(validCaseRecord('P0001')))
    const columns = encoded.person.split('\t')
    assert.equal(columns.length, PERSON_COLUMNS.length + 1, 'every column, then the hash')
    assert.equal(columns[PERSON_COLUMNS.indexOf('voluntary_return_declined_on')], '\\N')
    assert.equal(columns[PERSON_COLUMNS.indexOf('age_disputed')], 'f')
    assert.equal(columns.at(-1), encoded.contentHash)
    assert.equal(
      encoded.lists.barriers,
      'P0001\t0\tFURTHER_SUBMISSIONS\tt\t2025-11-03\t\\N\tFurther Submissions Unit\n',
    )
  })

  it('writes the persons columns in PERSON_COLUMNS order, the order the import names them to COPY', () => {
    const record = validCaseRecord('P0001')
    record.familyName = 'O\\kafor Back\\slash'
    record.harm.longestSentenceMonths = 14
    const rows = parse(record)
    const encoded = encodePerson(rows)
    const person = rows.person as unknown as Record<string, string | number | boolean | null>
    assert.deepEqual(
      encoded.person.split('\t').slice(0, -1),
      PERSON_COLUMNS.map((column) => copyValue(person[column] ?? null)),
    )
  })

  it('keeps the content hash that databases already hold for an unchanged record', () => {
    // Stored hashes decide whether a record changed: a new encoding of the same
    // content would make every person look changed on the next import.
    assert.equal(hashOf(validCaseRecord('P0001')), 'KNqqshqALCoRWDzzqqfzS/d6rpE=')
  })

  it('escapes the characters COPY gives meaning to', () => {
    assert.equal(copyValue('a\tb\nc\\d\re'), 'a\\tb\\nc\\\\d\\re')
    assert.equal(copyValue('Ñoño ✓'), 'Ñoño ✓')
    const record = validCaseRecord()
    // A tab or newline cannot reach a name or team (the extract refuses control
    // characters), but a backslash can.
    record.barriers[0]!.owningTeam = 'Team A\\B'
    assert.match(encodePerson(parse(record)).lists.barriers, /\tTeam A\\\\B\n$/)
  })

  it('gives the same hash whatever the key order, padding or defaults left out', () => {
    const record = validCaseRecord()
    const reordered = Object.fromEntries(Object.entries(record).reverse())
    const padded: CaseRecordInput = { ...record, familyName: '  Okafor ' }
    const { sourceUpdatedAt: _, ...withoutOptional } = { ...record, sourceUpdatedAt: null }
    assert.equal(hashOf(reordered), hashOf(record))
    assert.equal(hashOf(padded), hashOf(record))
    assert.equal(hashOf(withoutOptional), hashOf({ ...record, sourceUpdatedAt: null }))
  })

  it('changes the hash when any stored value changes, lists included', () => {
    const base = hashOf(validCaseRecord())
    const changedField = validCaseRecord()
    changedField.reporting.consecutiveMissed = 1
    const changedList = validCaseRecord()
    changedList.family.children[0]!.livesWith = false
    const movedItem = validCaseRecord()
    movedItem.harm.offences = []
    movedItem.family.children = []
    assert.notEqual(hashOf(changedField), base)
    assert.notEqual(hashOf(changedList), base)
    assert.notEqual(hashOf(movedItem), base)
  })
})
