import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { checkBatches } from '../../src/cases/check-batches.ts'
import { extractRecordSchema } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import type { RecordSchema } from '../../src/cases/record-check.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { REFERENCE_DIR } from '../support/database.ts'

let schema: RecordSchema

before(async () => {
  const reference = await readReferenceData(REFERENCE_DIR)
  schema = extractRecordSchema(extractContextFor(reference, RECORD_TODAY as IsoDate))
})

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size)
}

async function batchesOf(lines: string[], batchSize: number) {
  const batches = []
  for await (const batch of checkBatches(chunksOf(`${lines.join('\n')}\n`, 100), schema, {
    batchSize,
    maxLineBytes: 65_536,
  })) {
    batches.push({ read: batch.read, valid: [...batch.lines], rejected: batch.rejections.map((r) => r.line) })
  }
  return batches
}

describe('checkBatches', () => {
  it('cuts the file into batches of whole lines, rejected lines counting towards their size', async () => {
    const good = (id: string) => JSON.stringify(validCaseRecord(id))
    assert.deepEqual(await batchesOf([good('P1'), 'oops', good('P3'), '', good('P5')], 2), [
      { read: 2, valid: [1], rejected: [2] },
      { read: 2, valid: [3], rejected: [4] },
      { read: 1, valid: [5], rejected: [] },
    ])
  })

  it('yields no batch for an empty file', async () => {
    const batches = []
    for await (const batch of checkBatches(chunksOf('', 10), schema, { batchSize: 10, maxLineBytes: 100 }))
      batches.push(batch)
    assert.deepEqual(batches, [])
  })
})
