import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { checkBatches, MAX_BATCH_BYTES } from '../../src/cases/check-batches.ts'
import { BatchEncoder } from '../../src/cases/encoded-batch.ts'
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

async function batchesOf(lines: string[], batchSize: number, encoder?: BatchEncoder) {
  const batches = []
  const options = { batchSize, maxLineBytes: 65_536 }
  for await (const batch of checkBatches(chunksOf(`${lines.join('\n')}\n`, 100), schema, options, encoder)) {
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

  it('closes a batch early once its encoded text reaches MAX_BATCH_BYTES', async () => {
    const good = (id: string) => JSON.stringify(validCaseRecord(id))
    /** Counts each record as a third of the limit and a byte: the third record of a batch reaches it. */
    class HeavyEncoder extends BatchEncoder {
      override get byteLength(): number {
        return Math.floor(MAX_BATCH_BYTES / 3 + 1) * this.read
      }
    }
    const ids = ['P1', 'P2', 'P3', 'P4', 'P5']
    assert.deepEqual(await batchesOf(ids.map(good), 10, new HeavyEncoder()), [
      { read: 3, valid: [1, 2, 3], rejected: [] },
      { read: 2, valid: [4, 5], rejected: [] },
    ])
  })

  it('yields no batch for an empty file', async () => {
    const batches = []
    for await (const batch of checkBatches(chunksOf('', 10), schema, { batchSize: 10, maxLineBytes: 100 }))
      batches.push(batch)
    assert.deepEqual(batches, [])
  })
})
