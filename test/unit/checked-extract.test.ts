import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { checkExtract } from '../../src/cases/checked-extract.ts'
import type { EncodedBatch } from '../../src/cases/encoded-batch.ts'
import type { ExtractContext } from '../../src/cases/extract.ts'
import { extractContextFor } from '../../src/cases/extract-context.ts'
import { openExtractFile } from '../../src/cases/extract-file.ts'
import type { IsoDate } from '../../src/dates.ts'
import { readReferenceData } from '../../src/db/reference-data.ts'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { REFERENCE_DIR } from '../support/database.ts'

let context: ExtractContext
let folder: string

before(async () => {
  context = extractContextFor(await readReferenceData(REFERENCE_DIR), RECORD_TODAY as IsoDate)
  folder = await mkdtemp(join(tmpdir(), 'ipic-checked-extract-'))
})

after(() => rm(folder, { recursive: true, force: true }))

async function extractOf(lines: string[]) {
  const path = join(folder, `extract-${lines.length}.ndjson`)
  await writeFile(path, `${lines.join('\n')}\n`)
  return openExtractFile(path)
}

describe('checkExtract', () => {
  it('hands over batches in file order and takes back the buffers of those written', async () => {
    const ids = ['P1', 'P2', 'P3', 'P4', 'P5']
    const file = await extractOf([...ids.map((id) => JSON.stringify(validCaseRecord(id))), 'oops'])
    const checker = checkExtract(file, context, { batchSize: 2, maxLineBytes: 65_536 })
    const seen: string[][] = []
    let written: EncodedBatch | undefined
    for await (const batch of checker) {
      seen.push([...batch.personIds, ...batch.rejections.map((r) => `rejected ${r.line}`)])
      assert.match(Buffer.from(batch.persons.bytes).toString(), new RegExp(`^${batch.personIds[0]}\\t`))
      checker.recycle(batch)
      assert.equal(batch.persons.bytes.byteLength, 0, 'its buffers went back to the checker')
      written = batch
    }
    assert.deepEqual(seen, [
      ['P1', 'P2'],
      ['P3', 'P4'],
      ['P5', 'rejected 6'],
    ])
    assert.ok(written)
    assert.doesNotThrow(
      () => checker.recycle(written as EncodedBatch),
      'after the end, recycling does nothing',
    )
  })
})
