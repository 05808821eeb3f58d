/**
 * importExtract sends each line it cannot import to the rejects file, with
 * its line number and problems, and imports the rest, including the other
 * persons of a batch that repeats a person seen earlier in the file.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { RECORD_TODAY } from '../support/case-record.ts'
import { importTestHarness, ndjson, record, SMALL_CASELOAD } from '../support/import-harness.ts'

describe('importExtract', () => {
  const { extract, run, personIds, person, imports, rejectsOf } = importTestHarness()

  it('sends every kind of bad line to the rejects file with its line and problems, and imports the rest', async () => {
    const hugeLine = JSON.stringify(record('P0008', (r) => (r.familyName = 'x'.repeat(100_000))))
    const badUtf8Prefix = new TextEncoder().encode('{"personId":"P0009","familyName":"Ok')
    const file = await extract('extract.ndjson', [
      record('P0001'),
      '{"personId": "P0002", "familyName": ',
      record('P0003', (r) => {
        r.ageDisputed = 'no'
        r.reporting.missedEvents90Days = '3'
      }),
      record('P0004', (r) => {
        r.romRegion = 'XX'
        r.reporting.location = 'NOWHERE'
      }),
      record('P0005', (r) => (r.dateOfBirth = '1990-02-31')),
      record('P0006', (r) => (r.dateOfBirth = '2027-01-01')),
      record('P0001', (r) => (r.familyName = 'Second')),
      hugeLine,
      new Uint8Array([...badUtf8Prefix, 0xff, 0xfe, 0x22, 0x7d]),
      '',
      record('P0011'),
      '[1, 2]',
    ])

    const summary = await run(file)

    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [12, 2, 10])
    assert.equal(summary.rejectsFile, `${file}.rejects.ndjson`)
    const rejects = await rejectsOf(file)
    assert.deepEqual(
      rejects.map((r) => [r.line, r.personId]),
      [
        [2, 'P0002'],
        [3, 'P0003'],
        [4, 'P0004'],
        [5, 'P0005'],
        [6, 'P0006'],
        [7, 'P0001'],
        [8, 'P0008'],
        [9, 'P0009'],
        [10, null],
        [12, null],
      ],
    )
    const problems = Object.fromEntries(rejects.map((r) => [r.line, r.problems]))
    assert.match(problems[2]?.[0] ?? '', /^line is not valid JSON: /)
    assert.deepEqual(problems[3], [
      'ageDisputed: must be true or false (found "no")',
      'reporting.missedEvents90Days: must be a whole number (found "3")',
    ])
    assert.deepEqual(problems[4], [
      'romRegion: "XX" is not a known ROM region code',
      'reporting.location: "NOWHERE" is not a known reporting location code',
    ])
    assert.deepEqual(problems[5], ['dateOfBirth: "1990-02-31" is not a real calendar date'])
    assert.deepEqual(problems[6], [`dateOfBirth: "2027-01-01" is in the future (today is ${RECORD_TODAY})`])
    assert.deepEqual(problems[7], ['personId P0001 appears earlier in this file, at line 1'])
    assert.deepEqual(problems[8], [
      `line is ${Buffer.byteLength(hugeLine).toLocaleString('en-GB')} bytes long; the limit is 65,536 bytes`,
    ])
    assert.deepEqual(problems[9], [
      `line is not valid UTF-8 (the first bad byte is byte ${badUtf8Prefix.length + 1} of the line)`,
    ])
    assert.deepEqual(problems[10], ['line is empty'])
    assert.deepEqual(problems[12], [
      'line must hold one record, a group of fields in braces {…} (found a list)',
    ])
    assert.ok(
      (await readFile(`${file}.rejects.ndjson`)).length < 5_000,
      'the 100 KB value is not echoed back',
    )

    assert.deepEqual(await personIds(), ['P0001', 'P0011'])
    assert.equal((await person('P0001')).family_name, 'Okafor', 'the first occurrence wins')
    const [row] = await imports()
    assert.deepEqual([row?.status, row?.records_read, row?.inserted, row?.rejected], ['COMPLETED', 12, 2, 10])
  })

  it('rejects a person ID seen earlier in the file, within a batch and across batches, even when the first was invalid', async () => {
    const invalid = (id: string) => record(id, (r) => (r.gender = 'Q'))
    const file = await extract('extract.ndjson', [
      record('P1'),
      record('P2'),
      record('P3'),
      record('P1'),
      record('P5'),
      record('P5'),
      invalid('P7'),
      record('P7'),
      invalid('P9'),
      record('P10'),
      record('P9'),
      record('P12'),
    ])

    const summary = await run(file, { batchSize: 2 })

    assert.deepEqual(
      (await rejectsOf(file)).map((r) => [r.line, r.problems.at(-1)]),
      [
        [4, 'personId P1 appears earlier in this file, at line 1'],
        [6, 'personId P5 appears earlier in this file, at line 5'],
        [7, 'gender: "Q" is not a known gender (expected one of M, F, X, U)'],
        [8, 'personId P7 appears earlier in this file, at line 7'],
        [9, 'gender: "Q" is not a known gender (expected one of M, F, X, U)'],
        [11, 'personId P9 appears earlier in this file, at line 9'],
      ],
    )
    assert.deepEqual([summary.inserted, summary.rejected], [6, 6])
    assert.deepEqual(await personIds(), ['P1', 'P10', 'P12', 'P2', 'P3', 'P5'])
  })

  it('still updates, leaves unchanged and brings back the other persons of a batch that repeats an earlier one', async () => {
    await run(await extract('monday.ndjson', [record('P1'), record('P2'), record('P3'), record('P4')]), {
      full: true,
    })
    await run(await extract('tuesday.ndjson', [record('P1'), record('P2'), record('P3')]), {
      full: true,
      absenceLimit: SMALL_CASELOAD,
    })
    assert.deepEqual(await personIds('absent'), ['P4'])

    // With batches of two, each batch after the first repeats a person ID of
    // an earlier batch, so its claims are made one by one, skipping the seen.
    const file = await extract('wednesday.ndjson', [
      record('P5'),
      record('P1'),
      record('P5'),
      record('P2', (r) => (r.familyName = 'Changed')),
      record('P1'),
      record('P3'),
      record('P5'),
      record('P4'),
    ])
    const summary = await run(file, { batchSize: 2 })

    assert.deepEqual(
      [summary.inserted, summary.updated, summary.unchanged, summary.rejected],
      [1, 2, 2, 3],
      'P5 new; P2 changed and P4 back; P1 and P3 unchanged; three repeats',
    )
    assert.deepEqual(
      (await rejectsOf(file)).map((r) => r.line),
      [3, 5, 7],
    )
    assert.equal((await person('P2')).family_name, 'Changed')
    assert.deepEqual(await personIds('present'), ['P1', 'P2', 'P3', 'P4', 'P5'])
  })

  it('removes the rejects file of an earlier run when the new run rejects nothing', async () => {
    const file = await extract('extract.ndjson', [record('P0001'), 'not json'])
    assert.equal((await run(file)).rejected, 1)
    assert.equal(existsSync(`${file}.rejects.ndjson`), true)
    await writeFile(file, ndjson([record('P0001')]))

    const summary = await run(file)

    assert.equal(summary.rejectsFile, undefined)
    assert.equal(existsSync(`${file}.rejects.ndjson`), false)
  })
})
