import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { z } from 'zod'
import { extractRecordSchema } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { type ExtractLine, MAX_LINE_BYTES } from '../../src/cases/extract-lines.ts'
import { extractErrorMap } from '../../src/cases/problems.ts'
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

/** The schema as the importer runs it (compiled), and zod's own parser of the same schema. */
let schema: RecordSchema
let parsedByZod: RecordSchema

before(async () => {
  const reference = await readReferenceData(REFERENCE_DIR)
  const context = extractContextFor(reference, RECORD_TODAY as IsoDate)
  schema = compiledRecordSchema(context)
  parsedByZod = extractRecordSchema(context)
})

function lineOf(content: string | Uint8Array, number = 7): ExtractLine {
  return {
    kind: 'line',
    number,
    bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content,
  }
}

/** A valid record with `change` applied to a copy, as one line. */
function recordLine(change: (record: EditableRecord) => void): ExtractLine {
  return lineOf(JSON.stringify(changedRecord('P0042', change)))
}

function rejection(checked: CheckedLine) {
  assert.equal(checked.kind, 'rejected', 'the line should have been rejected')
  return checked as Extract<CheckedLine, { kind: 'rejected' }>
}

function problemsOf(line: ExtractLine): string[] {
  return rejection(checkLine(line, schema, MAX_LINE_BYTES)).problems
}

describe('checkLine', () => {
  it('accepts a valid record and encodes it under its person ID', () => {
    const checked = checkLine(
      recordLine(() => {}),
      schema,
      MAX_LINE_BYTES,
    )
    assert.equal(checked.kind, 'valid')
    if (checked.kind !== 'valid') return
    assert.equal(checked.line, 7)
    assert.equal(checked.person.personId, 'P0042')
    assert.match(checked.person.person, /^P0042\tHO\/P0042\tOkafor\t/)
  })

  it('names the line, the person and every problem of an invalid record', () => {
    const checked = rejection(
      checkLine(
        recordLine((r) => {
          r.romRegion = 'XX'
          r.reporting.location = 'NOWHERE'
          r.ageDisputed = 'no'
        }),
        schema,
        MAX_LINE_BYTES,
      ),
    )
    assert.equal(checked.line, 7)
    assert.equal(checked.personId, 'P0042')
    assert.deepEqual(checked.problems, [
      'ageDisputed: must be true or false (found "no")',
      'romRegion: "XX" is not a known ROM region code',
      'reporting.location: "NOWHERE" is not a known reporting location code',
    ])
  })

  it('says a date that does not exist is not a real calendar date, with its path', () => {
    assert.deepEqual(
      problemsOf(
        recordLine((r) => {
          r.dateOfBirth = '1990-02-31'
          r.reporting.nextDates = ['2026-03-10', '2026-04-31']
        }),
      ),
      [
        'dateOfBirth: "1990-02-31" is not a real calendar date',
        'reporting.nextDates[1]: "2026-04-31" is not a real calendar date',
      ],
    )
  })

  it('accepts 29 February in a leap year only', () => {
    assert.equal(
      checkLine(
        recordLine((r) => (r.dateOfBirth = '2000-02-29')),
        schema,
        MAX_LINE_BYTES,
      ).kind,
      'valid',
    )
    assert.deepEqual(problemsOf(recordLine((r) => (r.dateOfBirth = '1900-02-29'))), [
      'dateOfBirth: "1900-02-29" is not a real calendar date',
    ])
  })

  it('tells a date in another format apart from an impossible one', () => {
    assert.deepEqual(problemsOf(recordLine((r) => (r.dateOfBirth = '17/05/1990'))), [
      'dateOfBirth: "17/05/1990" is not a date written as YYYY-MM-DD',
    ])
    assert.deepEqual(problemsOf(recordLine((r) => (r.dateOfBirth = '0000-01-01'))), [
      'dateOfBirth: "0000-01-01" is before the year 1000',
    ])
  })

  it('refuses a date of birth in the future, saying what today is', () => {
    assert.deepEqual(problemsOf(recordLine((r) => (r.dateOfBirth = '2026-03-03'))), [
      `dateOfBirth: "2026-03-03" is in the future (today is ${RECORD_TODAY})`,
    ])
  })

  it('refuses a time-zone offset the database cannot store', () => {
    assert.deepEqual(problemsOf(recordLine((r) => (r.sourceUpdatedAt = '2026-02-28T17:45:00+16:00'))), [
      'sourceUpdatedAt: "2026-02-28T17:45:00+16:00" is not a plausible date and time (year 1000 or later, offset within ±14:00)',
    ])
  })

  it('words a missing section, a section of the wrong kind and a field the extract does not define', () => {
    assert.deepEqual(
      problemsOf(
        recordLine((r) => {
          delete r.family
          r.harm = 'none'
          r.documentation.colour = 'blue'
          r.nickname = 'G'
        }),
      ),
      [
        'documentation.colour: is not a field the extract defines',
        'harm: must be a group of fields in braces {…} (found "none")',
        'family: is missing',
        'nickname: is not a field the extract defines',
      ],
    )
  })

  it('points into lists by position', () => {
    assert.deepEqual(
      problemsOf(
        recordLine((r) => {
          r.barriers[0].resolvedOn = '2025-01-01'
          r.referrals[0].businessArea = 'PAYROLL'
        }),
      ),
      [
        'barriers[0].resolvedOn: "2025-01-01" is earlier than raisedOn "2025-11-03"',
        'referrals[0].businessArea: "PAYROLL" is not a known business area code',
      ],
    )
  })

  it('cuts a long value short instead of echoing it back', () => {
    const [problem] = problemsOf(recordLine((r) => (r.nationality = 'Z'.repeat(30_000))))
    assert.equal(problem, 'nationality: is longer than 40 characters')
    const [gender] = problemsOf(recordLine((r) => (r.gender = 'Q'.repeat(50_000))))
    assert.ok(gender !== undefined && gender.length < 200, `too long: ${gender?.length}`)
    assert.match(gender, /^gender: "Q{40}…" \(50,000 characters\) is not a known gender/)
  })

  it('refuses text the database cannot store (NUL, an unpaired surrogate)', () => {
    const nul = problemsOf(
      lineOf(JSON.stringify(validCaseRecord('P0042')).replace('Okafor', 'Oka\\u0000for')),
    )
    assert.deepEqual(nul, [
      'familyName: contains a character that cannot be stored (NUL, or an unpaired \\uD800–\\uDFFF escape)',
    ])
    const surrogate = problemsOf(
      lineOf(JSON.stringify(validCaseRecord('P0042')).replace('Okafor', 'Oka\\ud800for')),
    )
    assert.equal(surrogate.length, 1)
    assert.match(surrogate[0] ?? '', /^familyName: contains a character that cannot be stored/)
  })

  it('rejects a line that is not JSON, keeping the person ID when it can be read', () => {
    const checked = rejection(
      checkLine(lineOf('{"personId": "P0099", "familyName": '), schema, MAX_LINE_BYTES),
    )
    assert.equal(checked.personId, 'P0099')
    assert.equal(checked.problems.length, 1)
    assert.match(checked.problems[0] ?? '', /^line is not valid JSON: /)
  })

  it('rejects a line that holds JSON but not a record', () => {
    assert.deepEqual(problemsOf(lineOf('[1, 2]')), [
      'line must hold one record, a group of fields in braces {…} (found a list)',
    ])
    assert.deepEqual(problemsOf(lineOf('null')), [
      'line must hold one record, a group of fields in braces {…} (found null)',
    ])
  })

  it('rejects an empty or blank line', () => {
    assert.deepEqual(problemsOf(lineOf('')), ['line is empty'])
    assert.deepEqual(problemsOf(lineOf('  \t ')), ['line is empty'])
  })

  it('rejects invalid UTF-8, pointing at the first bad byte, and still names the person', () => {
    const text = new TextEncoder().encode('{"personId":"P0077","familyName":"Ok')
    const bad = new Uint8Array([...text, 0xff, 0x61, 0x22, 0x7d])
    const checked = rejection(checkLine(lineOf(bad), schema, MAX_LINE_BYTES))
    assert.equal(checked.personId, 'P0077')
    assert.deepEqual(checked.problems, [
      `line is not valid UTF-8 (the first bad byte is byte ${text.length + 1} of the line)`,
    ])
  })

  it('rejects an overlong line by its length alone, naming the person from its start', () => {
    const checked = rejection(
      checkLine(
        {
          kind: 'too-long',
          number: 3,
          length: 102_400,
          head: new TextEncoder().encode('{"personId":"P0008","f'),
        },
        schema,
        MAX_LINE_BYTES,
      ),
    )
    assert.equal(checked.line, 3)
    assert.equal(checked.personId, 'P0008')
    assert.deepEqual(checked.problems, ['line is 102,400 bytes long; the limit is 65,536 bytes'])
  })

  it('gives no person ID when the one in the record is not a valid person ID', () => {
    const checked = rejection(
      checkLine(
        recordLine((r) => (r.personId = 'P 1')),
        schema,
        MAX_LINE_BYTES,
      ),
    )
    assert.equal(checked.personId, null)
    assert.deepEqual(checked.problems, ['personId: must be 1 to 20 letters, digits or hyphens'])
  })

  it('accepts, normalises and rejects exactly as zod parsing the schema itself does', () => {
    // The compiled fast path must never let through what zod refuses, nor
    // store anything differently: every record here is compared whole.
    const cases: EditableRecord[] = [
      validCaseRecord('P0001'),
      changedRecord('P0002', (r) => {
        r.familyName = '  Okafor\t '
        r.givenNames = 'Ñoño ✓ \\ back'
        delete r.voluntaryReturnDeclinedOn
        delete r.sourceUpdatedAt
        delete r.documentation.heldBy
        delete r.harm.longestSentenceMonths
        r.harm.offences[0].sentenceMonths = -0
      }),
      changedRecord('P0003', (r) => (r.dateOfBirth = RECORD_TODAY)),
      changedRecord('P0004', (r) => (r.dateOfBirth = '2026-03-03')),
      changedRecord('P0005', (r) => (r.dateOfBirth = '1990-02-31')),
      changedRecord('P0006', (r) => (r.dateOfBirth = '2000-02-29')),
      changedRecord('P0007', (r) => (r.dateOfBirth = '0999-12-31')),
      changedRecord('P0008', (r) => (r.familyName = '   ')),
      changedRecord('P0009', (r) => (r.familyName = 'x'.repeat(201))),
      changedRecord('P0010', (r) => (r.familyName = ` ${'x'.repeat(200)} `)),
      changedRecord('P0011', (r) => (r.familyName = 'Oka\u0000for')),
      changedRecord('P0012', (r) => (r.familyName = 'Oka\ud800for')),
      changedRecord('P0013', (r) => (r.gender = 'Q'.repeat(100_000))),
      changedRecord('P0014', (r) => (r.nationality = 'ZZZ')),
      changedRecord('P0015', (r) => (r.ageDisputed = 'no')),
      changedRecord('P0016', (r) => (r.reporting.missedEvents90Days = 1.5)),
      changedRecord('P0017', (r) => (r.reporting.missedEvents90Days = 201)),
      changedRecord('P0018', (r) => (r.reporting.nextDates = ['2026-04-07', '2026-03-10'])),
      changedRecord('P0019', (r) => (r.reporting.nextDates = ['2026-03-10', '2026-03-10'])),
      changedRecord('P0020', (r) => (r.barriers[0].resolvedOn = '2025-01-01')),
      changedRecord('P0021', (r) => (r.caseType = 'FNO')),
      changedRecord('P0022', (r) => (r.sourceUpdatedAt = '2026-02-28T17:45:00+16:00')),
      changedRecord('P0023', (r) => (r.sourceUpdatedAt = '2026-02-28T17:45:00.123+01:00')),
      changedRecord('P0024', (r) => (r.nickname = 'G')),
      changedRecord('P0025', (r) => (r.documentation.colour = 'blue')),
      changedRecord('P0026', (r) => delete r.family),
      changedRecord('P0027', (r) => (r.harm = [])),
      changedRecord('P0028', (r) => (r.referrals = 'none')),
      changedRecord('P0029', (r) => (r.referrals[0].businessArea = 'PAYROLL')),
      changedRecord('P0030', (r) => (r.personId = 'P 1')),
      changedRecord('P0031', (r) => (r.documentation.heldBy = null)),
      changedRecord('P0032', (r) => (r.vulnerability.adultAtRiskLevel = 4)),
      changedRecord('P0033', (r) => (r.barriers = Array.from({ length: 51 }, () => r.barriers[0]))),
    ]
    for (const record of cases) {
      const compiled = schema.safeParse(record, { error: extractErrorMap })
      const zod = parsedByZod.safeParse(record, { error: extractErrorMap })
      assert.deepEqual(compiled, zod, `record ${record.personId}`)
    }
    assert.deepEqual(
      cases.map((record) => parsedByZod.safeParse(record).success).filter(Boolean).length,
      7,
      'the valid records among them',
    )
  })

  it('compiles the whole schema, rather than zod quietly keeping its slower parser', () => {
    // compiledRecordSchema would silently return the schema uncompiled if a
    // part of it became one the compiler cannot model; strict says so instead.
    assert.doesNotThrow(() => z.compile(parsedByZod, { strict: true }))
  })
})
